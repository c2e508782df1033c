// Finding, creating, scaling and pruning a Deployment's ReplicaSets (upstream sync.go
// getAllReplicaSetsAndSyncRevision, getNewReplicaSet, scaleReplicaSet, cleanupDeployment).
import { isStatusError } from '../../api/errors.js';
import { refOf } from '../../client/events.js';
import { ownerRefFor } from '../replicaset/claim.js';
import { controllerRef, type ReplicaSetObj } from '../replicaset/objects.js';
import { getCondition, newCondition, Reason, setCondition } from './conditions.js';
import { setDeploymentRevision, writeStatus, type SyncContext } from './context.js';
import { computeHash, POD_TEMPLATE_HASH_LABEL, templatesEqual } from './hash.js';
import { byCreation, maxSurge, newRSNewReplicas, replicasOf } from './plan.js';
import { hasProgressDeadline } from './progress.js';
import { maxRevision, newRSAnnotations, replicasAnnotations, revisionOf, sameAnnotations } from './revision.js';

/** ReplicaSetsSplit: the RS whose template matches the Deployment's, and the others. */
export interface ReplicaSetsSplit {
  newRS?: ReplicaSetObj;
  oldRSs: ReplicaSetObj[];
}

/** findNewReplicaSet: the oldest RS whose template equals the Deployment's (upstream FindNewReplicaSet). */
export function findNewReplicaSet(ctx: SyncContext, rss: ReplicaSetObj[]): ReplicaSetObj | undefined {
  return rss.filter((rs) => templatesEqual(rs.spec.template, ctx.d.spec.template)).sort(byCreation)[0];
}

/** getAllReplicaSets splits rss, syncing the new RS's revision and creating it when asked. */
export async function getAllReplicaSets(ctx: SyncContext, rss: ReplicaSetObj[], create: boolean): Promise<ReplicaSetsSplit> {
  const existing = findNewReplicaSet(ctx, rss);
  const oldRSs = rss.filter((rs) => rs !== existing);
  const revision = maxRevision(oldRSs) + 1;
  if (existing) return { newRS: await syncExisting(ctx, existing, revision), oldRSs };
  return { newRS: create ? await createNewReplicaSet(ctx, oldRSs, revision) : undefined, oldRSs };
}

// A revived RS (rollback) gets revision max+1; minReadySeconds follows the Deployment.
async function syncExisting(ctx: SyncContext, rs: ReplicaSetObj, revision: number): Promise<ReplicaSetObj> {
  const annotations = newRSAnnotations(ctx.d.metadata.annotations, rs, revision);
  const minReady = ctx.d.spec.minReadySeconds;
  if (!sameAnnotations(annotations, rs.metadata.annotations) || (rs.spec.minReadySeconds ?? 0) !== (minReady ?? 0)) {
    rs = await ctx.deps.api.updateReplicaSet({ ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, minReadySeconds: minReady } });
  }
  await setDeploymentRevision(ctx, String(revisionOf(rs)));
  if (hasProgressDeadline(ctx.d) && !getCondition(ctx.d.status, 'Progressing')) {
    await setProgressingAndWrite(ctx, Reason.FoundNewRS, `Found new replica set "${rs.metadata.name}"`);
  }
  return rs;
}

async function setProgressingAndWrite(ctx: SyncContext, reason: string, message: string): Promise<void> {
  const status = structuredClone(ctx.d.status ?? {});
  setCondition(status, newCondition('Progressing', 'True', reason, message, ctx.deps.clock.now()));
  await writeStatus(ctx, status);
}

/** newReplicaSetObject: `<deployment>-<hash>` with the hash in labels, selector and template. */
export function newReplicaSetObject(ctx: SyncContext, oldRSs: ReplicaSetObj[], revision: number): ReplicaSetObj {
  const d = ctx.d;
  const hash = computeHash(d.spec.template, d.status?.collisionCount);
  const template = structuredClone(d.spec.template);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
  const rs: ReplicaSetObj = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, labels: template.metadata.labels, ownerReferences: [ownerRefFor(d, 'apps/v1', 'Deployment')] },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds, selector, template },
  };
  const annotations = { ...newRSAnnotations(d.metadata.annotations, rs, revision), ...replicasAnnotations(replicasOf(d), replicasOf(d) + maxSurge(d)) };
  rs.metadata.annotations = annotations;
  rs.spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  return rs;
}

async function createNewReplicaSet(ctx: SyncContext, oldRSs: ReplicaSetObj[], revision: number): Promise<ReplicaSetObj> {
  const wanted = newReplicaSetObject(ctx, oldRSs, revision);
  let created: ReplicaSetObj;
  try {
    created = await ctx.deps.api.createReplicaSet(wanted);
  } catch (err) {
    if (!isStatusError(err, 'AlreadyExists')) throw err;
    return handleCollision(ctx, wanted, err);
  }
  scalingEvent(ctx, created, 0, replicasOf(created));
  await setDeploymentRevision(ctx, String(revision));
  await setProgressingAndWrite(ctx, Reason.NewRSCreated, `Created new replica set "${created.metadata.name}"`);
  return created;
}

// The name is taken: our own RS the informer has not shown yet is fine; anything else is a hash
// collision, so bump collisionCount (a new name next time) and retry.
async function handleCollision(ctx: SyncContext, wanted: ReplicaSetObj, err: unknown): Promise<ReplicaSetObj> {
  const existing = ctx.deps.replicaSets.getByName(wanted.metadata.namespace, wanted.metadata.name!);
  if (existing && controllerRef(existing)?.uid === ctx.d.metadata.uid && templatesEqual(existing.spec.template, ctx.d.spec.template)) {
    return existing;
  }
  if (existing) {
    const status = structuredClone(ctx.d.status ?? {});
    status.collisionCount = (status.collisionCount ?? 0) + 1;
    await writeStatus(ctx, status);
  }
  throw err;
}

/** scaleReplicaSet sets replicas and the desired/max annotations, writing only when they change. */
export async function scaleReplicaSet(ctx: SyncContext, rs: ReplicaSetObj, replicas: number): Promise<ReplicaSetObj> {
  const d = ctx.d;
  const annotations = { ...rs.metadata.annotations, ...replicasAnnotations(replicasOf(d), replicasOf(d) + maxSurge(d)) };
  if (replicasOf(rs) === replicas && sameAnnotations(annotations, rs.metadata.annotations)) return rs;
  const written = await ctx.deps.api.updateReplicaSet({ ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, replicas } });
  scalingEvent(ctx, written, replicasOf(rs), replicas);
  return written;
}

/** scalingEvent records upstream's ScalingReplicaSet event on the Deployment when the size changed. */
function scalingEvent(ctx: SyncContext, rs: ReplicaSetObj, from: number, to: number): void {
  if (from === to) return;
  const message = `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`;
  ctx.deps.api.event(refOf(ctx.d, 'apps/v1', 'Deployment'), 'Normal', 'ScalingReplicaSet', message);
}

/** cleanupOldReplicaSets deletes the oldest empty RSs beyond revisionHistoryLimit. */
export async function cleanupOldReplicaSets(ctx: SyncContext, oldRSs: ReplicaSetObj[]): Promise<void> {
  const limit = ctx.d.spec.revisionHistoryLimit;
  if (limit === undefined) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort((a, b) => revisionOf(a) - revisionOf(b));
  const victims = cleanable.slice(0, Math.max(0, cleanable.length - limit)).filter(isEmptyAndObserved);
  for (const rs of victims) {
    try {
      await ctx.deps.api.deleteReplicaSet(rs);
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
}

function isEmptyAndObserved(rs: ReplicaSetObj): boolean {
  const observed = (rs.status?.observedGeneration ?? 0) >= (rs.metadata.generation ?? 0);
  return (rs.status?.replicas ?? 0) === 0 && replicasOf(rs) === 0 && observed;
}

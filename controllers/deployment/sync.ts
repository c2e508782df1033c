// syncDeployment(key) (upstream deployment_controller.go syncDeployment): claim ReplicaSets,
// then either only scale (paused, or replicas changed: proportional scaling) or take one
// rollout step with the Deployment's strategy. Reads listers only; returns errors to requeue.
import { isStatusError } from '../../api/errors.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import { ownerRefFor, planClaims } from '../replicaset/claim.js';
import { creationMs, type ReplicaSetObj } from '../replicaset/objects.js';
import { getCondition, newCondition, Reason, setCondition } from './conditions.js';
import { writeStatus, type DeploymentSyncDeps, type SyncContext } from './context.js';
import { replicasOf } from './plan.js';
import { hasProgressDeadline } from './progress.js';
import { isSaturated, isScalingEvent, planProportionalScale } from './proportional.js';
import { rolloutRecreate } from './recreate.js';
import { cleanupOldReplicaSets, getAllReplicaSets, scaleReplicaSet } from './replicasets.js';
import { rolloutRolling } from './rolling.js';
import { syncDeploymentStatus } from './status-sync.js';

export type { DeploymentSyncDeps } from './context.js';

/** syncDeployment brings one Deployment's ReplicaSets and status one step closer to its spec. */
export async function syncDeployment(deps: DeploymentSyncDeps, key: string): Promise<void> {
  const cached = deps.deployments.get(key);
  if (!cached) return;
  const ctx: SyncContext = { deps, key, d: structuredClone(cached) };
  const sel = ctx.d.spec.selector;
  if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !sel.matchExpressions?.length)) return syncEmptySelector(ctx);
  const rss = await claimReplicaSets(ctx);
  if (ctx.d.metadata.deletionTimestamp) {
    const { newRS, oldRSs } = await getAllReplicaSets(ctx, rss, false);
    return syncDeploymentStatus(ctx, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  }
  await checkPausedConditions(ctx);
  if (ctx.d.spec.paused || isScalingEvent(ctx.d, rss)) return syncScale(ctx, rss);
  if (ctx.d.spec.strategy?.type === 'Recreate') return rolloutRecreate(ctx, rss);
  return rolloutRolling(ctx, rss);
}

// An empty selector would select every pod: upstream refuses to act, only observing the generation.
async function syncEmptySelector(ctx: SyncContext): Promise<void> {
  if ((ctx.d.status?.observedGeneration ?? 0) >= (ctx.d.metadata.generation ?? 0)) return;
  await writeStatus(ctx, { ...ctx.d.status, observedGeneration: ctx.d.metadata.generation });
}

/** claimReplicaSets adopts matching orphan RSs and releases RSs that stopped matching. */
async function claimReplicaSets(ctx: SyncContext): Promise<ReplicaSetObj[]> {
  const candidates = ctx.deps.replicaSets.listByNamespace(ctx.d.metadata.namespace ?? '');
  const plan = planClaims(ctx.d, selectorFromLabelSelector(ctx.d.spec.selector), candidates);
  const ref = ownerRefFor(ctx.d, 'apps/v1', 'Deployment');
  const others = (rs: ReplicaSetObj) => (rs.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
  const adopted = await Promise.all(plan.adopt.map(async (rs) =>
    (await ignoreGone(ctx.deps.api.setReplicaSetOwners(rs, [...others(rs), ref]))) ? rs : undefined));
  await Promise.all(plan.release.map((rs) => ignoreGone(ctx.deps.api.setReplicaSetOwners(rs, others(rs)))));
  return [...plan.owned, ...adopted.filter((rs): rs is ReplicaSetObj => rs !== undefined)];
}

async function ignoreGone(p: Promise<void>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (err) {
    if (isStatusError(err, 'NotFound') || isStatusError(err, 'BadRequest')) return false;
    throw err;
  }
}

/** checkPausedConditions sets Progressing=Unknown DeploymentPaused/DeploymentResumed on a change. */
async function checkPausedConditions(ctx: SyncContext): Promise<void> {
  if (!hasProgressDeadline(ctx.d)) return;
  const cur = getCondition(ctx.d.status, 'Progressing');
  if (cur?.reason === Reason.TimedOut) return;
  const pausedCond = cur?.reason === Reason.Paused;
  const paused = !!ctx.d.spec.paused;
  if (paused === pausedCond) return;
  const status = structuredClone(ctx.d.status ?? {});
  const now = ctx.deps.clock.now();
  setCondition(status, paused
    ? newCondition('Progressing', 'Unknown', Reason.Paused, 'Deployment is paused', now)
    : newCondition('Progressing', 'Unknown', Reason.Resumed, 'Deployment is resumed', now));
  await writeStatus(ctx, status);
}

/** syncScale: scale without rolling out (upstream sync), then prune history when paused. */
async function syncScale(ctx: SyncContext, rss: ReplicaSetObj[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSets(ctx, rss, false);
  const scaled = await scale(ctx, newRS, oldRSs);
  const byUid = (rs: ReplicaSetObj) => scaled.find((s) => s.metadata.uid === rs.metadata.uid) ?? rs;
  if (ctx.d.spec.paused) await cleanupOldReplicaSets(ctx, oldRSs.map(byUid));
  const newScaled = newRS && byUid(newRS);
  await syncDeploymentStatus(ctx, [...oldRSs.map(byUid), ...(newScaled ? [newScaled] : [])], newScaled);
}

/** scale resizes the active RSs to the Deployment's replicas (upstream scale); returns what it wrote. */
async function scale(ctx: SyncContext, newRS: ReplicaSetObj | undefined, oldRSs: ReplicaSetObj[]): Promise<ReplicaSetObj[]> {
  const all = [...(newRS ? [newRS] : []), ...oldRSs];
  const active = all.filter((rs) => replicasOf(rs) > 0);
  if (active.length <= 1) {
    const target = active[0] ?? newRS ?? [...oldRSs].sort((a, b) => creationMs(b) - creationMs(a))[0];
    if (!target || replicasOf(target) === replicasOf(ctx.d)) return [];
    return [await scaleReplicaSet(ctx, target, replicasOf(ctx.d))];
  }
  if (isSaturated(ctx.d, newRS)) {
    return Promise.all(oldRSs.filter((rs) => replicasOf(rs) > 0).map((rs) => scaleReplicaSet(ctx, rs, 0)));
  }
  if (ctx.d.spec.strategy?.type === 'Recreate') return [];
  return Promise.all(planProportionalScale(ctx.d, active).map((s) => scaleReplicaSet(ctx, s.rs, s.replicas)));
}

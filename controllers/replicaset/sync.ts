// syncReplicaSet(key): the level-triggered sync of one ReplicaSet (upstream syncReplicaSet).
// Reads only from listers; claims pods; creates or deletes pods only when expectations are met;
// writes status through the status subresource when it changed; requeues with addAfter when a
// ready pod is about to pass minReadySeconds. Errors are returned (thrown) so the queue retries.
import { isStatusError } from '../../api/errors.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import { objectKey } from '../../api/meta.js';
import type { Clock } from '../../client/clock.js';
import type { Lister } from '../../client/store.js';
import type { ReplicaSetApi } from './api.js';
import { ownerRefFor, planClaims } from './claim.js';
import type { Expectations } from './expectations.js';
import { isPodActive, type PodObj, type ReplicaSetObj } from './objects.js';
import { calculateStatus, nextAvailabilityCheckMs, planReplicas, statusEqual } from './plan.js';
import { podFromTemplate } from './pod-template.js';
import { slowStartBatch } from './slowstart.js';
import { refOf } from '../../client/events.js';

/** ReplicaSetSyncDeps: everything sync reads and writes through. */
export interface ReplicaSetSyncDeps {
  replicaSets: Lister<ReplicaSetObj>;
  pods: Lister<PodObj>;
  api: ReplicaSetApi;
  expectations: Expectations;
  clock: Clock;
  enqueueAfter(key: string, ms: number): void;
  burst?: number;
}

/** syncReplicaSet brings one ReplicaSet's pods and status in line with its spec. */
export async function syncReplicaSet(deps: ReplicaSetSyncDeps, key: string): Promise<void> {
  const rs = deps.replicaSets.get(key);
  if (!rs) return deps.expectations.delete(key);
  const needsSync = deps.expectations.satisfied(key) && !rs.metadata.deletionTimestamp;
  const active = await claimPods(deps, rs);
  const outcome = needsSync ? await manageReplicas(deps, key, rs, active) : {};
  const now = deps.clock.now();
  const status = calculateStatus(rs, active, now, outcome.createError);
  if (!statusEqual(rs.status, status)) await deps.api.updateStatus(rs, status);
  const recheck = nextAvailabilityCheckMs(rs, active, now);
  if (recheck !== undefined) deps.enqueueAfter(key, recheck);
  if (outcome.error) throw outcome.error;
}

/** claimPods adopts matching orphans, releases mismatches, and returns the active pods rs owns. */
async function claimPods(deps: ReplicaSetSyncDeps, rs: ReplicaSetObj): Promise<PodObj[]> {
  const candidates = deps.pods.listByNamespace(rs.metadata.namespace ?? '').filter(isPodActive);
  const plan = planClaims(rs, selectorFromLabelSelector(rs.spec.selector), candidates);
  const ref = ownerRefFor(rs, 'apps/v1', 'ReplicaSet');
  const adopted = await Promise.all(plan.adopt.map(async (p) => {
    const others = (p.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
    return (await ignoreGone(deps.api.setOwners(p, [...others, ref]))) ? p : undefined;
  }));
  await Promise.all(plan.release.map((p) =>
    ignoreGone(deps.api.setOwners(p, (p.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid)))));
  return [...plan.owned, ...adopted.filter((p): p is PodObj => p !== undefined)];
}

// A pod that vanished or changed identity is simply not ours to claim; anything else is an error.
async function ignoreGone(p: Promise<void>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (err) {
    if (isStatusError(err, 'NotFound') || isStatusError(err, 'BadRequest')) return false;
    throw err;
  }
}

interface ManageOutcome {
  error?: unknown;
  createError?: string;
}

async function manageReplicas(deps: ReplicaSetSyncDeps, key: string, rs: ReplicaSetObj, active: PodObj[]): Promise<ManageOutcome> {
  const plan = planReplicas(rs, active, deps.burst);
  if (plan.create > 0) return createPods(deps, key, rs, plan.create);
  if (plan.remove.length > 0) return deletePods(deps, key, rs, plan.remove);
  return {};
}

async function createPods(deps: ReplicaSetSyncDeps, key: string, rs: ReplicaSetObj, n: number): Promise<ManageOutcome> {
  deps.expectations.expect(key, n);
  const ns = rs.metadata.namespace ?? '';
  const ref = refOf(rs, 'apps/v1', 'ReplicaSet');
  const res = await slowStartBatch(n, 1, async () => {
    const name = await deps.api.createPod(ns, podFromTemplate(rs));
    deps.api.event(ref, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`);
  });
  // Creates that failed or were never tried will not show up in the informer.
  deps.expectations.creationObserved(key, n - res.successes);
  if (res.error === undefined) return {};
  const createError = res.error instanceof Error ? res.error.message : String(res.error);
  deps.api.event(ref, 'Warning', 'FailedCreate', `Error creating: ${createError}`);
  return { error: res.error, createError };
}

async function deletePods(deps: ReplicaSetSyncDeps, key: string, rs: ReplicaSetObj, victims: PodObj[]): Promise<ManageOutcome> {
  deps.expectations.expect(key, 0, victims.map(objectKey));
  const ref = refOf(rs, 'apps/v1', 'ReplicaSet');
  const results = await Promise.allSettled(victims.map(async (p) => {
    try {
      await deps.api.deletePod(p.metadata.namespace ?? '', p.metadata.name!);
      deps.api.event(ref, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
    } catch (err) {
      deps.expectations.deletionObserved(key, objectKey(p));
      if (isStatusError(err, 'NotFound')) return;
      deps.api.event(ref, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  return failed ? { error: failed.reason } : {};
}

// The Recreate strategy (upstream recreate.go): scale every old RS to zero, wait until none of
// their pods is still running, and only then create/scale the new RS to full size.
import type { ReplicaSetObj } from '../replicaset/objects.js';
import { controllerRef } from '../replicaset/objects.js';
import type { SyncContext } from './context.js';
import { replicasOf } from './plan.js';
import { deploymentComplete } from './progress.js';
import { cleanupOldReplicaSets, getAllReplicaSets, scaleReplicaSet } from './replicasets.js';
import { syncRolloutStatus } from './status-sync.js';

/** oldPodsRunning: an old RS still reports pods, or one of its pods has not finished. */
export function oldPodsRunning(ctx: SyncContext, oldRSs: ReplicaSetObj[]): boolean {
  if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  const oldUids = new Set(oldRSs.map((rs) => rs.metadata.uid));
  return ctx.deps.pods.listByNamespace(ctx.d.metadata.namespace ?? '').some((p) => {
    const phase = p.status?.phase;
    return oldUids.has(controllerRef(p)?.uid) && phase !== 'Succeeded' && phase !== 'Failed';
  });
}

/** rolloutRecreate performs one Recreate step. */
export async function rolloutRecreate(ctx: SyncContext, rss: ReplicaSetObj[]): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSets(ctx, rss, false);
  const active = oldRSs.filter((rs) => replicasOf(rs) > 0);
  if (active.length) {
    const scaled = await Promise.all(active.map((rs) => scaleReplicaSet(ctx, rs, 0)));
    const all = [...oldRSs.map((rs) => scaled.find((s) => s.metadata.uid === rs.metadata.uid) ?? rs), ...(newRS ? [newRS] : [])];
    return syncRolloutStatus(ctx, all, newRS);
  }
  if (oldPodsRunning(ctx, oldRSs)) return syncRolloutStatus(ctx, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  if (!newRS) ({ newRS, oldRSs } = await getAllReplicaSets(ctx, rss, true));
  newRS = await scaleReplicaSet(ctx, newRS!, replicasOf(ctx.d));
  if (ctx.d.status && deploymentComplete(ctx.d, ctx.d.status)) await cleanupOldReplicaSets(ctx, oldRSs);
  return syncRolloutStatus(ctx, [...oldRSs, newRS], newRS);
}

// The RollingUpdate strategy (upstream rolling.go): each sync takes one step — grow the new RS
// into the surge room, or shrink old RSs as far as maxUnavailable allows — then writes status;
// the ReplicaSets' own status changes trigger the next step.
import type { ReplicaSetObj } from '../replicaset/objects.js';
import type { SyncContext } from './context.js';
import { newRSNewReplicas, planOldScaleDown, replicasOf } from './plan.js';
import { deploymentComplete } from './progress.js';
import { cleanupOldReplicaSets, getAllReplicaSets, scaleReplicaSet } from './replicasets.js';
import { syncRolloutStatus } from './status-sync.js';

/** newRSTarget: the new RS's size for this step, undefined when it is already right. */
export function newRSTarget(ctx: SyncContext, all: ReplicaSetObj[], newRS: ReplicaSetObj): number | undefined {
  const want = replicasOf(ctx.d);
  if (replicasOf(newRS) === want) return undefined;
  if (replicasOf(newRS) > want) return want;
  const n = newRSNewReplicas(ctx.d, all, newRS);
  return n === replicasOf(newRS) ? undefined : n;
}

/** rolloutRolling performs one rolling-update step. */
export async function rolloutRolling(ctx: SyncContext, rss: ReplicaSetObj[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSets(ctx, rss, true);
  let all = [...oldRSs, newRS!];
  const target = newRSTarget(ctx, all, newRS!);
  if (target !== undefined) {
    const scaled = await scaleReplicaSet(ctx, newRS!, target);
    return syncRolloutStatus(ctx, [...oldRSs, scaled], scaled);
  }
  const steps = planOldScaleDown(ctx.d, oldRSs, newRS);
  if (steps.length) {
    const scaled = await Promise.all(steps.map((s) => scaleReplicaSet(ctx, s.rs, s.replicas)));
    all = [...oldRSs.map((rs) => scaled.find((s) => s.metadata.uid === rs.metadata.uid) ?? rs), newRS!];
    return syncRolloutStatus(ctx, all, newRS);
  }
  if (ctx.d.status && deploymentComplete(ctx.d, ctx.d.status)) await cleanupOldReplicaSets(ctx, oldRSs);
  return syncRolloutStatus(ctx, all, newRS);
}

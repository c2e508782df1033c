// Writing the Deployment's status after a step (upstream syncRolloutStatus / syncDeploymentStatus).
import type { ReplicaSetObj } from '../replicaset/objects.js';
import { writeStatus, type SyncContext } from './context.js';
import { calculateStatus, rolloutStatus, statusEqual, stuckRequeueMs } from './progress.js';

/** syncRolloutStatus writes status and Progressing; unchanged, it schedules the deadline check. */
export async function syncRolloutStatus(ctx: SyncContext, all: ReplicaSetObj[], newRS: ReplicaSetObj | undefined): Promise<void> {
  const now = ctx.deps.clock.now();
  const status = rolloutStatus(ctx.d, all, newRS, now);
  if (!statusEqual(ctx.d.status, status)) return writeStatus(ctx, status);
  const after = stuckRequeueMs(ctx.d, status, now);
  if (after !== undefined) ctx.deps.enqueueAfter(ctx.key, after);
}

/** syncDeploymentStatus writes the counts and Available only (scaling and paused syncs). */
export async function syncDeploymentStatus(ctx: SyncContext, all: ReplicaSetObj[], newRS: ReplicaSetObj | undefined): Promise<void> {
  await writeStatus(ctx, calculateStatus(ctx.d, all, newRS, ctx.deps.clock.now()));
}

// The state one syncDeployment call carries between its steps: its dependencies, the queue key
// and the current copy of the Deployment (replaced by whatever each write returns).
import type { Clock } from '../../client/clock.js';
import type { Lister } from '../../client/store.js';
import type { DeploymentStatus } from '../../api/types/apps.js';
import type { DeploymentObj, PodObj, ReplicaSetObj } from '../replicaset/objects.js';
import type { DeploymentApi } from './api.js';
import { statusEqual } from './progress.js';
import { REVISION } from './revision.js';

/** DeploymentSyncDeps: everything a Deployment sync reads and writes through. */
export interface DeploymentSyncDeps {
  deployments: Lister<DeploymentObj>;
  replicaSets: Lister<ReplicaSetObj>;
  pods: Lister<PodObj>;
  api: DeploymentApi;
  clock: Clock;
  enqueueAfter(key: string, ms: number): void;
}

/** SyncContext: one sync's dependencies, key and working copy of the Deployment. */
export interface SyncContext {
  deps: DeploymentSyncDeps;
  key: string;
  d: DeploymentObj;
}

/** writeStatus writes status when it differs from the current one and keeps the answer. */
export async function writeStatus(ctx: SyncContext, status: DeploymentStatus): Promise<void> {
  if (statusEqual(ctx.d.status, status)) return;
  ctx.d = await ctx.deps.api.updateDeploymentStatus(ctx.d, status);
}

/** setDeploymentRevision records the new ReplicaSet's revision on the Deployment. */
export async function setDeploymentRevision(ctx: SyncContext, revision: string | undefined): Promise<void> {
  if (!revision || ctx.d.metadata.annotations?.[REVISION] === revision) return;
  const status = ctx.d.status;
  ctx.d = await ctx.deps.api.setDeploymentAnnotations(ctx.d, { [REVISION]: revision });
  ctx.d.status = status;
}

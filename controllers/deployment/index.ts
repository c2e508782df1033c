// The Deployment controller's public surface.
export { DeploymentController, newDeploymentController } from './controller.js';
export { syncDeployment, type DeploymentSyncDeps } from './sync.js';
export { resolveFenceposts, scaledValue, maxSurge, maxUnavailable, newRSNewReplicas, planOldScaleDown } from './plan.js';
export { planProportionalScale, isScalingEvent } from './proportional.js';
export { computeHash, templatesEqual } from './hash.js';
export { calculateStatus, rolloutStatus, stuckRequeueMs } from './progress.js';

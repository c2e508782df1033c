// The ReplicaSet controller's public surface.
export { ReplicaSetController, newReplicaSetController } from './controller.js';
export { syncReplicaSet, type ReplicaSetSyncDeps } from './sync.js';
export { planReplicas, calculateStatus, nextAvailabilityCheckMs, BURST_REPLICAS } from './plan.js';
export { compareForDeletion, podsToDelete, rankByNode } from './ranking.js';
export { Expectations } from './expectations.js';

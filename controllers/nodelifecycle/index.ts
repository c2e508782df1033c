// The node lifecycle controller's public surface.
export { NodeLifecycleController, newNodeLifecycleController, NODE_LEASE_NAMESPACE } from './controller.js';
export { restNodeLifecycleApi, type NodeLifecycleApi } from './api.js';
export * from './health.js';
export * from './eviction.js';

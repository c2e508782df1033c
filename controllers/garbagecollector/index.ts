// The garbage collector's public surface.
export { GarbageCollector, newGarbageCollector } from './controller.js';
export { OwnerGraph, itemKey } from './graph.js';
export { syncItem, type GcDeps } from './sync.js';
export { restGcApi, type GcApi } from './api.js';
export * from './plan.js';

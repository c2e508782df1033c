// The pod garbage collector's public surface.
export { PodGcController, newPodGcController } from './controller.js';
export * from './plan.js';

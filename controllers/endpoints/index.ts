// The Endpoints controller's public surface.
export { EndpointsController, newEndpointsController, syncEndpoints } from './controller.js';
export { computeEndpoints, resolveTargetPort, selectedPods, isPodReady } from './compute.js';
export { planEndpoints, type EndpointsPlan } from './plan.js';

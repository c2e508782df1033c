// The Endpoints controller's public surface.
export { EndpointsController, newEndpointsController, syncEndpoints, type EndpointsListers } from './controller.js';
export { computeEndpoints, resolveTargetPort, selectedPods, isPodReady } from './compute.js';
export { planEndpoints, type EndpointsPlan } from './plan.js';

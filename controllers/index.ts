// The table of controllers the controller-manager can run, by upstream's controller names.
import type { ControllerConstructor } from './controller.js';
import { newDeploymentController } from './deployment/index.js';
import { newReplicaSetController } from './replicaset/index.js';
import { EXTRA_CONTROLLERS } from './registry-extra.js';

/** CONTROLLERS: name -> constructor; the workload controllers plus controllers/registry-extra.ts. */
export const CONTROLLERS: Record<string, ControllerConstructor> = {
  replicaset: newReplicaSetController,
  deployment: newDeploymentController,
  // other controllers register here, through controllers/registry-extra.ts
  ...EXTRA_CONTROLLERS,
};

/** controllerNames lists every registered controller. */
export function controllerNames(): string[] {
  return Object.keys(CONTROLLERS);
}

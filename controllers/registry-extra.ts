// Controllers registered by other work (endpoints, garbagecollector, namespace, nodeipam,
// nodelifecycle, podgc): add entries here; controllers/index.ts merges them into the table.
import type { ControllerConstructor } from './controller.js';
import { newEndpointsController } from './endpoints/index.js';
import { newGarbageCollector } from './garbagecollector/index.js';
import { newNamespaceController } from './namespace/index.js';
import { newNodeIpamController } from './nodeipam/index.js';
import { newNodeLifecycleController } from './nodelifecycle/index.js';
import { newPodGcController } from './podgc/index.js';

/** EXTRA_CONTROLLERS maps controller name to constructor; owned by the non-workload controllers. */
export const EXTRA_CONTROLLERS: Record<string, ControllerConstructor> = {
  endpoints: newEndpointsController,
  garbagecollector: newGarbageCollector,
  namespace: newNamespaceController,
  nodeipam: newNodeIpamController,
  nodelifecycle: newNodeLifecycleController,
  podgc: newPodGcController,
};

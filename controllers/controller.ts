// The contract every controller in controllers/<name>/ implements, so the controller-manager
// can construct them all over one shared informer factory and run them under leader election.
import type { RestClient } from '../client/rest.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { Clock } from '../client/clock.js';

export interface ControllerContext {
  client: RestClient;
  /** Shared: ask it for informers in the constructor; the manager starts it after construction. */
  informers: InformerFactory;
  clock: Clock;
  /** Settings from the controller-manager's flags (cluster CIDR, grace periods, ...). */
  config: ControllerManagerConfig;
}

export interface ControllerManagerConfig {
  /** Worker count per controller (upstream's --concurrent-*-syncs). */
  workers: number;
  clusterCidr: string;
  nodeCidrMaskSize: number;
  nodeMonitorGracePeriodMs: number;
  terminatedPodGcThreshold: number;
}

export const DEFAULT_CONTROLLER_CONFIG: ControllerManagerConfig = {
  workers: 5,
  clusterCidr: '10.244.0.0/16',
  nodeCidrMaskSize: 24,
  nodeMonitorGracePeriodMs: 40_000,
  terminatedPodGcThreshold: 12_500,
};

export interface Controller {
  readonly name: string;
  /** Runs workers until signal aborts; resolves once they have stopped. Informers are already synced. */
  run(signal: AbortSignal): Promise<void>;
}

export type ControllerConstructor = (ctx: ControllerContext) => Controller;

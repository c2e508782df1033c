// The controller-manager: one shared InformerFactory, the chosen controllers built over it, the
// informers started and synced, then every controller's workers run until stop(). With leader
// election on, all of that happens only while this process holds the Lease
// kube-system/kube-controller-manager; losing it stops the controllers, and the manager
// campaigns again with fresh informers (as upstream, which exits and restarts instead).
import { hostname } from 'node:os';
import { InformerFactory } from '../client/informer-factory.js';
import { LeaderElector, restLeaseApi } from '../client/leader-election.js';
import { realClock, type Clock } from '../client/clock.js';
import type { RestClient } from '../client/rest.js';
import { DEFAULT_CONTROLLER_CONFIG, type ControllerContext, type ControllerManagerConfig } from './controller.js';
import { CONTROLLERS } from './index.js';

/** ControllerManagerOptions: which controllers (default all), settings, and leader election. */
export interface ControllerManagerOptions {
  client: RestClient;
  controllers?: string[];
  config?: Partial<ControllerManagerConfig>;
  leaderElection?: boolean;
  identity?: string;
  clock?: Clock;
}

/** ControllerManager is a running manager. */
export interface ControllerManager {
  stop(): Promise<void>;
}

/** startControllerManager starts the controllers; without leader election it resolves once they run. */
export async function startControllerManager(opts: ControllerManagerOptions): Promise<ControllerManager> {
  const names = opts.controllers ?? Object.keys(CONTROLLERS);
  const unknown = names.filter((n) => !CONTROLLERS[n]);
  if (unknown.length) throw new Error(`unknown controllers: ${unknown.join(', ')}`);
  if (!opts.leaderElection) {
    const abort = new AbortController();
    const { done } = await runControllers(opts, names, abort.signal);
    return { stop: async () => (abort.abort(), await done) };
  }
  return startWithLeaderElection(opts, names);
}

/** runControllers builds, syncs and starts the controllers; `done` settles once signal aborted and all stopped. */
async function runControllers(opts: ControllerManagerOptions, names: string[], signal: AbortSignal): Promise<{ done: Promise<void> }> {
  const clock = opts.clock ?? realClock;
  const informers = InformerFactory.forClient(opts.client, {}, { clock });
  const ctx: ControllerContext = { client: opts.client, informers, clock, config: { ...DEFAULT_CONTROLLER_CONFIG, ...opts.config } };
  const controllers = names.map((n) => CONTROLLERS[n]!(ctx));
  informers.start();
  const stopInformers = () => void informers.stop();
  signal.addEventListener('abort', stopInformers, { once: true });
  if (!(await informers.waitForSync()) || signal.aborted) return { done: informers.stop() };
  return { done: Promise.all(controllers.map((c) => c.run(signal))).then(() => informers.stop()) };
}

function startWithLeaderElection(opts: ControllerManagerOptions, names: string[]): ControllerManager {
  const stopped = new AbortController();
  let elector: LeaderElector | undefined;
  const loop = (async () => {
    while (!stopped.signal.aborted) {
      let running: Promise<void> = Promise.resolve();
      elector = newElector(opts, (signal) => {
        running = runControllers(opts, names, signal).then((r) => r.done);
      });
      if (stopped.signal.aborted) break;
      await elector.run();
      await running;
    }
  })();
  return { stop: async () => (stopped.abort(), await elector?.stop(), await loop) };
}

// A LeaderElector runs once: after leadership is lost the manager campaigns with a new one.
function newElector(opts: ControllerManagerOptions, onStartedLeading: (signal: AbortSignal) => void): LeaderElector {
  return new LeaderElector({
    api: restLeaseApi(opts.client),
    namespace: 'kube-system',
    name: 'kube-controller-manager',
    identity: opts.identity ?? `${hostname()}_${process.pid}`,
    clock: opts.clock,
    onStartedLeading,
    onStoppedLeading: () => {},
  });
}

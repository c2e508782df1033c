// RouteController keeps this node's host-gw routes in step with the Node list: Node events mark
// one key dirty, the worker computes the desired routes (pure) and changes only those that
// differ from the routes carrying Skiff's protocol. Failures (a gateway not reachable yet) retry
// through the rate limiter.
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import type { Node } from '../../api/types/core.js';
import { realClock, type Clock } from '../../client/clock.js';
import type { InformerFactory } from '../../client/informer-factory.js';
import type { Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { hostExec, type Exec } from '../proxy/iptables.js';
import { deletePodRoute, listPodRoutes, replacePodRoute, ROUTE_PROTO } from './ip-route.js';
import { cidrWithin } from '../../controllers/nodeipam/cidr.js';
import { desiredRoutes, diffRoutes, type PodRoute } from './plan.js';

export interface RouteControllerOptions {
  /** A cluster-wide factory; the caller starts it. */
  factory: InformerFactory;
  nodeName: string;
  exec?: Exec;
  clock?: Clock;
  /** Route protocol number that marks ours (default ROUTE_PROTO). */
  proto?: string;
  /** Remove our routes on stop (default true, so an agent leaves nothing behind). */
  cleanupOnStop?: boolean;
  /** The cluster's pod CIDR: only routes inside it are this controller's (another cluster on the host keeps its own). */
  within?: string;
  onError?: (err: unknown, what: string) => void;
}

const KEY = 'routes';

export class RouteController {
  readonly stats = { syncs: 0, changes: 0 };
  private readonly nodes: Informer<Node & KubeObject>;
  private readonly queue: WorkQueue<string>;
  private readonly exec: Exec;
  private readonly proto: string;
  private worker?: Promise<void>;

  constructor(private readonly opts: RouteControllerOptions) {
    this.exec = opts.exec ?? hostExec();
    this.proto = opts.proto ?? ROUTE_PROTO;
    this.queue = new WorkQueue<string>({ clock: opts.clock ?? realClock });
    this.nodes = opts.factory.informerFor<Node & KubeObject>(mustResource('nodes'));
    // Heartbeats update Nodes often; only a change of addresses or pod ranges matters.
    const relevant = (n: Node) => JSON.stringify([n.spec?.podCIDR, n.spec?.podCIDRs, n.status?.addresses]);
    this.nodes.addEventHandler({
      onAdd: () => this.queue.add(KEY),
      onUpdate: (a, b) => relevant(a) !== relevant(b) && this.queue.add(KEY),
      onDelete: () => this.queue.add(KEY),
    });
  }

  start(): void {
    this.worker ??= this.run();
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.worker;
    if (this.opts.cleanupOnStop ?? true) for (const r of await this.mine()) await deletePodRoute(this.exec, r.dst, this.proto);
  }

  private async run(): Promise<void> {
    if (!(await this.nodes.waitForSync())) return;
    this.queue.add(KEY);
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      try {
        await this.sync();
        this.queue.forget(key);
      } catch (err) {
        this.opts.onError?.(err, 'sync pod routes');
        this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  /** mine lists the routes this controller owns: its protocol, inside the cluster CIDR when known. */
  private async mine(): Promise<PodRoute[]> {
    const within = this.opts.within;
    return (await listPodRoutes(this.exec, this.proto)).filter((r) => !within || cidrWithin(r.dst, within));
  }

  /** sync applies every change it can and throws the first failure after trying the rest. */
  async sync(): Promise<void> {
    this.stats.syncs++;
    const want = desiredRoutes(this.nodes.store.list(), this.opts.nodeName);
    const changes = diffRoutes(await this.mine(), want);
    const errors: unknown[] = [];
    for (const r of changes.replace) await replacePodRoute(this.exec, r, this.proto).catch((e) => errors.push(e));
    for (const dst of changes.remove) await deletePodRoute(this.exec, dst, this.proto).catch((e) => errors.push(e));
    this.stats.changes += changes.replace.length + changes.remove.length - errors.length;
    if (errors.length) throw errors[0];
  }
}

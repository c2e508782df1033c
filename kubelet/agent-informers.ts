// The informers a node agent reads (upstream kubelet's pod config source, serviceLister and
// nodeLister): its pods, every Service (for the <SVC>_SERVICE_HOST variables) and its own Node
// (so that a change made by someone else, such as the node lifecycle controller marking it
// Unknown, is seen at once). A real agent watches its pods and its Node alone (fieldSelector
// spec.nodeName=<node> and metadata.name=<node>, as upstream). Hollow nodes in one process share
// one Service, one Node and one pod informer (all bound pods, indexed by spec.nodeName, as KWOK
// does), so 5,000 of them hold 3 watches, not 15,000; each still writes its own Node, Lease and
// pod status through the API.

import type { KubeObject } from '../api/meta.js';
import { mustResource } from '../api/registry.js';
import type { Node, Service } from '../api/types/core.js';
import type { Pod } from '../api/types/pod.js';
import type { Clock } from '../client/clock.js';
import { InformerFactory } from '../client/informer-factory.js';
import type { EventHandlers, Informer } from '../client/informer.js';
import type { RestClient } from '../client/rest.js';
import { fieldIndexer, type Lister } from '../client/store.js';

const SERVICES = mustResource('services');
const NODES = mustResource('nodes');
const PODS = mustResource('pods');
const NODE_NAME_INDEX = 'spec.nodeName';

type ServiceObject = Service & KubeObject;
type NodeObject = Node & KubeObject;
/** PodObject is a Pod as the informers hold it. */
export type PodObject = Pod & KubeObject;

/** PodSource is what an agent reads of the pods bound to it: a cache and its change events. */
export interface PodSource {
  readonly store: Pick<Lister<PodObject>, 'get' | 'getByName' | 'list'>;
  /** Registers handlers; pods already cached are replayed as adds (the informer contract). */
  addEventHandler(h: EventHandlers<PodObject>): void;
}

/** PodFeed starts, waits for and stops what fills a PodSource. */
export interface PodFeed {
  start(): void;
  waitForSync(): Promise<boolean>;
  stop(): Promise<void>;
}

/** NodePods: one node's pod source and its feed. */
export interface NodePods {
  source: PodSource;
  feed: PodFeed;
}

/** ownPods is a real agent's pod informer: a watch of the pods bound to nodeName alone (upstream's apiserver pod source). */
export function ownPods(client: RestClient, clock: Clock, nodeName: string): NodePods {
  const factory = InformerFactory.forClient(client, { fieldSelector: `spec.nodeName=${nodeName}` }, { clock });
  return { source: factory.informerFor<PodObject>(PODS), feed: factory };
}

/** NodeSource is one node's copy in the informer, and changes to it. */
export interface NodeSource {
  get(): Node | undefined;
  /** fn runs on every add or update of the node (handlers only enqueue or schedule work). */
  onChange(fn: (node: Node) => void): () => void;
}

/** AgentInformers: Services of every namespace and Nodes (all, or one), started together. */
export class AgentInformers {
  private readonly services: Informer<ServiceObject>;
  private readonly nodes: Informer<NodeObject>;
  private readonly listeners = new Map<string, Set<(n: Node) => void>>();
  private readonly pods?: Informer<PodObject>;
  private readonly podHandlers = new Map<string, Set<EventHandlers<PodObject>>>();

  /** podFactory: a factory over bound pods (fieldSelector spec.nodeName!=) to share among agents; none: each agent watches its own. */
  constructor(
    private readonly all: InformerFactory,
    private readonly nodeFactory: InformerFactory = all,
    private readonly podFactory?: InformerFactory,
  ) {
    this.services = all.informerFor<ServiceObject>(SERVICES);
    this.nodes = nodeFactory.informerFor<NodeObject>(NODES);
    // One handler routing by name: N hollow agents on a shared informer cost O(1) per event, not O(N).
    this.nodes.addEventHandler({ onAdd: (n) => this.route(n), onUpdate: (_o, n) => this.route(n) });
    if (podFactory) {
      this.pods = podFactory.informerFor<PodObject>(PODS, { [NODE_NAME_INDEX]: fieldIndexer<PodObject>('spec.nodeName') });
      this.pods.addEventHandler({
        onAdd: (p) => this.routePod(p, (h) => h.onAdd?.(p)),
        onUpdate: (o, p) => this.routePodUpdate(o, p),
        onDelete: (p, unknown) => this.routePod(p, (h) => h.onDelete?.(p, unknown)),
      });
    }
  }

  /** forNode: what one real agent runs (its own Node watched alone). */
  static forNode(client: RestClient, clock: Clock, nodeName: string): AgentInformers {
    return new AgentInformers(InformerFactory.forClient(client, {}, { clock }), InformerFactory.forClient(client, { fieldSelector: `metadata.name=${nodeName}` }, { clock }));
  }

  /** shared: one set for many agents in one process (hollow nodes), their pods included. */
  static shared(client: RestClient, clock: Clock): AgentInformers {
    const all = InformerFactory.forClient(client, {}, { clock });
    return new AgentInformers(all, all, InformerFactory.forClient(client, { fieldSelector: 'spec.nodeName!=' }, { clock }));
  }

  /**
   * podsFor: nodeName's view of the shared pod informer (its pods by the spec.nodeName index,
   * events routed by name), or undefined when pods are not shared. Stopping the feed removes
   * the node's handlers; the shared informer stops with stop().
   */
  podsFor(nodeName: string): NodePods | undefined {
    const pods = this.pods;
    if (!pods) return undefined;
    const mine = (p: PodObject | undefined) => (p?.spec?.nodeName === nodeName ? p : undefined);
    const handlers = new Set<EventHandlers<PodObject>>();
    const store = {
      get: (key: string) => mine(pods.store.get(key)),
      getByName: (ns: string | undefined, name: string) => mine(pods.store.getByName(ns, name)),
      list: () => pods.store.byIndex(NODE_NAME_INDEX, nodeName),
    };
    const source: PodSource = {
      store,
      addEventHandler: (h) => {
        handlers.add(h);
        this.podHandlers.set(nodeName, handlers);
        for (const p of store.list()) h.onAdd?.(p);
      },
    };
    const feed: PodFeed = {
      start: () => undefined,
      waitForSync: () => pods.waitForSync(),
      stop: async () => void (this.podHandlers.get(nodeName) === handlers && this.podHandlers.delete(nodeName)),
    };
    return { source, feed };
  }

  get serviceLister(): Lister<ServiceObject> {
    return this.services.store;
  }

  node(name: string): NodeSource {
    return {
      get: () => this.nodes.store.getByName(undefined, name),
      onChange: (fn) => {
        let set = this.listeners.get(name);
        if (!set) this.listeners.set(name, (set = new Set()));
        set.add(fn);
        return () => void set.delete(fn);
      },
    };
  }

  start(): void {
    this.all.start();
    if (this.nodeFactory !== this.all) this.nodeFactory.start();
    this.podFactory?.start();
  }

  async waitForSync(): Promise<boolean> {
    const [a, b, c] = await Promise.all([this.all.waitForSync(), this.nodeFactory.waitForSync(), this.podFactory?.waitForSync() ?? true]);
    return a && b && c;
  }

  async stop(): Promise<void> {
    await Promise.all([this.all.stop(), this.nodeFactory.stop(), this.podFactory?.stop()]);
  }

  private route(n: Node): void {
    for (const fn of this.listeners.get(n.metadata.name ?? '') ?? []) fn(n);
  }

  private routePod(p: PodObject, fn: (h: EventHandlers<PodObject>) => void): void {
    for (const h of this.podHandlers.get(p.spec?.nodeName ?? '') ?? []) fn(h);
  }

  /** spec.nodeName is set once and never changes, but a pod seen under another name leaves one node's view and joins the other's. */
  private routePodUpdate(old: PodObject, cur: PodObject): void {
    if (old.spec?.nodeName === cur.spec?.nodeName) return this.routePod(cur, (h) => h.onUpdate?.(old, cur));
    this.routePod(old, (h) => h.onDelete?.(old, false));
    this.routePod(cur, (h) => h.onAdd?.(cur));
  }
}

/**
 * serviceEnvServices picks the Services whose variables a pod in ns gets (upstream
 * getServiceEnvVarMap): those of its namespace, plus the master Service default/kubernetes.
 */
export function serviceEnvServices(services: Lister<ServiceObject>, ns: string): Service[] {
  const own = services.listByNamespace(ns);
  if (ns === 'default') return own;
  const master = services.getByName('default', 'kubernetes');
  return master ? [master, ...own] : own;
}

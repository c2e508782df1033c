// The informers a node agent reads besides its pods (upstream kubelet's serviceLister and
// nodeLister): every Service (for the <SVC>_SERVICE_HOST variables) and its own Node (so that a
// change made by someone else, such as the node lifecycle controller marking it Unknown, is seen
// at once). A real agent watches its Node alone (fieldSelector metadata.name=<node>, as upstream);
// hollow nodes in one process share one Service and one Node informer, so 5,000 of them do not
// open 10,000 more watches.

import type { KubeObject } from '../api/meta.js';
import { mustResource } from '../api/registry.js';
import type { Node, Service } from '../api/types/core.js';
import type { Clock } from '../client/clock.js';
import { InformerFactory } from '../client/informer-factory.js';
import type { Informer } from '../client/informer.js';
import type { RestClient } from '../client/rest.js';
import type { Lister } from '../client/store.js';

const SERVICES = mustResource('services');
const NODES = mustResource('nodes');

type ServiceObject = Service & KubeObject;
type NodeObject = Node & KubeObject;

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

  constructor(
    private readonly all: InformerFactory,
    private readonly nodeFactory: InformerFactory = all,
  ) {
    this.services = all.informerFor<ServiceObject>(SERVICES);
    this.nodes = nodeFactory.informerFor<NodeObject>(NODES);
    // One handler routing by name: N hollow agents on a shared informer cost O(1) per event, not O(N).
    this.nodes.addEventHandler({ onAdd: (n) => this.route(n), onUpdate: (_o, n) => this.route(n) });
  }

  /** forNode: what one real agent runs (its own Node watched alone). */
  static forNode(client: RestClient, clock: Clock, nodeName: string): AgentInformers {
    return new AgentInformers(InformerFactory.forClient(client, {}, { clock }), InformerFactory.forClient(client, { fieldSelector: `metadata.name=${nodeName}` }, { clock }));
  }

  /** shared: one set for many agents in one process (hollow nodes). */
  static shared(client: RestClient, clock: Clock): AgentInformers {
    return new AgentInformers(InformerFactory.forClient(client, {}, { clock }));
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
  }

  async waitForSync(): Promise<boolean> {
    const [a, b] = await Promise.all([this.all.waitForSync(), this.nodeFactory.waitForSync()]);
    return a && b;
  }

  async stop(): Promise<void> {
    await Promise.all([this.all.stop(), this.nodeFactory.stop()]);
  }

  private route(n: Node): void {
    for (const fn of this.listeners.get(n.metadata.name ?? '') ?? []) fn(n);
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

// Registers the Node and keeps its status current (upstream kubelet_node_status.go): status is
// computed every statusUpdateFrequency and written when it differs from the server's copy or
// when the last write is older than the report frequency. Writes are merge patches on nodes/status.

import { StatusError } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';
import { mustResource } from '../api/registry.js';
import type { Node, Taint } from '../api/types/core.js';
import { delay, type Clock } from '../client/clock.js';
import type { RestClient } from '../client/rest.js';
import { buildNodeStatus, initialNode, shouldPostNodeStatus, type NodeFacts } from './node-status.js';
import type { HostInfo } from './node-status.js';

const NODES = mustResource('nodes');

/** NodeReporterOptions configure a NodeReporter. */
export interface NodeReporterOptions {
  client: RestClient;
  clock: Clock;
  name: string;
  host: HostInfo;
  labels: Record<string, string>;
  taints: Taint[];
  podCidr?: string;
  /** See AgentConfig.registeredBefore. */
  registeredBefore?: boolean;
  facts(): Promise<Omit<NodeFacts, 'host'>>;
  reportFrequencyMs: number;
  /** The Node as the agent's informer has it; newer copies win over our last write's answer. */
  observed?: () => Node | undefined;
}

/**
 * NodeReporter owns this agent's Node object. It decides against the server's copy of the Node
 * (the newer of the caller's informer copy and the answer to its own last write), not against
 * what it last sent, so a change made by someone else (the node lifecycle controller marking the
 * node Unknown) is corrected at the next status tick.
 */
export class NodeReporter {
  private server?: Node;
  private lastPost?: number;
  /** Updates run one after another: the status tick and a change seen by the informer never race. */
  private chain: Promise<unknown> = Promise.resolve();
  uid = '';

  constructor(private readonly o: NodeReporterOptions) {}

  /**
   * register creates the Node with its status (upstream's initialNode carries the status, so a
   * new node needs no second write), or adopts the existing one (labels merged) and posts.
   */
  async register(): Promise<void> {
    // Upstream registerWithAPIServer retries until it succeeds, backing off to 7 s: an API
    // server too busy to answer (connect timeouts, 429, 5xx) must not end the agent.
    for (let wait = 100; ; wait = Math.min(wait * 2, 7000)) {
      try {
        return await this.registerOnce();
      } catch (err) {
        if (!transient(err)) throw err;
        await delay(this.o.clock, wait);
      }
    }
  }

  private async registerOnce(): Promise<void> {
    const now = this.o.clock.now();
    const node = initialNode(this.o.name, this.o.host, this.o.labels, this.o.taints, this.o.podCidr);
    node.status = buildNodeStatus(await this.facts(), undefined, now);
    // An agent that ran here before finds its Node: adopting it first saves the create's
    // AlreadyExists round trip at every restart. A Node deleted meanwhile is created after all.
    this.server = (this.o.registeredBefore ? await this.adopt(node, true) : undefined) ?? (await this.createOrAdopt(node, now));
    this.uid = this.server.metadata.uid ?? '';
    await this.update();
  }

  private async createOrAdopt(node: Node, now: number): Promise<Node> {
    try {
      const created = await this.o.client.create(NODES, undefined, node as unknown as KubeObject) as unknown as Node;
      this.lastPost = now;
      return created;
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
      return (await this.adopt(node, false))!;
    }
  }

  /** adopt merges our labels into the existing Node; undefined when there is none and missingOk. */
  private async adopt(node: Node, missingOk: boolean): Promise<Node | undefined> {
    try {
      return await this.o.client.patch(NODES, undefined, this.o.name, 'merge', { metadata: { labels: node.metadata.labels } }) as unknown as Node;
    } catch (err) {
      if (missingOk && err instanceof StatusError && err.reason === 'NotFound') return undefined;
      throw err;
    }
  }

  /** update computes the status and writes it if shouldPostNodeStatus says so; true when written. */
  update(): Promise<boolean> {
    const next = this.chain.then(() => this.updateOnce());
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * nodeChanged takes the informer's news of the Node. A version newer than the answer to our own
   * last write was written by someone else (a label, a taint, the node lifecycle controller
   * marking Ready Unknown), so the status is checked now instead of at the next tick; our own
   * writes coming back through the watch are ignored. Resolves true when a status was written.
   */
  async nodeChanged(node: Node): Promise<boolean> {
    if (!this.server || node.metadata.uid !== this.server.metadata.uid) return false;
    if (Number(node.metadata.resourceVersion) <= Number(this.server.metadata.resourceVersion)) return false;
    return this.update();
  }

  private async updateOnce(): Promise<boolean> {
    const now = this.o.clock.now();
    const server = this.serverCopy();
    const next = buildNodeStatus(await this.facts(), server?.status, now);
    if (!shouldPostNodeStatus(server?.status, next, this.lastPost, now, this.o.reportFrequencyMs)) return false;
    this.server = await this.o.client.patch(NODES, undefined, this.o.name, 'merge', { status: next }, { subresource: 'status' }) as unknown as Node;
    this.lastPost = now;
    return true;
  }

  /** allocatable as the server has it. */
  allocatable(): Record<string, string> {
    return (this.serverCopy()?.status?.allocatable ?? {}) as Record<string, string>;
  }

  private async facts(): Promise<NodeFacts> {
    return { host: this.o.host, ...(await this.o.facts()) };
  }

  private serverCopy(): Node | undefined {
    const watched = this.o.observed?.();
    if (!watched || watched.metadata.uid !== this.server?.metadata.uid) return this.server ?? watched;
    return Number(watched.metadata.resourceVersion) > Number(this.server?.metadata.resourceVersion) ? watched : this.server;
  }
}

/**
 * transient errors are worth retrying: a connection that failed (system and undici errors carry
 * a string code such as ECONNREFUSED or UND_ERR_CONNECT_TIMEOUT), 429 Too Many Requests, or a 5xx.
 */
export function transient(err: unknown): boolean {
  if (err instanceof StatusError) return err.code === 429 || err.code >= 500;
  return typeof (err as { code?: unknown } | null)?.code === 'string';
}

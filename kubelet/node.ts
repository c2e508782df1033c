// Registers the Node and keeps its status current (upstream kubelet_node_status.go): status is
// computed every statusUpdateFrequency and written when it changed or when the last write is
// older than the report frequency. Writes are merge patches on nodes/status.

import { StatusError } from '../api/errors.js';
import { mustResource } from '../api/registry.js';
import type { Node, NodeStatus, Taint } from '../api/types/core.js';
import type { Clock } from '../client/clock.js';
import type { RestClient } from '../client/rest.js';
import { buildNodeStatus, initialNode, statusChanged, type NodeFacts } from './node-status.js';
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
  facts(): Promise<Omit<NodeFacts, 'host'>>;
  reportFrequencyMs: number;
}

/** NodeReporter owns this agent's Node object. */
export class NodeReporter {
  private last?: NodeStatus;
  private lastWrite = 0;
  uid = '';

  constructor(private readonly o: NodeReporterOptions) {}

  /** register creates the Node, or adopts the existing one (labels merged). */
  async register(): Promise<void> {
    const node = initialNode(this.o.name, this.o.host, this.o.labels, this.o.taints, this.o.podCidr);
    try {
      const created = await this.o.client.create(NODES, undefined, node as unknown as Parameters<RestClient['create']>[2]);
      this.uid = created.metadata.uid ?? '';
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
      const patched = await this.o.client.patch(NODES, undefined, this.o.name, 'merge', { metadata: { labels: node.metadata.labels } });
      this.uid = patched.metadata.uid ?? '';
      this.last = (patched as unknown as Node).status;
    }
    await this.update(true);
  }

  /** update computes the status and writes it if needed; true when written. */
  async update(force = false): Promise<boolean> {
    const now = this.o.clock.now();
    const next = buildNodeStatus({ host: this.o.host, ...(await this.o.facts()) }, this.last, now);
    if (!force && !statusChanged(this.last, next) && now - this.lastWrite < this.o.reportFrequencyMs) return false;
    await this.o.client.patch(NODES, undefined, this.o.name, 'merge', { status: next }, { subresource: 'status' });
    this.last = next;
    this.lastWrite = now;
    return true;
  }

  /** allocatable as last reported. */
  allocatable(): Record<string, string> {
    return (this.last?.allocatable ?? {}) as Record<string, string>;
  }
}

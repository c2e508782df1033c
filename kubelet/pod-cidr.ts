// The node's pod CIDR for the runtime (upstream kubelet's updatePodCIDR): --pod-cidr when given,
// else the block the node IPAM controller writes into the Node's spec after registration. The
// agent hands it to the runtime before it starts any pod, so every pod address comes from its
// node's range and the other nodes' routes to that range are right.
import type { KubeObject } from '../api/meta.js';
import { mustResource } from '../api/registry.js';
import type { Node } from '../api/types/core.js';
import type { RestClient } from '../client/rest.js';

const NODES = mustResource('nodes');

/** podCidrOf is a Node's first IPv4 pod range, if it has one. */
export function podCidrOf(node: Pick<Node, 'spec'> | undefined): string | undefined {
  const all = node?.spec?.podCIDRs?.length ? node.spec.podCIDRs : node?.spec?.podCIDR ? [node.spec.podCIDR] : [];
  return all.find((c) => !c.includes(':'));
}

/**
 * waitForPodCidr returns the Node's pod CIDR, watching the Node until the IPAM controller has
 * assigned one. Undefined only when signal aborts first.
 */
export async function waitForPodCidr(client: RestClient, nodeName: string, signal: AbortSignal, waiting?: () => void): Promise<string | undefined> {
  while (!signal.aborted) {
    const node = (await client.get(NODES, undefined, nodeName)) as unknown as Node & KubeObject;
    const now = podCidrOf(node);
    if (now) return now;
    waiting?.();
    const events = client.watch<Node & KubeObject>(NODES, undefined, {
      fieldSelector: `metadata.name=${nodeName}`,
      resourceVersion: node.metadata.resourceVersion,
      timeoutSeconds: 60,
      signal,
    });
    for await (const ev of events) {
      if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') continue;
      const cidr = podCidrOf(ev.object);
      if (cidr) return cidr;
    }
  }
  return undefined;
}

// The pod network as a CNI plugin chain: bridge with host-local IPAM on the node's pod CIDR, then
// portmap when the pod asks for host ports. A pure function of the network settings.
import type { PortMapping } from '../api.js';

/** NetworkOptions are the node's pod network settings. */
export interface NetworkOptions {
  /** Pod CIDR of this node, e.g. 10.88.0.0/16. */
  podCidr: string;
  /** Linux bridge name (at most 15 characters). */
  bridge: string;
  /** host-local keeps its allocations here. */
  ipamDataDir: string;
  networkName: string;
  /** Masquerade traffic leaving the pod CIDR (default true; off when the node agent masquerades traffic leaving the cluster). */
  ipMasq?: boolean;
}

/** CniPluginConf is one plugin's configuration in a chain. */
export type CniPluginConf = { type: string } & Record<string, unknown>;

/** CniNetwork is a conflist: a name, a version and the plugin chain. */
export interface CniNetwork {
  cniVersion: string;
  name: string;
  plugins: CniPluginConf[];
}

/** podNetwork is the plugin chain for a pod with the given port mappings. */
export function podNetwork(opts: NetworkOptions, ports: PortMapping[]): CniNetwork {
  const plugins: CniPluginConf[] = [
    {
      type: 'bridge',
      bridge: opts.bridge,
      isGateway: true,
      ipMasq: opts.ipMasq ?? true,
      hairpinMode: true,
      // The node's pod CIDR can change (UpdateRuntimeConfig); the bridge then takes its new gateway address.
      forceAddress: true,
      ipam: {
        type: 'host-local',
        ranges: [[{ subnet: opts.podCidr }]],
        routes: [{ dst: '0.0.0.0/0' }],
        dataDir: opts.ipamDataDir,
      },
    },
  ];
  const hostPorts = ports.filter((p) => p.hostPort && p.hostPort > 0);
  if (hostPorts.length > 0) {
    plugins.push({
      type: 'portmap',
      capabilities: { portMappings: true },
      snat: true,
      runtimeConfig: {
        portMappings: hostPorts.map((p) => ({
          hostPort: p.hostPort,
          containerPort: p.containerPort,
          protocol: p.protocol.toLowerCase(),
          ...(p.hostIp ? { hostIP: p.hostIp } : {}),
        })),
      },
    });
  }
  return { cniVersion: '1.0.0', name: opts.networkName, plugins };
}

/** pluginStdin is what one plugin of the chain reads on stdin. */
export function pluginStdin(net: CniNetwork, plugin: CniPluginConf, prevResult?: unknown): string {
  return JSON.stringify({ cniVersion: net.cniVersion, name: net.name, ...plugin, ...(prevResult ? { prevResult } : {}) });
}

/** CniResult is the part of a plugin's result Skiff reads. */
export interface CniResult {
  ips?: Array<{ address: string; gateway?: string }>;
}

/** podIp is the first address of a result without its prefix length. */
export function podIp(result: CniResult): string {
  return (result.ips?.[0]?.address ?? '').split('/')[0] ?? '';
}

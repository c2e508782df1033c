// A spare sandbox: a network namespace already on the pod network (CNI ADD done) with its IPC and
// UTS namespaces, made while the node is idle so RunPodSandbox does not wait for `ip netns add`
// and the CNI plugins (measured: 100-170 ms of a pod's start). The spare shim (containers/
// shim-launch.ts) does the same for StartContainer. Taking one is invisible through the CRI: the
// runtime chooses sandbox ids anyway, and a pod's hostname is set by runc in each container (the
// OCI spec's hostname), so the UTS namespace needs nothing of the pod beforehand.
import type { PodSandboxConfig } from '../api.js';
import type { CniNetwork, CniResult } from './cni-config.js';

/** SPARE_FILE marks a sandbox directory as a spare (sandbox.json marks a pod's). */
export const SPARE_FILE = 'spare.json';

/** SpareSandbox is what a spare holds; all of it passes to the sandbox record that takes it. */
export interface SpareSandbox {
  id: string;
  network: CniNetwork;
  netns: string;
  cniResult?: CniResult;
  ip: string;
  ipc: string;
  uts?: string;
}

/**
 * spareFits tells whether a pod can take the spare: only a pod on the pod network without host
 * ports (those add portmap to the chain), and only while the node's network is the one the spare
 * was made on (UpdateRuntimeConfig may have changed the CIDR or masquerading since).
 */
export function spareFits(spare: SpareSandbox, config: PodSandboxConfig, wanted: CniNetwork): boolean {
  return wantsPodNetwork(config) && sameNetwork(spare, wanted);
}

/** sameNetwork: the spare was made on the network a pod would get now. */
export function sameNetwork(spare: SpareSandbox, wanted: CniNetwork): boolean {
  return JSON.stringify(spare.network) === JSON.stringify(wanted);
}

/** wantsPodNetwork: the pod joins the pod network with the plain chain (no host network, no host ports). */
export function wantsPodNetwork(config: PodSandboxConfig): boolean {
  return config.hostNetwork !== true && !config.portMappings.some((p) => (p.hostPort ?? 0) > 0);
}

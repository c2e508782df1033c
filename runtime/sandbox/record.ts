// A pod sandbox as the runtime keeps it on disk (<root>/sandboxes/<id>/sandbox.json).
import type { PodSandboxConfig, SandboxState } from '../api.js';
import type { CniNetwork, CniResult } from './cni-config.js';

/** SandboxRecord holds what teardown needs: the network it joined and the namespaces it made. */
export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  createdAt: number;
  state: SandboxState;
  ip: string;
  netns?: string;
  ipc: string;
  uts?: string;
  cgroupParent: string;
  /** true when the runtime chose cgroupParent and so removes it with the sandbox. */
  ownsCgroupParent: boolean;
  network?: CniNetwork;
  cniResult?: CniResult;
}

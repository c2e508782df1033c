// NodePorts (upstream plugins/nodeports): a hostPort may be used once per node per protocol;
// 0.0.0.0 conflicts with every address.

import type { Pod } from '../../api/types/index.js';
import type { CycleState, FilterPlugin } from '../framework/interface.js';
import { SUCCESS, unschedulable, type Status } from '../framework/status.js';
import { hostPorts, type HostPort, type NodeInfo } from '../nodeinfo.js';

export const NODE_PORTS = 'NodePorts';
export const ERR_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

/** portsConflict is true when the two claims cannot share a node. */
export function portsConflict(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0';
}

/** NodePorts rejects nodes where a wanted hostPort is taken. */
export class NodePorts implements FilterPlugin {
  readonly name = NODE_PORTS;

  filter(_s: CycleState, pod: Pod, node: NodeInfo): Status {
    const want = hostPorts(pod);
    if (want.length === 0) return SUCCESS;
    for (const pi of node.pods) {
      if (pi.ports.some((used) => want.some((w) => portsConflict(w, used)))) return unschedulable(ERR_NODE_PORTS);
    }
    return SUCCESS;
  }
}

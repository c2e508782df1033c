// NodeName and NodeUnschedulable (upstream plugins/nodename, plugins/nodeunschedulable).

import type { Pod } from '../../api/types/index.js';
import type { CycleState, FilterPlugin } from '../framework/interface.js';
import { SUCCESS, unresolvable, type Status } from '../framework/status.js';
import type { NodeInfo } from '../nodeinfo.js';
import { tolerates } from './tolerations.js';

export const NODE_NAME = 'NodeName';
export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const ERR_NODE_NAME = "node(s) didn't match the requested node name";
export const ERR_UNSCHEDULABLE = 'node(s) were unschedulable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** NodeName rejects every node but the one a pod names in spec.nodeName. */
export class NodeName implements FilterPlugin {
  readonly name = NODE_NAME;

  filter(_s: CycleState, pod: Pod, node: NodeInfo): Status {
    return !pod.spec.nodeName || pod.spec.nodeName === node.name ? SUCCESS : unresolvable(ERR_NODE_NAME);
  }
}

/** NodeUnschedulable rejects cordoned nodes unless the pod tolerates the unschedulable taint. */
export class NodeUnschedulable implements FilterPlugin {
  readonly name = NODE_UNSCHEDULABLE;

  filter(_s: CycleState, pod: Pod, node: NodeInfo): Status {
    if (!node.node?.spec?.unschedulable) return SUCCESS;
    const taint = { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' };
    return (pod.spec.tolerations ?? []).some((t) => tolerates(t, taint)) ? SUCCESS : unresolvable(ERR_UNSCHEDULABLE);
  }
}

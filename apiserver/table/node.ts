// Node rows, as upstream's printNode: STATUS from the Ready condition plus
// SchedulingDisabled when cordoned, ROLES from node-role.kubernetes.io/* labels.

import type { Node } from '../../api/types/core.js';
import { since } from './duration.js';
import { AGE, NAME, column, orNone, printer, wide } from './columns.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

export function nodeStatusText(node: Node): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return orNone([...roles].sort().join(','));
}

function address(node: Node, type: string): string {
  return orNone(node.status?.addresses?.find((a) => a.type === type)?.address);
}

function infoOrUnknown(s: string | undefined): string {
  return s || '<unknown>';
}

export const nodePrinter = printer<Node>(
  [
    NAME,
    column('Status', 'The status of the node'),
    column('Roles', 'The roles of the node'),
    AGE,
    column('Version', 'Kubelet Version reported by the node.'),
    wide('Internal-IP', 'List of addresses reachable to the node.'),
    wide('External-IP', 'List of addresses reachable to the node.'),
    wide('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
    wide('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    wide('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
  ],
  (node, now) => {
    const info = node.status?.nodeInfo;
    return [
      node.metadata.name,
      nodeStatusText(node),
      nodeRoles(node),
      since(node.metadata.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      infoOrUnknown(info?.osImage),
      infoOrUnknown(info?.kernelVersion),
      infoOrUnknown(info?.containerRuntimeVersion),
    ];
  },
);

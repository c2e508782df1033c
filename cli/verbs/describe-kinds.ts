// The kind-specific part of describe: Deployment (replicas, strategy, template, conditions,
// replica sets), Pod, Node, Service, ConfigMap/Secret; anything else shows spec and status.

import type { LabelSelector } from '../../api/labels.js';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/registry.js';
import { alignColumns } from '../printers/columns.js';
import { ageSince } from '../printers/age.js';
import { formatLabels } from '../printers/table.js';
import { fields, selectorText, yamlBlock } from '../printers/describe-text.js';
import { listObjects } from './requests.js';
import { resolveType } from './resources.js';
import type { Session } from './session.js';

interface Container {
  name: string;
  image?: string;
  ports?: { containerPort: number; protocol?: string }[];
  env?: { name: string; value?: string }[];
  command?: string[];
  args?: string[];
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

type Any = Record<string, unknown>;

/** describeKind renders the sections after the common metadata. */
export async function describeKind(s: Session, res: ResourceInfo, obj: KubeObject, now: Date): Promise<string> {
  switch (res.kind) {
    case 'Deployment':
      return describeDeployment(s, obj);
    case 'Pod':
      return describePod(obj, now);
    case 'Node':
      return describeNode(obj);
    case 'Service':
      return describeService(obj);
    case 'ConfigMap':
      return dataSection(obj.data as Record<string, string> | undefined, false);
    case 'Secret':
      return fields([['Type:', String(obj.type ?? 'Opaque')]]) + dataSection(obj.data as Record<string, string> | undefined, true);
    default:
      return yamlBlock('Spec', obj.spec) + yamlBlock('Status', obj.status);
  }
}

function conditions(list: Condition[] | undefined, withReason: boolean): string {
  if (!list?.length) return '';
  const head = withReason ? ['Type', 'Status', 'Reason'] : ['Type', 'Status'];
  const rows = [head, head.map((h) => '-'.repeat(h.length)), ...list.map((c) => [c.type, c.status, ...(withReason ? [c.reason ?? ''] : [])])];
  return `Conditions:\n${alignColumns(rows, [], 2).map((l) => `  ${l}\n`).join('')}`;
}

function containers(list: Container[] | undefined, title = 'Containers'): string {
  if (!list?.length) return '';
  let out = `  ${title}:\n`;
  for (const c of list) {
    const pairs: [string, string][] = [['Image:', c.image ?? '']];
    pairs.push(['Port:', c.ports?.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ') || '<none>']);
    if (c.command) pairs.push(['Command:', c.command.join('\n')]);
    if (c.args) pairs.push(['Args:', c.args.join('\n')]);
    pairs.push(['Environment:', c.env?.map((e) => `${e.name}:  ${e.value ?? ''}`).join('\n') || '<none>']);
    out += `   ${c.name}:\n${fields(pairs, '    ')}`;
  }
  return out;
}

async function describeDeployment(s: Session, d: KubeObject): Promise<string> {
  const spec = (d.spec ?? {}) as Any & { selector?: LabelSelector; replicas?: number; strategy?: { type?: string; rollingUpdate?: Any }; template?: Any };
  const st = (d.status ?? {}) as Any & { conditions?: Condition[] };
  const n = (k: string): number => Number(st[k] ?? 0);
  const ru = spec.strategy?.rollingUpdate;
  const pairs: [string, string][] = [
    ['Selector:', selectorText(spec.selector)],
    ['Replicas:', `${spec.replicas ?? 1} desired | ${n('updatedReplicas')} updated | ${n('replicas')} total | ${n('availableReplicas')} available | ${n('unavailableReplicas')} unavailable`],
    ['StrategyType:', spec.strategy?.type ?? ''],
    ['MinReadySeconds:', String(spec.minReadySeconds ?? 0)],
  ];
  if (ru) pairs.push(['RollingUpdateStrategy:', `${String(ru.maxUnavailable)} max unavailable, ${String(ru.maxSurge)} max surge`]);
  const tpl = (spec.template ?? {}) as { metadata?: { labels?: Record<string, string> }; spec?: { containers?: Container[] } };
  let text = fields(pairs);
  text += `Pod Template:\n${fields([['Labels:', formatLabels(tpl.metadata?.labels).split(',').join('\n')]], '  ')}${containers(tpl.spec?.containers)}`;
  text += conditions(st.conditions, true);
  const rsets = await listObjects(s.client, resolveType('replicasets'), d.metadata.namespace, { labelSelector: selectorText(spec.selector).replace('<none>', '') });
  const owned = rsets.items.filter((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid));
  const rev = d.metadata.annotations?.['deployment.kubernetes.io/revision'];
  const isNew = (r: KubeObject): boolean => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === rev;
  const fmt = (r: KubeObject): string => {
    const rs = r.status as { replicas?: number } | undefined;
    return `${r.metadata.name} (${rs?.replicas ?? 0}/${(r.spec as { replicas?: number }).replicas ?? 0} replicas created)`;
  };
  const old = owned.filter((r) => !isNew(r) && ((r.spec as { replicas?: number }).replicas ?? 0) > 0);
  text += fields([
    ['OldReplicaSets:', old.map(fmt).join(', ') || '<none>'],
    ['NewReplicaSet:', owned.filter(isNew).map(fmt).join(', ') || '<none>'],
  ]);
  return text;
}

function describePod(p: KubeObject, now: Date): string {
  const spec = (p.spec ?? {}) as { nodeName?: string; containers?: Container[]; initContainers?: Container[] };
  const st = (p.status ?? {}) as { phase?: string; podIP?: string; startTime?: string; conditions?: Condition[]; containerStatuses?: Any[] };
  const ctrl = p.metadata.ownerReferences?.find((o) => o.controller);
  let text = fields([
    ['Node:', spec.nodeName ?? '<none>'],
    ['Start Time:', st.startTime ? `${new Date(st.startTime).toUTCString().replace('GMT', '+0000')} (${ageSince(st.startTime, now)} ago)` : '<none>'],
    ['Status:', st.phase ?? 'Pending'],
    ['IP:', st.podIP ?? ''],
    ['Controlled By:', ctrl ? `${ctrl.kind}/${ctrl.name}` : '<none>'],
  ]);
  text += containers(spec.initContainers, 'Init Containers').replace(/^ {2}/, '');
  text += containers(spec.containers).replace(/^ {2}/, '');
  for (const cs of st.containerStatuses ?? []) {
    const state = Object.keys((cs.state as Any | undefined) ?? {})[0] ?? 'Unknown';
    text += fields(
      [
        [`${String(cs.name)} State:`, state[0].toUpperCase() + state.slice(1)],
        ['Ready:', String(cs.ready ?? false)],
        ['Restart Count:', String(cs.restartCount ?? 0)],
      ],
      '  ',
    );
  }
  return text + conditions(st.conditions, false);
}

function describeNode(n: KubeObject): string {
  const spec = (n.spec ?? {}) as { unschedulable?: boolean; podCIDR?: string; taints?: { key: string; value?: string; effect: string }[] };
  const st = (n.status ?? {}) as { conditions?: Condition[]; addresses?: { type: string; address: string }[]; capacity?: Any; allocatable?: Any; nodeInfo?: Any };
  let text = fields([
    ['Taints:', spec.taints?.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join('\n') || '<none>'],
    ['Unschedulable:', String(spec.unschedulable ?? false)],
    ['PodCIDR:', spec.podCIDR ?? ''],
  ]);
  text += conditions(st.conditions, true);
  text += `Addresses:\n${fields((st.addresses ?? []).map((a) => [`${a.type}:`, a.address]), '  ')}`;
  text += yamlBlock('Capacity', st.capacity) + yamlBlock('Allocatable', st.allocatable) + yamlBlock('System Info', st.nodeInfo);
  return text;
}

function describeService(svc: KubeObject): string {
  const spec = (svc.spec ?? {}) as { type?: string; clusterIP?: string; selector?: Record<string, string>; ports?: { name?: string; port: number; targetPort?: unknown; protocol?: string; nodePort?: number }[] };
  const pairs: [string, string][] = [
    ['Selector:', formatLabels(spec.selector)],
    ['Type:', spec.type ?? 'ClusterIP'],
    ['IP:', spec.clusterIP ?? ''],
  ];
  for (const p of spec.ports ?? []) {
    pairs.push(['Port:', `${p.name || '<unset>'}  ${p.port}/${p.protocol ?? 'TCP'}`]);
    pairs.push(['TargetPort:', `${String(p.targetPort ?? p.port)}/${p.protocol ?? 'TCP'}`]);
    if (p.nodePort) pairs.push(['NodePort:', `${p.name || '<unset>'}  ${p.nodePort}/${p.protocol ?? 'TCP'}`]);
  }
  return fields(pairs);
}

function dataSection(data: Record<string, string> | undefined, secret: boolean): string {
  const entries = Object.entries(data ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (secret) return `\nData\n====\n${entries.map(([k, v]) => `${k}:  ${Buffer.from(v, 'base64').length} bytes\n`).join('')}`;
  return `\nData\n====\n${entries.map(([k, v]) => `${k}:\n----\n${v}\n\n`).join('')}`;
}

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/meta.js';
import { mustResource } from '../../../api/registry.js';
import type { ContainerStatus, Pod } from '../../../api/types/pod.js';
import { humanDuration, since } from '../../../apiserver/table/duration.js';
import { toTable, wantsTable } from '../../../apiserver/table/index.js';
import { podStatusSummary } from '../../../apiserver/table/pod.js';

const NOW = new Date('2025-01-10T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

interface Table {
  kind: string;
  apiVersion: string;
  metadata: Record<string, unknown>;
  columnDefinitions: { name: string; priority: number; type: string; format: string }[];
  rows: { cells: unknown[]; object?: KubeObject; conditions?: unknown[] }[];
}

function table(plural: string, objs: object[], opts: Parameters<typeof toTable>[2] = { now: NOW }): Table {
  return toTable(mustResource(plural), objs as KubeObject[], opts) as unknown as Table;
}

/** The cells of a single-object table, keyed by column name. */
function row(plural: string, obj: object): Record<string, unknown> {
  const t = table(plural, [obj]);
  return Object.fromEntries(t.columnDefinitions.map((c, i) => [c.name, t.rows[0]!.cells[i]]));
}

function meta(name: string, extra: object = {}) {
  return { name, namespace: 'default', creationTimestamp: ago(5 * M), ...extra };
}

describe('humanDuration', () => {
  it.each([
    [-5 * S, '<invalid>'],
    [-1 * S, '0s'],
    [0, '0s'],
    [5 * S, '5s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [3 * M + 2 * S, '3m2s'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [8 * H + 5 * M, '8h'],
    [47 * H, '47h'],
    [2 * D, '2d'],
    [3 * D + 4 * H, '3d4h'],
    [8 * D + 4 * H, '8d'],
    [729 * D, '729d'],
    [2 * 365 * D + 10 * D, '2y10d'],
    [9 * 365 * D, '9y'],
  ])('%d ms -> %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  it.each([
    [undefined, '<unknown>'],
    ['not a date', '<unknown>'],
    [ago(90 * S), '90s'],
  ])('since(%s) -> %s', (ts, want) => {
    expect(since(ts, NOW)).toBe(want);
  });
});

describe('wantsTable', () => {
  it.each([
    ['application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', true],
    ['application/json; as=Table; v=v1; g=meta.k8s.io', true],
    ['application/json', false],
    ['application/vnd.kubernetes.protobuf,application/json', false],
    ['application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', false],
    [undefined, false],
  ])('%s -> %s', (accept, want) => {
    expect(wantsTable(accept)).toBe(want);
  });
});

describe('toTable envelope', () => {
  const pod = { metadata: meta('web', { labels: { app: 'web' } }), spec: { containers: [{ name: 'c' }] } };

  it('is a meta.k8s.io/v1 Table carrying the list metadata', () => {
    const t = table('pods', [pod], { now: NOW, listMeta: { resourceVersion: '42', continue: 'tok', remainingItemCount: 3 } });
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '42', continue: 'tok', remainingItemCount: 3 });
  });

  it('rows carry PartialObjectMetadata by default, so -A and --show-labels work', () => {
    const t = table('pods', [pod]);
    expect(t.rows[0]!.object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata });
  });

  it.each([
    ['None', undefined],
    ['Object', { ...pod, apiVersion: 'v1', kind: 'Pod' }],
  ] as const)('includeObject=%s', (includeObject, want) => {
    expect(table('pods', [pod], { now: NOW, includeObject }).rows[0]!.object).toEqual(want);
  });

  it('an empty list still has its columns', () => {
    const t = table('deployments', []);
    expect(t.rows).toEqual([]);
    expect(t.columnDefinitions.map((c) => c.name)).toContain('Up-to-date');
  });
});

describe('column sets', () => {
  const cols = (plural: string, priority: number) =>
    table(plural, []).columnDefinitions.filter((c) => c.priority === priority).map((c) => c.name);

  it.each([
    ['pods', ['Name', 'Ready', 'Status', 'Restarts', 'Age'], ['IP', 'Node', 'Nominated Node', 'Readiness Gates']],
    ['deployments', ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'], ['Containers', 'Images', 'Selector']],
    ['replicasets', ['Name', 'Desired', 'Current', 'Ready', 'Age'], ['Containers', 'Images', 'Selector']],
    ['services', ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'], ['Selector']],
    ['endpoints', ['Name', 'Endpoints', 'Age'], []],
    ['nodes', ['Name', 'Status', 'Roles', 'Age', 'Version'], ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']],
    ['namespaces', ['Name', 'Status', 'Age'], []],
    ['configmaps', ['Name', 'Data', 'Age'], []],
    ['secrets', ['Name', 'Type', 'Data', 'Age'], []],
    ['events', ['Last Seen', 'Type', 'Reason', 'Object', 'Message'], ['Subobject', 'Source', 'First Seen', 'Count', 'Name']],
    ['leases', ['Name', 'Holder', 'Age'], []],
  ])('%s', (plural, normal, wide) => {
    expect(cols(plural, 0)).toEqual(normal);
    expect(cols(plural, 1)).toEqual(wide);
    const t = table(plural, []);
    expect(t.columnDefinitions.find((c) => c.format === 'name')?.name).toBe('Name');
  });
});

// ---- pods ---------------------------------------------------------------------------------

function cs(name: string, state: ContainerStatus['state'], extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return { name, state, ready: false, restartCount: 0, image: 'img', imageID: '', ...extra };
}
const running = { running: { startedAt: ago(M) } };
const ready = (name: string, extra: Partial<ContainerStatus> = {}) => cs(name, running, { ready: true, ...extra });

function pod(spec: Partial<Pod['spec']>, status: Pod['status'], metaExtra: object = {}): Pod {
  return { metadata: meta('p', metaExtra), spec: { containers: [{ name: 'a' }], ...spec }, status };
}

describe('pod STATUS and READY', () => {
  const two = { containers: [{ name: 'a' }, { name: 'b' }] };
  const init = { initContainers: [{ name: 'i1' }, { name: 'i2' }] };
  it.each([
    ['pending, no statuses', pod({}, { phase: 'Pending' }), 'Pending', '0/1'],
    ['running and ready', pod({}, { phase: 'Running', containerStatuses: [ready('a')] }), 'Running', '1/1'],
    ['status.reason wins over phase', pod({}, { phase: 'Failed', reason: 'Evicted' }), 'Evicted', '0/1'],
    ['waiting reason', pod({}, { phase: 'Pending', containerStatuses: [cs('a', { waiting: { reason: 'ContainerCreating' } })] }), 'ContainerCreating', '0/1'],
    ['crash loop', pod({}, { phase: 'Running', containerStatuses: [cs('a', { waiting: { reason: 'CrashLoopBackOff' } })] }), 'CrashLoopBackOff', '0/1'],
    ['first container wins', pod(two, { phase: 'Running', containerStatuses: [cs('a', { waiting: { reason: 'ImagePullBackOff' } }), cs('b', { waiting: { reason: 'ErrImagePull' } })] }), 'ImagePullBackOff', '0/2'],
    ['one of two ready', pod(two, { phase: 'Running', containerStatuses: [ready('a'), cs('b', running)] }), 'Running', '1/2'],
    ['completed', pod({}, { phase: 'Succeeded', containerStatuses: [cs('a', { terminated: { exitCode: 0, reason: 'Completed' } })] }), 'Completed', '0/1'],
    ['terminated without reason', pod({}, { phase: 'Failed', containerStatuses: [cs('a', { terminated: { exitCode: 137 } })] }), 'ExitCode:137', '0/1'],
    ['terminated by signal', pod({}, { phase: 'Failed', containerStatuses: [cs('a', { terminated: { exitCode: 0, signal: 9 } })] }), 'Signal:9', '0/1'],
    ['completed but another runs, pod Ready', pod(two, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [cs('a', { terminated: { exitCode: 0, reason: 'Completed' } }), ready('b')] }), 'Running', '1/2'],
    ['completed but another runs, pod not Ready', pod(two, { phase: 'Running', containerStatuses: [cs('a', { terminated: { exitCode: 0, reason: 'Completed' } }), ready('b')] }), 'NotReady', '1/2'],
    ['terminating', pod({}, { phase: 'Running', containerStatuses: [ready('a')] }, { deletionTimestamp: ago(S) }), 'Terminating', '1/1'],
    ['terminal pod being deleted keeps its reason', pod({}, { phase: 'Succeeded', containerStatuses: [cs('a', { terminated: { exitCode: 0, reason: 'Completed' } })] }, { deletionTimestamp: ago(S) }), 'Completed', '0/1'],
    ['node lost', pod({}, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: ago(S) }), 'Unknown', '0/1'],
    ['scheduling gated', pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), 'SchedulingGated', '0/1'],
    ['init 0/2 running', pod(init, { phase: 'Pending', initContainerStatuses: [cs('i1', running), cs('i2', { waiting: { reason: 'PodInitializing' } })] }), 'Init:0/2', '0/1'],
    ['init 1/2', pod(init, { phase: 'Pending', initContainerStatuses: [cs('i1', { terminated: { exitCode: 0, reason: 'Completed' } }), cs('i2', running)] }), 'Init:1/2', '0/1'],
    ['init waiting reason', pod(init, { phase: 'Pending', initContainerStatuses: [cs('i1', { waiting: { reason: 'CrashLoopBackOff' } })] }), 'Init:CrashLoopBackOff', '0/1'],
    ['init failed with reason', pod(init, { phase: 'Pending', initContainerStatuses: [cs('i1', { terminated: { exitCode: 1, reason: 'Error' } })] }), 'Init:Error', '0/1'],
    ['init failed without reason', pod(init, { phase: 'Pending', initContainerStatuses: [cs('i1', { terminated: { exitCode: 2 } })] }), 'Init:ExitCode:2', '0/1'],
    ['init done, containers decide', pod(init, { phase: 'Running', initContainerStatuses: [cs('i1', { terminated: { exitCode: 0, reason: 'Completed' } }), cs('i2', { terminated: { exitCode: 0, reason: 'Completed' } })], containerStatuses: [ready('a')] }), 'Running', '1/1'],
    ['started sidecar counts as a ready container', pod({ initContainers: [{ name: 's', restartPolicy: 'Always' }] }, { phase: 'Running', initContainerStatuses: [ready('s', { started: true })], containerStatuses: [ready('a')] }), 'Running', '2/2'],
  ])('%s -> %s %s', (_name, p, status, readyText) => {
    const r = row('pods', p);
    expect(r.Status).toBe(status);
    expect(r.Ready).toBe(readyText);
  });
});

describe('pod RESTARTS and wide columns', () => {
  it.each([
    ['no restarts', [ready('a')], '0'],
    ['restarts without a finish time', [ready('a', { restartCount: 2 })], '2'],
    ['restarts with the last finish time', [ready('a', { restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * M) } } })], '3 (5m ago)'],
    [
      'summed over containers, latest time',
      [
        ready('a', { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * H) } } }),
        ready('b', { restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(30 * S) } } }),
      ],
      '3 (30s ago)',
    ],
  ])('%s -> %s', (_name, statuses, want) => {
    const p = pod({ containers: [{ name: 'a' }, { name: 'b' }] }, { phase: 'Running', containerStatuses: statuses });
    expect(row('pods', p).Restarts).toBe(want);
  });

  it('prints IP, node, nominated node and readiness gates', () => {
    const p = pod(
      { nodeName: 'n1', readinessGates: [{ conditionType: 'x' }, { conditionType: 'y' }] } as Partial<Pod['spec']>,
      { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }], conditions: [{ type: 'x', status: 'True' }, { type: 'y', status: 'False' }] },
    );
    const r = row('pods', p);
    expect([r.IP, r.Node, r['Nominated Node'], r['Readiness Gates'], r.Age]).toEqual(['10.0.0.5', 'n1', '<none>', '1/2', '5m']);
  });

  it('prints <none> for a pending pod', () => {
    const r = row('pods', pod({}, { phase: 'Pending' }));
    expect([r.IP, r.Node, r['Nominated Node'], r['Readiness Gates']]).toEqual(['<none>', '<none>', '<none>', '<none>']);
  });

  it.each([
    ['Succeeded', 'Succeeded'],
    ['Failed', 'Failed'],
  ])('a %s pod carries a Completed row condition', (phase, reason) => {
    const t = table('pods', [pod({}, { phase })]);
    expect(t.rows[0]!.conditions).toEqual([expect.objectContaining({ type: 'Completed', status: 'True', reason })]);
  });

  it('summary counts restarts of failed init containers while initializing', () => {
    const p = pod({ initContainers: [{ name: 'i' }] }, { phase: 'Pending', initContainerStatuses: [cs('i', { waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 4 })] });
    expect(podStatusSummary(p).restarts.count).toBe(4);
  });
});

// ---- other kinds --------------------------------------------------------------------------

const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }] } };

describe('workload rows', () => {
  it('deployment', () => {
    const d = {
      metadata: meta('web'),
      spec: { replicas: 3, selector: { matchLabels: { app: 'web', tier: 'fe' } }, template },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(table('deployments', [d]).rows[0]!.cells).toEqual(['web', '2/3', 3, 2, '5m', 'web,side', 'nginx:1.27,busybox', 'app=web,tier=fe']);
  });

  it('deployment without status', () => {
    const d = { metadata: meta('web'), spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template } };
    expect(table('deployments', [d]).rows[0]!.cells.slice(0, 4)).toEqual(['web', '0/2', 0, 0]);
  });

  it('replicaset with a matchExpressions selector', () => {
    const rs = {
      metadata: meta('web-abc'),
      spec: { replicas: 3, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }, template },
      status: { replicas: 3, readyReplicas: 1 },
    };
    expect(table('replicasets', [rs]).rows[0]!.cells).toEqual(['web-abc', 3, 3, 1, '5m', 'web,side', 'nginx:1.27,busybox', 'app in (web)']);
  });
});

describe('service rows', () => {
  const svc = (spec: object, status: object = {}) => ({ metadata: meta('web', { creationTimestamp: ago(3 * D) }), spec, status });
  it.each([
    ['ClusterIP', svc({ type: 'ClusterIP', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web' } }),
      ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '3d', 'app=web']],
    ['NodePort', svc({ type: 'NodePort', clusterIP: '10.96.0.11', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }),
      ['web', 'NodePort', '10.96.0.11', '<none>', '80:30080/TCP,53/UDP', '3d', '<none>']],
    ['headless, external IPs', svc({ type: 'ClusterIP', clusterIP: 'None', externalIPs: ['1.2.3.4'] }),
      ['web', 'ClusterIP', 'None', '1.2.3.4', '<none>', '3d', '<none>']],
    ['LoadBalancer pending', svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.12'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }),
      ['web', 'LoadBalancer', '10.96.0.12', '<pending>', '443:31443/TCP', '3d', '<none>']],
    ['LoadBalancer with ingress', svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.12'] }, { loadBalancer: { ingress: [{ ip: '5.6.7.8' }, { hostname: 'lb.example' }] } }),
      ['web', 'LoadBalancer', '10.96.0.12', '5.6.7.8,lb.example', '<none>', '3d', '<none>']],
    ['ExternalName', svc({ type: 'ExternalName', externalName: 'db.example.com' }),
      ['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '3d', '<none>']],
  ])('%s', (_name, s, want) => {
    expect(table('services', [s]).rows[0]!.cells).toEqual(want);
  });
});

describe('endpoints rows', () => {
  const ep = (subsets: object[] | undefined) => ({ metadata: meta('web'), subsets });
  const addrs = (...ips: string[]) => ips.map((ip) => ({ ip }));
  it.each([
    ['no subsets', undefined, '<none>'],
    ['one port', [{ addresses: addrs('10.0.0.1', '10.0.0.2'), ports: [{ port: 80 }] }], '10.0.0.1:80,10.0.0.2:80'],
    ['headless without ports', [{ addresses: addrs('10.0.0.1') }], '10.0.0.1'],
    ['not ready only', [{ notReadyAddresses: addrs('10.0.0.1'), ports: [{ port: 80 }] }], '<none>'],
    ['more than three', [{ addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'), ports: [{ port: 80 }, { port: 443 }] }],
      '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 5 more...'],
    ['IPv6', [{ addresses: addrs('fd00::1'), ports: [{ port: 80 }] }], '[fd00::1]:80'],
  ])('%s -> %s', (_name, subsets, want) => {
    expect(row('endpoints', ep(subsets)).Endpoints).toBe(want);
  });
});

describe('node rows', () => {
  const node = (extra: { labels?: object; unschedulable?: boolean; ready?: string }) => ({
    metadata: { name: 'n1', creationTimestamp: ago(4 * H + 5 * M), labels: extra.labels },
    spec: { unschedulable: extra.unschedulable },
    status: {
      conditions: extra.ready ? [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: extra.ready }] : [],
      addresses: [{ type: 'InternalIP', address: '192.168.1.10' }, { type: 'Hostname', address: 'n1' }],
      nodeInfo: { kubeletVersion: 'v1.33.0-skiff', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'skiff://0.1' },
    },
  });
  it.each([
    ['ready worker', node({ ready: 'True' }), ['n1', 'Ready', '<none>', '4h5m', 'v1.33.0-skiff', '192.168.1.10', '<none>', 'Debian GNU/Linux 12', '6.1.0', 'skiff://0.1']],
    ['cordoned control plane', node({ ready: 'True', unschedulable: true, labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master' } }),
      ['n1', 'Ready,SchedulingDisabled', 'control-plane,master']],
    ['not ready', node({ ready: 'False' }), ['n1', 'NotReady']],
    ['no Ready condition', node({}), ['n1', 'Unknown']],
  ])('%s', (_name, n, want) => {
    expect(table('nodes', [n]).rows[0]!.cells.slice(0, want.length)).toEqual(want);
  });
});

describe('small kinds', () => {
  it.each([
    ['namespaces', { metadata: { name: 'dev', creationTimestamp: ago(45 * S) }, status: { phase: 'Active' } }, ['dev', 'Active', '45s']],
    ['configmaps', { metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, ['cfg', 3, '5m']],
    ['configmaps', { metadata: meta('empty') }, ['empty', 0, '5m']],
    ['secrets', { metadata: meta('tok'), type: 'kubernetes.io/service-account-token', data: { token: 'eA==' } }, ['tok', 'kubernetes.io/service-account-token', 1, '5m']],
    ['secrets', { metadata: meta('plain') }, ['plain', 'Opaque', 0, '5m']],
    ['leases', { metadata: meta('kube-scheduler'), spec: { holderIdentity: 'skiff-1_abc' } }, ['kube-scheduler', 'skiff-1_abc', '5m']],
  ])('%s', (plural, obj, want) => {
    expect(table(plural, [obj]).rows[0]!.cells).toEqual(want);
  });
});

describe('event rows', () => {
  const base = { metadata: meta('web.17a'), involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{web}' }, type: 'Normal', reason: 'Pulled', message: ' Pulled image \n', source: { component: 'kubelet', host: 'n1' } };
  it.each([
    ['first and last timestamps', { ...base, firstTimestamp: ago(10 * M), lastTimestamp: ago(2 * M), count: 4 },
      ['2m', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{web}', 'kubelet, n1', 'Pulled image', '10m', 4, 'web.17a']],
    ['only eventTime, series', { ...base, eventTime: ago(9 * M), series: { count: 7, lastObservedTime: ago(30 * S) }, source: undefined, reportingComponent: 'skiff-scheduler' },
      ['30s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{web}', 'skiff-scheduler', 'Pulled image', '9m', 7, 'web.17a']],
    ['no last timestamp, no count', { ...base, firstTimestamp: ago(3 * M), involvedObject: { kind: 'Node' } },
      ['3m', 'Normal', 'Pulled', 'node', '', 'kubelet, n1', 'Pulled image', '3m', 1, 'web.17a']],
  ])('%s', (_name, ev, want) => {
    expect(table('events', [ev]).rows[0]!.cells).toEqual(want);
  });
});

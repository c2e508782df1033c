// Node status as the agent computes and posts it (ISSUE-7): built from host facts, compared with
// the server's copy of the Node, posted on change or at least every report period.
import { describe, expect, it } from 'vitest';
import type { NodeStatus } from '../../../api/types/core.js';
import { buildNodeStatus, nodeStatusChanged, shouldPostNodeStatus, type NodeFacts } from '../../../kubelet/node-status.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1);

function facts(over: Partial<NodeFacts> = {}): NodeFacts {
  return {
    host: {
      cpus: 2, memoryBytes: 8 * 1024 ** 3, hostname: 'n1', hostIP: '10.0.0.1', os: 'linux', arch: 'x64',
      kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12', machineID: 'm', bootID: 'b',
    },
    runtimeVersion: 'skiff-runc://0.1.0',
    runtimeReady: true,
    pressure: { memory: false, disk: false, pid: false },
    daemonPort: 10250,
    ...over,
  };
}

/** A round trip through JSON, as the server's copy arrives (keys possibly in another order). */
function asServerHasIt(s: NodeStatus): NodeStatus {
  const copy = JSON.parse(JSON.stringify(s)) as NodeStatus;
  return { nodeInfo: copy.nodeInfo, conditions: [...(copy.conditions ?? [])].reverse(), addresses: copy.addresses, capacity: copy.capacity, allocatable: copy.allocatable, daemonEndpoints: copy.daemonEndpoints };
}

const cond = (s: NodeStatus, type: string) => s.conditions?.find((c) => c.type === type);

describe('buildNodeStatus', () => {
  it('reports capacity, allocatable, the four conditions, addresses and nodeInfo', () => {
    const s = buildNodeStatus(facts({ reserved: { cpu: '100m' } }), undefined, T0);
    expect(s.capacity).toMatchObject({ cpu: '2', pods: '110' });
    expect(s.allocatable).toMatchObject({ cpu: '1900m' });
    expect(s.conditions?.map((c) => [c.type, c.status])).toEqual([['MemoryPressure', 'False'], ['DiskPressure', 'False'], ['PIDPressure', 'False'], ['Ready', 'True']]);
    expect(s.nodeInfo).toMatchObject({ architecture: 'amd64', operatingSystem: 'linux', containerRuntimeVersion: 'skiff-runc://0.1.0' });
  });

  it.each([
    ['memory', 'MemoryPressure', 'KubeletHasInsufficientMemory'],
    ['disk', 'DiskPressure', 'KubeletHasDiskPressure'],
    ['pid', 'PIDPressure', 'KubeletHasInsufficientPID'],
  ] as const)('%s pressure turns %s True with reason %s', (k, type, reason) => {
    const s = buildNodeStatus(facts({ pressure: { memory: false, disk: false, pid: false, [k]: true } }), undefined, T0);
    expect(cond(s, type)).toMatchObject({ status: 'True', reason });
  });

  it('keeps lastTransitionTime from the server copy while a condition keeps its status, moves it on a change', () => {
    const first = buildNodeStatus(facts(), undefined, T0);
    const same = buildNodeStatus(facts(), first, T0 + MIN);
    expect(cond(same, 'Ready')?.lastTransitionTime).toBe(cond(first, 'Ready')?.lastTransitionTime);
    expect(cond(same, 'Ready')?.lastHeartbeatTime).not.toBe(cond(first, 'Ready')?.lastHeartbeatTime);
    const down = buildNodeStatus(facts({ runtimeReady: false }), first, T0 + MIN);
    expect(cond(down, 'Ready')).toMatchObject({ status: 'False', reason: 'KubeletNotReady' });
    expect(cond(down, 'Ready')?.lastTransitionTime).not.toBe(cond(first, 'Ready')?.lastTransitionTime);
  });
});

describe('nodeStatusChanged (against the server copy)', () => {
  const posted = buildNodeStatus(facts(), undefined, T0);
  const cases: { name: string; server: NodeStatus | undefined; next: NodeStatus; changed: boolean }[] = [
    { name: 'no server copy yet', server: undefined, next: posted, changed: true },
    { name: 'only heartbeat times moved', server: asServerHasIt(posted), next: buildNodeStatus(facts(), posted, T0 + 10_000), changed: false },
    {
      name: 'the node lifecycle controller set Ready Unknown on the server',
      server: { ...asServerHasIt(posted), conditions: posted.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c)) },
      next: buildNodeStatus(facts(), posted, T0 + 10_000),
      changed: true,
    },
    { name: 'a pressure condition turned True', server: asServerHasIt(posted), next: buildNodeStatus(facts({ pressure: { memory: true, disk: false, pid: false } }), posted, T0 + 10_000), changed: true },
    { name: 'capacity changed', server: asServerHasIt(posted), next: buildNodeStatus(facts({ capacity: { pods: '50' } }), posted, T0 + 10_000), changed: true },
    { name: 'a condition of our type is missing on the server', server: { ...asServerHasIt(posted), conditions: posted.conditions!.filter((c) => c.type !== 'PIDPressure') }, next: posted, changed: true },
    {
      name: 'a condition someone else owns (NetworkUnavailable) does not count',
      server: { ...asServerHasIt(posted), conditions: [...posted.conditions!, { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated' }] },
      next: buildNodeStatus(facts(), posted, T0 + 10_000),
      changed: false,
    },
    { name: 'a field the agent does not report does not count', server: { ...asServerHasIt(posted), images: [] } as NodeStatus, next: posted, changed: false },
  ];
  it.each(cases)('$name → $changed', ({ server, next, changed }) => {
    expect(nodeStatusChanged(server, next)).toBe(changed);
  });
});

describe('shouldPostNodeStatus (change, or at least every report period)', () => {
  const server = buildNodeStatus(facts(), undefined, T0);
  const unchanged = buildNodeStatus(facts(), server, T0 + 50_000);
  const changed = buildNodeStatus(facts({ runtimeReady: false }), server, T0 + 10_000);
  const cases = [
    { name: 'unchanged, last post 50 s ago', next: unchanged, lastPost: T0, now: T0 + 50_000, post: false },
    { name: 'unchanged, last post 60 s ago', next: unchanged, lastPost: T0, now: T0 + MIN, post: true },
    { name: 'unchanged, never posted by this agent (restart)', next: unchanged, lastPost: undefined, now: T0 + 10_000, post: true },
    { name: 'changed, last post 10 s ago', next: changed, lastPost: T0, now: T0 + 10_000, post: true },
  ];
  it.each(cases)('$name → $post', ({ next, lastPost, now, post }) => {
    expect(shouldPostNodeStatus(asServerHasIt(server), next, lastPost, now, MIN)).toBe(post);
  });
});

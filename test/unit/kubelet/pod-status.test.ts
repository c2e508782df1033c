import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../api/types/pod.js';
import { generatePodStatus, waitingKey, type StatusFacts } from '../../../kubelet/pod-status.js';
import type { RuntimeContainer, RuntimePodStatus } from '../../../kubelet/runtime-state.js';

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);

function pod(policy = 'Always', readiness = false): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'u' },
    spec: { restartPolicy: policy, containers: [{ name: 'a', image: 'img', ...(readiness ? { readinessProbe: { exec: { command: ['x'] } } } : {}) }] },
  };
}

function ctr(state: RuntimeContainer['state'], o: Partial<RuntimeContainer> = {}): RuntimeContainer {
  return { id: 'c1', name: 'a', init: false, restartCount: 0, state, createdAt: T0, startedAt: T0, finishedAt: T0 + 1000, exitCode: 0, reason: '', message: '', image: 'img', imageRef: 'sha256:x', hash: '', logPath: '', ...o };
}

function rs(containers: RuntimeContainer[]): RuntimePodStatus {
  return { uid: 'u', sandboxes: [{ id: 'sb', attempt: 0, ready: true, createdAt: T0, ip: '10.0.0.5' }], containers };
}

function facts(o: Partial<StatusFacts> = {}): StatusFacts {
  return { now: T0 + 5000, hostIP: '192.168.1.2', runtimeName: 'containerd', ready: () => undefined, started: () => undefined, waiting: new Map(), ...o };
}

describe('generatePodStatus', () => {
  const cases: { name: string; pod: Pod; rs: RuntimePodStatus; facts?: Partial<StatusFacts>; phase: string; ready: string; state: string; reason?: string }[] = [
    { name: 'no container yet: Pending, ContainerCreating', pod: pod(), rs: rs([]), phase: 'Pending', ready: 'False', state: 'waiting', reason: 'ContainerCreating' },
    { name: 'running without readiness probe: Running and Ready', pod: pod(), rs: rs([ctr('running')]), phase: 'Running', ready: 'True', state: 'running' },
    { name: 'running, readiness not yet passed: not Ready', pod: pod('Always', true), rs: rs([ctr('running')]), facts: { ready: () => false }, phase: 'Running', ready: 'False', state: 'running' },
    { name: 'exited 0 with Never: Succeeded', pod: pod('Never'), rs: rs([ctr('exited')]), phase: 'Succeeded', ready: 'False', state: 'terminated', reason: 'Completed' },
    { name: 'exited 1 with Never: Failed', pod: pod('Never'), rs: rs([ctr('exited', { exitCode: 1, reason: 'Error' })]), phase: 'Failed', ready: 'False', state: 'terminated', reason: 'Error' },
    { name: 'OOMKilled reported', pod: pod('Never'), rs: rs([ctr('exited', { exitCode: 137, reason: 'OOMKilled' })]), phase: 'Failed', ready: 'False', state: 'terminated', reason: 'OOMKilled' },
    {
      name: 'crash loop: waiting CrashLoopBackOff, phase Running',
      pod: pod(),
      rs: rs([ctr('exited', { exitCode: 1, restartCount: 2 })]),
      facts: { waiting: new Map([[waitingKey(false, 'a'), { reason: 'CrashLoopBackOff', message: 'back-off 20s' }]]) },
      phase: 'Running',
      ready: 'False',
      state: 'waiting',
      reason: 'CrashLoopBackOff',
    },
    {
      name: 'config error before first start: Pending',
      pod: pod(),
      rs: rs([]),
      facts: { waiting: new Map([[waitingKey(false, 'a'), { reason: 'CreateContainerConfigError', message: 'configmap "x" not found' }]]) },
      phase: 'Pending',
      ready: 'False',
      state: 'waiting',
      reason: 'CreateContainerConfigError',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const s = generatePodStatus(tc.pod, tc.rs, facts(tc.facts));
      const cs = s.containerStatuses?.[0];
      const state = Object.keys(cs?.state ?? {})[0];
      const detail = (cs?.state as Record<string, { reason?: string }>)[state];
      expect([s.phase, s.conditions?.find((c) => c.type === 'Ready')?.status, state, detail?.reason]).toEqual([tc.phase, tc.ready, tc.state, tc.reason]);
    });
  }

  it('fills IPs, qosClass, startTime, containerID and lastState', () => {
    const s = generatePodStatus(pod(), rs([ctr('running', { id: 'c2', restartCount: 1 }), ctr('exited', { id: 'c1', exitCode: 1 })]), facts());
    expect(s).toMatchObject({ podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }], hostIP: '192.168.1.2', qosClass: 'BestEffort', startTime: '2024-05-01T10:00:05Z' });
    expect(s.containerStatuses?.[0]).toMatchObject({ containerID: 'containerd://c2', restartCount: 1, imageID: 'sha256:x', lastState: { terminated: { exitCode: 1, reason: 'Error' } } });
  });

  it('keeps lastTransitionTime while a condition is unchanged', () => {
    const p = pod();
    p.status = { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z' }] };
    const s = generatePodStatus(p, rs([ctr('running')]), facts());
    expect(s.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe('2020-01-01T00:00:00Z');
    expect(s.conditions?.find((c) => c.type === 'Initialized')?.lastTransitionTime).toBe('2024-05-01T10:00:05Z');
  });
});

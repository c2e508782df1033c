import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../api/types/pod.js';
import { computePodActions, containerHash, deadInstancesToRemove, type PlanFacts } from '../../../kubelet/pod-actions.js';
import type { RuntimeContainer, RuntimePodStatus } from '../../../kubelet/runtime-state.js';

function pod(opts: { policy?: string; inits?: string[]; apps?: string[] } = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'u' },
    spec: {
      restartPolicy: opts.policy ?? 'Always',
      initContainers: (opts.inits ?? []).map((name) => ({ name, image: 'i' })),
      containers: (opts.apps ?? ['a']).map((name) => ({ name, image: 'i' })),
    },
  };
}

function ctr(name: string, state: RuntimeContainer['state'], o: Partial<RuntimeContainer> = {}): RuntimeContainer {
  return { id: `${name}-${o.restartCount ?? 0}`, name, init: false, restartCount: 0, state, createdAt: 1, startedAt: 1, finishedAt: 100, exitCode: 0, reason: '', message: '', image: 'i', imageRef: '', hash: '', logPath: '', ...o };
}

function rs(ready: boolean | undefined, containers: RuntimeContainer[] = []): RuntimePodStatus {
  return { uid: 'u', sandboxes: ready === undefined ? [] : [{ id: 'sb', attempt: 0, ready, createdAt: 1, ip: '10.0.0.1' }], containers };
}

const facts = (o: Partial<PlanFacts> = {}): PlanFacts => ({
  now: 1000,
  backoffRemaining: () => 0,
  backoffDelay: () => 10_000,
  probeFailed: () => undefined,
  ...o,
});

describe('computePodActions', () => {
  const cases: { name: string; pod: Pod; rs: RuntimePodStatus; facts?: Partial<PlanFacts>; want: Record<string, unknown> }[] = [
    { name: 'new pod: sandbox and every app container', pod: pod({ apps: ['a', 'b'] }), rs: rs(undefined), want: { createSandbox: true, killPod: false, start: ['a', 'b'] } },
    { name: 'new pod with init containers: only the first init', pod: pod({ inits: ['i1', 'i2'] }), rs: rs(undefined), want: { createSandbox: true, start: ['i1'] } },
    { name: 'first init succeeded: second init next', pod: pod({ inits: ['i1', 'i2'] }), rs: rs(true, [ctr('i1', 'exited', { init: true })]), want: { start: ['i2'] } },
    { name: 'init running: wait', pod: pod({ inits: ['i1'] }), rs: rs(true, [ctr('i1', 'running', { init: true })]), want: { start: [] } },
    { name: 'inits done: app containers', pod: pod({ inits: ['i1'] }), rs: rs(true, [ctr('i1', 'exited', { init: true })]), want: { start: ['a'] } },
    { name: 'init failed with Never: pod failed', pod: pod({ inits: ['i1'], policy: 'Never' }), rs: rs(true, [ctr('i1', 'exited', { init: true, exitCode: 1 })]), want: { initFailed: true, start: [] } },
    { name: 'running container: nothing to do', pod: pod(), rs: rs(true, [ctr('a', 'running')]), want: { start: [], kill: [], killPod: false } },
    { name: 'exited with Always: restart', pod: pod(), rs: rs(true, [ctr('a', 'exited')]), want: { start: ['a'] } },
    { name: 'exited 0 with OnFailure: stays down, pod finished', pod: pod({ policy: 'OnFailure' }), rs: rs(true, [ctr('a', 'exited')]), want: { start: [], killPod: true } },
    { name: 'exited 1 with OnFailure: restart', pod: pod({ policy: 'OnFailure' }), rs: rs(true, [ctr('a', 'exited', { exitCode: 1 })]), want: { start: ['a'] } },
    { name: 'exited with Never: stays down', pod: pod({ policy: 'Never' }), rs: rs(true, [ctr('a', 'exited', { exitCode: 1 })]), want: { start: [], killPod: true } },
    { name: 'exited, still in back-off', pod: pod(), rs: rs(true, [ctr('a', 'exited', { exitCode: 1 })]), facts: { backoffRemaining: () => 5000 }, want: { start: [], backOff: ['a'] } },
    { name: 'created but never started (start failed): remove it, restart', pod: pod(), rs: rs(true, [ctr('a', 'created')]), want: { kill: ['a'], start: ['a'] } },
    { name: 'created but never started, in back-off since its creation', pod: pod(), rs: rs(true, [ctr('a', 'created')]), facts: { backoffRemaining: (_k, at) => (at === 1 ? 5000 : 0) }, want: { kill: ['a'], start: [], backOff: ['a'] } },
    { name: 'init created but never started: back-off applies', pod: pod({ inits: ['i1'] }), rs: rs(true, [ctr('i1', 'created', { init: true })]), facts: { backoffRemaining: () => 5000 }, want: { kill: ['i1'], start: [], backOff: ['i1'] } },
    { name: 'liveness failed: kill and restart', pod: pod(), rs: rs(true, [ctr('a', 'running')]), facts: { probeFailed: () => 'liveness' }, want: { kill: ['a'], start: ['a'] } },
    { name: 'liveness failed with Never: kill only', pod: pod({ policy: 'Never' }), rs: rs(true, [ctr('a', 'running')]), facts: { probeFailed: () => 'liveness' }, want: { kill: ['a'], start: [] } },
    { name: 'spec changed: restart', pod: pod(), rs: rs(true, [ctr('a', 'running', { hash: 'old' })]), want: { kill: ['a'], start: ['a'] } },
    { name: 'sandbox died: kill and new sandbox attempt 1', pod: pod(), rs: rs(false, [ctr('a', 'exited')]), want: { killPod: true, createSandbox: true, sandboxAttempt: 1, start: ['a'] } },
    { name: 'sandbox died with Never after running: no new sandbox', pod: pod({ policy: 'Never' }), rs: rs(false, [ctr('a', 'exited', { exitCode: 1 })]), want: { killPod: true, createSandbox: false } },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const a = computePodActions(tc.pod, tc.rs, facts(tc.facts));
      const got: Record<string, unknown> = {
        ...a,
        start: a.start.map((s) => s.name),
        kill: a.kill.map((k) => k.name),
        backOff: a.backOff.map((b) => b.name),
      };
      expect(got).toMatchObject(tc.want);
    });
  }

  it('restart count is the last instance plus one', () => {
    const a = computePodActions(pod(), rs(true, [ctr('a', 'exited', { restartCount: 3 })]), facts());
    expect(a.start[0].restartCount).toBe(4);
  });

  it('same spec hash keeps a running container', () => {
    const p = pod();
    const a = computePodActions(p, rs(true, [ctr('a', 'running', { hash: containerHash(p.spec.containers[0]) })]), facts());
    expect(a.kill).toEqual([]);
  });

  it('keeps the newest two instances of each container and removes older dead ones', () => {
    const status = rs(true, [
      ctr('a', 'running', { id: 'a3' }), ctr('a', 'exited', { id: 'a2' }), ctr('a', 'exited', { id: 'a1' }), ctr('a', 'exited', { id: 'a0' }),
      ctr('b', 'exited', { id: 'b1' }), ctr('b', 'exited', { id: 'b0' }), ctr('b', 'exited', { id: 'bi', init: true }),
    ]);
    expect(deadInstancesToRemove(status)).toEqual(['a1', 'a0']);
    expect(computePodActions(pod({ apps: ['a', 'b'] }), status, facts()).remove).toEqual(['a1', 'a0']);
  });
});

// ProbeWorker.step() driven directly, no timers (upstream prober/worker_test.go).
import { describe, expect, it } from 'vitest';
import type { Probe } from '../../../api/types/pod.js';
import type { ProbeResult } from '../../../kubelet/prober.js';
import { ProbeWorker, type ContainerView, type ProbeType } from '../../../kubelet/probe-worker.js';

function harness(type: ProbeType, probe: Probe, outcomes: ProbeResult[], view: Partial<ContainerView> = {}) {
  let now = 100_000;
  const results: (ProbeResult | undefined)[] = [];
  let current: ProbeResult | undefined;
  let runs = 0;
  let v: ContainerView | 'gone' = { containerId: 'c1', running: true, startedAt: 0, started: true, ...view };
  const w = new ProbeWorker(type, probe, {
    now: () => now,
    view: () => v,
    run: async () => ({ result: outcomes[Math.min(runs++, outcomes.length - 1)], output: '' }),
    setResult: (_id, r) => (current = r),
    removeResult: () => (current = undefined),
    onProbeFailure: () => undefined,
  });
  return {
    async steps(n: number) {
      for (let i = 0; i < n; i++) {
        await w.step();
        results.push(current);
      }
      return results;
    },
    setView: (x: ContainerView | 'gone') => (v = x),
    advance: (ms: number) => (now += ms),
    runs: () => runs,
    w,
  };
}

describe('ProbeWorker.step', () => {
  const cases: { name: string; type: ProbeType; probe: Probe; outcomes: ProbeResult[]; steps: number; want: (ProbeResult | undefined)[] }[] = [
    { name: 'readiness starts failed, one success makes it ready', type: 'readiness', probe: {}, outcomes: ['success'], steps: 1, want: ['success'] },
    { name: 'readiness successThreshold 2', type: 'readiness', probe: { successThreshold: 2 }, outcomes: ['success'], steps: 2, want: ['failure', 'success'] },
    { name: 'liveness failureThreshold 3', type: 'liveness', probe: {}, outcomes: ['failure'], steps: 3, want: ['success', 'success', 'failure'] },
    { name: 'liveness: a success resets the failure run', type: 'liveness', probe: { failureThreshold: 2 }, outcomes: ['failure', 'success', 'failure', 'failure'], steps: 4, want: ['success', 'success', 'success', 'failure'] },
    { name: 'startup unknown until it passes', type: 'startup', probe: { failureThreshold: 5 }, outcomes: ['failure', 'success'], steps: 2, want: ['unknown', 'success'] },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const h = harness(tc.type, tc.probe, tc.outcomes, tc.type === 'startup' ? { started: false } : {});
      expect(await h.steps(tc.steps)).toEqual(tc.want);
    });
  }

  it('initialDelaySeconds holds probing back', async () => {
    const h = harness('readiness', { initialDelaySeconds: 200 }, ['success']);
    await h.steps(1);
    expect(h.runs()).toBe(0);
    h.advance(200_000);
    await h.steps(1);
    expect(h.runs()).toBe(1);
  });

  it('a startup probe holds liveness back until the container has started', async () => {
    const h = harness('liveness', {}, ['failure'], { started: false });
    await h.steps(3);
    expect(h.runs()).toBe(0);
  });

  it('after a liveness failure the worker holds until a new container appears', async () => {
    const h = harness('liveness', { failureThreshold: 1 }, ['failure']);
    await h.steps(3);
    expect(h.runs()).toBe(1);
    h.setView({ containerId: 'c2', running: true, startedAt: 0, started: true });
    const r = await h.steps(1);
    expect(h.runs()).toBe(2);
    expect(r.at(-1)).toBe('failure');
  });

  it('stops when the pod is gone', async () => {
    const h = harness('readiness', {}, ['success']);
    h.setView('gone');
    expect(await h.w.step()).toBe(false);
  });
});

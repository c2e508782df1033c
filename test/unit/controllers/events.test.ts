// The controllers' event recorder: the spam filter's token bucket (pure, table-driven) and the
// recorder's writes (create, then count bumps; over-budget objects dropped) on a recording client.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../client/clock.js';
import type { RestClient } from '../../../client/rest.js';
import { EventRecorder, SPAM_BURST, SPAM_REFILL_MS, takeToken } from '../../../controllers/events.js';

describe('takeToken', () => {
  const cases = [
    { name: 'first event of an object: burst minus one left', bucket: undefined, now: 0, want: { tokens: SPAM_BURST - 1, at: 0 } },
    { name: 'last token', bucket: { tokens: 1, at: 0 }, now: 10, want: { tokens: 0, at: 0 } },
    { name: 'empty: dropped', bucket: { tokens: 0, at: 0 }, now: SPAM_REFILL_MS - 1, want: undefined },
    { name: 'one refill period later: one token', bucket: { tokens: 0, at: 0 }, now: SPAM_REFILL_MS + 5, want: { tokens: 0, at: SPAM_REFILL_MS } },
    { name: 'refills cap at the burst', bucket: { tokens: 0, at: 0 }, now: 1000 * SPAM_REFILL_MS, want: { tokens: SPAM_BURST - 1, at: 1000 * SPAM_REFILL_MS } },
  ];
  for (const tc of cases) it(tc.name, () => expect(takeToken(tc.bucket, tc.now)).toEqual(tc.want));
});

describe('EventRecorder', () => {
  function recorder() {
    const calls: { verb: string; ns?: string; body: Record<string, unknown> }[] = [];
    const client = {
      create: async (_r: unknown, ns: string, body: Record<string, unknown>) => void calls.push({ verb: 'create', ns, body }),
      patch: async (_r: unknown, ns: string, _n: string, _t: string, body: Record<string, unknown>) => void calls.push({ verb: 'patch', ns, body }),
    } as unknown as RestClient;
    return { rec: new EventRecorder(client, new FakeClock(Date.parse('2024-01-01T00:00:00Z')), 'test-controller'), calls };
  }
  const pod = { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'ns', uid: 'u1' };

  it('creates an event, then bumps its count for the same message', async () => {
    const { rec, calls } = recorder();
    rec.event(pod, 'Normal', 'Reason', 'msg');
    rec.event(pod, 'Normal', 'Reason', 'msg');
    rec.event(pod, 'Normal', 'Reason', 'other');
    await rec.flush();
    expect(calls.map((c) => c.verb)).toEqual(['create', 'patch', 'create']);
    expect(calls[0]!.body).toMatchObject({ involvedObject: pod, reason: 'Reason', message: 'msg', type: 'Normal', count: 1, source: { component: 'test-controller' } });
    expect(calls[1]!.body).toMatchObject({ count: 2 });
  });

  it('puts events about cluster-scoped objects in default', async () => {
    const { rec, calls } = recorder();
    rec.event({ apiVersion: 'v1', kind: 'Node', name: 'n1', namespace: '' }, 'Normal', 'NodeNotReady', 'x');
    await rec.flush();
    expect(calls[0]!.ns).toBe('default');
  });

  it('drops what one object records beyond the burst', async () => {
    const { rec, calls } = recorder();
    for (let i = 0; i < SPAM_BURST + 10; i++) rec.event(pod, 'Normal', 'SuccessfulCreate', `Created pod: p-${i}`);
    await rec.flush();
    expect(calls).toHaveLength(SPAM_BURST);
    expect(rec.dropped).toBe(10);
  });
});

// The shared event recorder (client/events.ts): the spam filter's token bucket, aggregation and the
// correlator are pure and table-driven; the recorder's writes (create, count bumps, re-create on
// 404, drops) run against a recording client. No I/O.
import { describe, expect, it } from 'vitest';
import { notFound } from '../../../api/errors.js';
import type { ObjectReference } from '../../../api/types/common.js';
import type { Event } from '../../../api/types/core.js';
import { FakeClock } from '../../../client/clock.js';
import {
  AGGREGATE_INTERVAL_MS,
  AGGREGATE_MAX_EVENTS,
  COMBINED_PREFIX,
  EventCorrelator,
  EventRecorder,
  SPAM_BURST,
  SPAM_REFILL_MS,
  aggregate,
  newEvent,
  refOf,
  takeToken,
  type EventSource,
} from '../../../client/events.js';
import type { RestClient } from '../../../client/rest.js';
import { WritePool } from '../../../client/write-pool.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const pod: ObjectReference = { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: 'ns', uid: 'u1' };
const source: EventSource = { component: 'test-controller' };

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

describe('aggregate', () => {
  const nine = Array.from({ length: AGGREGATE_MAX_EVENTS - 1 }, (_, i) => `m${i}`);
  const cases = [
    { name: 'first message', rec: undefined, message: 'a', now: 0, want: { rec: { messages: ['a'], at: 0 }, combined: false } },
    { name: 'a message seen before is not counted twice', rec: { messages: ['a', 'b'], at: 0 }, message: 'a', now: 5, want: { rec: { messages: ['b', 'a'], at: 5 }, combined: false } },
    { name: 'the tenth different message is combined; the oldest is forgotten', rec: { messages: nine, at: 0 }, message: 'new', now: 5, want: { rec: { messages: [...nine.slice(1), 'new'], at: 5 }, combined: true } },
    { name: 'after the interval it starts afresh', rec: { messages: nine, at: 0 }, message: 'new', now: AGGREGATE_INTERVAL_MS + 1, want: { rec: { messages: ['new'], at: AGGREGATE_INTERVAL_MS + 1 }, combined: false } },
  ];
  for (const tc of cases) it(tc.name, () => expect(aggregate(tc.rec, tc.message, tc.now)).toEqual(tc.want));
});

describe('newEvent and refOf', () => {
  const cases: { name: string; ev: Event; want: Partial<Event> }[] = [
    {
      name: 'a controller event: source and reportingComponent, count 1, whole-second times',
      ev: newEvent(pod, 'Normal', 'SuccessfulCreate', 'Created pod: p', source, T0 + 123, 7),
      want: {
        metadata: { name: `p.${((T0 + 123) * 1000 + 7).toString(16)}`, namespace: 'ns' },
        involvedObject: pod, type: 'Normal', reason: 'SuccessfulCreate', message: 'Created pod: p', count: 1,
        firstTimestamp: '2024-01-01T00:00:00Z', lastTimestamp: '2024-01-01T00:00:00Z',
        source: { component: 'test-controller' }, reportingComponent: 'test-controller',
      },
    },
    {
      name: 'a node agent event: host and reportingInstance',
      ev: newEvent(pod, 'Normal', 'Pulling', 'x', { component: 'kubelet', host: 'n1' }, T0, 0),
      want: { source: { component: 'kubelet', host: 'n1' }, reportingComponent: 'kubelet', reportingInstance: 'n1' },
    },
    {
      name: 'a cluster-scoped object: the event lives in default',
      ev: newEvent({ apiVersion: 'v1', kind: 'Node', name: 'n1', namespace: '' }, 'Normal', 'NodeNotReady', 'x', source, T0, 0),
      want: { metadata: { name: `n1.${(T0 * 1000).toString(16)}`, namespace: 'default' } },
    },
    { name: 'the scheduler passes an action', ev: newEvent(pod, 'Normal', 'Scheduled', 'x', source, T0, 0, 'Binding'), want: { action: 'Binding' } },
  ];
  for (const tc of cases) it(tc.name, () => expect(tc.ev).toMatchObject(tc.want));

  it('refOf names a container by fieldPath', () => {
    const obj = { metadata: { name: 'p', namespace: 'ns', uid: 'u1', resourceVersion: '5' } };
    expect(refOf(obj, 'v1', 'Pod', 'spec.containers{app}')).toEqual({ ...pod, resourceVersion: '5', fieldPath: 'spec.containers{app}' });
    expect(refOf(obj, 'v1', 'Pod')).not.toHaveProperty('fieldPath');
  });
});

describe('EventCorrelator', () => {
  type Step = { obj?: ObjectReference; reason?: string; message: string; now?: number };
  const cases: { name: string; steps: Step[]; want: ({ count: number; message?: string; sameNameAs?: number } | undefined)[] }[] = [
    { name: 'the same event again counts up under the first name', steps: [{ message: 'a' }, { message: 'a' }, { message: 'a' }], want: [{ count: 1 }, { count: 2, sameNameAs: 0 }, { count: 3, sameNameAs: 0 }] },
    { name: 'another message is another event', steps: [{ message: 'a' }, { message: 'b' }], want: [{ count: 1 }, { count: 1 }] },
    {
      name: 'another container (fieldPath) is another event',
      steps: [{ obj: { ...pod, fieldPath: 'spec.containers{a}' }, message: 'x' }, { obj: { ...pod, fieldPath: 'spec.containers{b}' }, message: 'x' }],
      want: [{ count: 1 }, { count: 1 }],
    },
    {
      name: 'from the tenth different message on, one combined event counts up',
      steps: Array.from({ length: AGGREGATE_MAX_EVENTS + 1 }, (_, i) => ({ message: `m${i}` })),
      want: [
        ...Array.from({ length: AGGREGATE_MAX_EVENTS - 1 }, () => ({ count: 1 })),
        { count: 1, message: `${COMBINED_PREFIX}m${AGGREGATE_MAX_EVENTS - 1}` },
        { count: 2, message: `${COMBINED_PREFIX}m${AGGREGATE_MAX_EVENTS}`, sameNameAs: AGGREGATE_MAX_EVENTS - 1 },
      ],
    },
    {
      name: 'over the burst an object is filtered until a token refills',
      steps: [...Array.from({ length: SPAM_BURST + 1 }, () => ({ message: 'a' })), { message: 'a', now: SPAM_REFILL_MS }],
      want: [...Array.from({ length: SPAM_BURST }, (_, i) => ({ count: i + 1 })), undefined, { count: SPAM_BURST + 2 }],
    },
    {
      name: 'the burst is per object',
      steps: [...Array.from({ length: SPAM_BURST }, () => ({ message: 'a' })), { obj: { ...pod, name: 'q', uid: 'u2' }, message: 'a' }],
      want: [...Array.from({ length: SPAM_BURST }, (_, i) => ({ count: i + 1 })), { count: 1 }],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const c = new EventCorrelator();
      const got = tc.steps.map((s, i) => c.correlate(newEvent(s.obj ?? pod, 'Normal', s.reason ?? 'R', s.message, source, T0 + (s.now ?? 0), i), T0 + (s.now ?? 0)));
      tc.want.forEach((w, i) => {
        if (!w) return expect(got[i], `step ${i}`).toBeUndefined();
        expect(got[i]?.event.count, `step ${i}`).toBe(w.count);
        if (w.message) expect(got[i]?.event.message).toBe(w.message);
        if (w.sameNameAs !== undefined) expect(got[i]?.event.metadata.name).toBe(got[w.sameNameAs]?.event.metadata.name);
      });
    });
  }
});

describe('EventRecorder', () => {
  type Call = { verb: string; ns?: string; name?: string; body: Record<string, unknown> };
  /** recorder on a client that records calls; writes wait until release() when held. */
  function recorder(opts: { missing?: boolean; pool?: WritePool } = {}) {
    const calls: Call[] = [];
    let gate: Promise<void> = Promise.resolve();
    let release = () => {};
    const client = {
      create: async (_r: unknown, ns: string, body: Record<string, unknown>) => (await gate, void calls.push({ verb: 'create', ns, body })),
      patch: async (_r: unknown, ns: string, name: string, _t: string, body: Record<string, unknown>) => {
        await gate;
        calls.push({ verb: 'patch', ns, name, body });
        if (opts.missing) throw notFound({ group: '', resource: 'events' }, name);
      },
    } as unknown as RestClient;
    const rec = new EventRecorder(client, new FakeClock(T0), source, opts.pool);
    const hold = () => (gate = new Promise((r) => (release = r)));
    return { rec, calls, hold, release: () => release() };
  }

  it('creates an event, then patches its count, lastTimestamp and message', async () => {
    const { rec, calls } = recorder();
    rec.event(pod, 'Normal', 'Reason', 'msg');
    await rec.flush();
    rec.event(pod, 'Normal', 'Reason', 'msg');
    rec.event(pod, 'Normal', 'Reason', 'other');
    await rec.flush();
    expect(calls.map((c) => c.verb)).toEqual(['create', 'patch', 'create']);
    expect(calls[0]!.body).toMatchObject({ involvedObject: pod, reason: 'Reason', message: 'msg', type: 'Normal', count: 1, source });
    expect(calls[1]).toMatchObject({ name: (calls[0]!.body.metadata as { name: string }).name, body: { count: 2, lastTimestamp: '2024-01-01T00:00:00Z', message: 'msg' } });
  });

  it('sends bumps that arrive while the create is in flight after it, coalesced to the latest count', async () => {
    const { rec, calls, hold, release } = recorder();
    hold();
    for (let i = 0; i < 4; i++) rec.event(pod, 'Normal', 'Reason', 'msg');
    release();
    await rec.flush();
    expect(calls.map((c) => [c.verb, c.body.count])).toEqual([['create', 1], ['patch', 4]]);
  });

  it('creates the event again when a bump finds it gone (404)', async () => {
    const { rec, calls } = recorder({ missing: true });
    rec.event(pod, 'Warning', 'BackOff', 'msg');
    await rec.flush();
    rec.event(pod, 'Warning', 'BackOff', 'msg');
    await rec.flush();
    expect(calls.map((c) => c.verb)).toEqual(['create', 'patch', 'create']);
    expect(calls[2]!.body).toMatchObject({ count: 2, reason: 'BackOff' });
    expect(rec.failed).toBe(0);
  });

  it('combines similar events and drops what one object records beyond the burst', async () => {
    const { rec, calls } = recorder();
    for (let i = 0; i < SPAM_BURST + 10; i++) rec.event(pod, 'Normal', 'SuccessfulCreate', `Created pod: p-${i}`);
    await rec.flush();
    // 9 events as they are, then the combined one; events 11..25 bump it while it waits in the
    // pool, so it is created once with their count.
    expect(calls.map((c) => c.verb)).toEqual(Array<string>(AGGREGATE_MAX_EVENTS).fill('create'));
    expect(calls.at(-1)!.body).toMatchObject({ count: SPAM_BURST - AGGREGATE_MAX_EVENTS + 1, message: `${COMBINED_PREFIX}Created pod: p-${SPAM_BURST - 1}` });
    expect(rec.dropped).toBe(10);
  });

  it('drops what a full shared pool refuses, and counts it', async () => {
    const pool = new WritePool(1, 1);
    const { rec, calls, hold, release } = recorder({ pool });
    hold();
    for (const name of ['a', 'b', 'c']) rec.event({ ...pod, name, uid: name }, 'Normal', 'R', 'm');
    release();
    await rec.flush();
    expect(calls.map((c) => (c.body.involvedObject as ObjectReference).name)).toEqual(['a', 'b']);
    expect(rec.dropped).toBe(1);
  });
});

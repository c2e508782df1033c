import { describe, expect, it } from 'vitest';
import { StatusError } from '../../../api/errors.js';
import { FakeClock } from '../../../client/clock.js';
import { LeaderElector, type LeaseApi } from '../../../client/leader-election.js';
import { decideLease, microTime, releasedLease, type Lease, type LeaseSpec } from '../../../client/lease.js';
import { settle } from './fake-lister-watcher.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');

function lease(spec: LeaseSpec): Lease {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'sched', namespace: 'kube-system', resourceVersion: '7' }, spec };
}

const held = (holder: string, renewedSecondsAgo: number): Lease =>
  lease({ holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: microTime(T0 - 60_000), renewTime: microTime(T0 - renewedSecondsAgo * 1000), leaseTransitions: 3 });

describe('decideLease', () => {
  const cases = [
    { name: 'absent lease is created', lease: undefined, action: 'create', holder: 'me', transitions: 0, acquiredNow: true },
    { name: 'own lease is renewed, acquireTime kept', lease: held('me', 5), action: 'renew', holder: 'me', transitions: 3, acquiredNow: false },
    { name: 'own expired lease is still renewed', lease: held('me', 60), action: 'renew', holder: 'me', transitions: 3, acquiredNow: false },
    { name: 'another holder within its duration: wait', lease: held('other', 14), action: 'wait', holder: 'other', transitions: 3, acquiredNow: false },
    { name: 'another holder exactly at expiry: acquire', lease: held('other', 15), action: 'acquire', holder: 'me', transitions: 4, acquiredNow: true },
    { name: 'released lease (empty holder): acquire', lease: lease({ holderIdentity: '', leaseTransitions: 2 }), action: 'acquire', holder: 'me', transitions: 3, acquiredNow: true },
    { name: 'lease without spec: acquire', lease: lease({}), action: 'acquire', holder: 'me', transitions: 1, acquiredNow: true },
  ];
  it.each(cases)('$name', (tc) => {
    const d = decideLease(tc.lease, 'me', T0, 15_000);
    expect(d.action).toBe(tc.action);
    expect(d.lease.spec?.holderIdentity).toBe(tc.holder);
    expect(d.lease.spec?.leaseTransitions).toBe(tc.transitions);
    expect(d.lease.spec?.acquireTime === microTime(T0)).toBe(tc.acquiredNow);
    if (tc.action !== 'wait') expect(d.lease.spec?.renewTime).toBe('2025-01-01T00:00:00.000000Z');
    if (tc.lease) expect(d.lease.metadata.resourceVersion).toBe('7'); // the write stays conditional
  });

  it('releasedLease empties the holder and keeps the transition count', () => {
    expect(releasedLease(held('me', 1), T0).spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 3 });
  });
});

/** An in-memory Lease store with resourceVersion preconditions, like the API server's. */
class FakeLeaseApi implements LeaseApi {
  stored?: Lease;
  private rv = 0;
  failUpdates = false;
  async get(): Promise<Lease | undefined> {
    return this.stored && structuredClone(this.stored);
  }
  async create(l: Lease): Promise<Lease> {
    if (this.stored) throw new StatusError(409, 'AlreadyExists', 'exists');
    return this.save(l);
  }
  async update(l: Lease): Promise<Lease> {
    if (this.failUpdates) throw new StatusError(503, 'ServiceUnavailable', 'down');
    if (l.metadata.resourceVersion !== this.stored?.metadata.resourceVersion) throw new StatusError(409, 'Conflict', 'modified');
    return this.save(l);
  }
  private save(l: Lease): Lease {
    this.stored = { ...structuredClone(l), metadata: { ...l.metadata, resourceVersion: String(++this.rv) } };
    return structuredClone(this.stored);
  }
}

function elector(api: LeaseApi, clock: FakeClock, identity: string, log: string[]): LeaderElector {
  return new LeaderElector({
    api, clock, identity, namespace: 'kube-system', name: 'sched',
    onStartedLeading: () => log.push(`${identity} started`),
    onStoppedLeading: () => log.push(`${identity} stopped`),
    onNewLeader: (id) => log.push(`${identity} sees ${id}`),
  });
}

describe('LeaderElector', () => {
  it('one of two candidates leads; the other takes over after the leader releases', async () => {
    const api = new FakeLeaseApi();
    const clock = new FakeClock(T0);
    const log: string[] = [];
    const a = elector(api, clock, 'a', log);
    const b = elector(api, clock, 'b', log);
    void a.run();
    await settle();
    void b.run();
    await settle();
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    clock.step(2000); // a renews, b waits
    await settle();
    expect(api.stored?.spec?.renewTime).toBe(microTime(T0 + 2000));
    await a.stop();
    expect(api.stored?.spec?.holderIdentity).toBe('');
    clock.step(2000);
    await settle();
    expect(b.isLeader()).toBe(true);
    expect(api.stored?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    expect(log).toEqual(['a started', 'b sees a', 'a stopped', 'b started']);
    await b.stop();
  });

  it('gives up leadership when it cannot renew within renewDeadline', async () => {
    const api = new FakeLeaseApi();
    const clock = new FakeClock(T0);
    const log: string[] = [];
    const a = elector(api, clock, 'a', log);
    const done = a.run();
    await settle();
    api.failUpdates = true;
    for (let i = 0; i < 4; i++) {
      clock.step(2000);
      await settle();
    }
    expect(a.isLeader()).toBe(true); // 8 s without renewal < 10 s deadline
    clock.step(2000);
    await done;
    expect(a.isLeader()).toBe(false);
    expect(log).toEqual(['a started', 'a stopped']);
  });
});

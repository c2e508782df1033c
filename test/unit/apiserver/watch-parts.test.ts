import { describe, expect, it } from 'vitest';
import { transition, watchLine } from '../../../apiserver/cache/cache-watcher.js';
import { EventWindow, type CacheEvent } from '../../../apiserver/cache/event-window.js';
import { decodeContinue, encodeContinue } from '../../../apiserver/continue-token.js';
import { pruneFields } from '../../../apiserver/prune.js';
import { parseCidr, pickClusterIP, validateRequestedIP } from '../../../apiserver/clusterip.js';

function ev(type: CacheEvent['type'], rev: number, labels?: Record<string, string>, prevLabels?: Record<string, string>): CacheEvent {
  return {
    type,
    rev,
    key: 'k',
    obj: { metadata: { name: 'x', labels } },
    json: '{}',
    prev: prevLabels ? { metadata: { name: 'x', labels: prevLabels } } : undefined,
  };
}
const red = (o: { metadata: { labels?: Record<string, string> } }) => o.metadata.labels?.team === 'red';

describe('transition through a selector', () => {
  it.each([
    { name: 'added, matching', e: ev('ADDED', 1, { team: 'red' }), want: 'ADDED' },
    { name: 'added, not matching', e: ev('ADDED', 1, { team: 'blue' }), want: undefined },
    { name: 'modified inside', e: ev('MODIFIED', 2, { team: 'red' }, { team: 'red' }), want: 'MODIFIED' },
    { name: 'modified out of it', e: ev('MODIFIED', 2, { team: 'blue' }, { team: 'red' }), want: 'DELETED' },
    { name: 'modified into it', e: ev('MODIFIED', 2, { team: 'red' }, { team: 'blue' }), want: 'ADDED' },
    { name: 'modified outside', e: ev('MODIFIED', 2, { team: 'blue' }, { team: 'blue' }), want: undefined },
    { name: 'deleted, matching before', e: ev('DELETED', 3, { team: 'red' }, { team: 'red' }), want: 'DELETED' },
  ])('$name', ({ e, want }) => {
    expect(transition(e, red)).toBe(want);
  });

  it('formats one watch line', () => {
    expect(watchLine('ADDED', '{"a":1}')).toBe('{"type":"ADDED","object":{"a":1}}\n');
  });
});

describe('EventWindow', () => {
  it('returns events after a revision, and undefined before the window', () => {
    const w = new EventWindow(3);
    w.reset(10);
    for (let rev = 11; rev <= 15; rev++) w.push(ev('ADDED', rev));
    expect(w.since(13)!.map((e) => e.rev)).toEqual([14, 15]);
    expect(w.since(12)!.map((e) => e.rev)).toEqual([13, 14, 15]);
    expect(w.since(11)).toBeUndefined();
    expect(w.since(15)).toEqual([]);
  });
});

describe('continue tokens', () => {
  it('round-trip, and garbage is a 400', () => {
    const t = encodeContinue({ rv: 42, start: 'ns/name' });
    expect(decodeContinue(t)).toEqual({ rv: 42, start: 'ns/name' });
    expect(() => decodeContinue('garbage')).toThrow(/continue/);
    expect(() => decodeContinue(encodeContinue({ rv: 1, start: '../etc' }))).toThrow();
  });
});

describe('pruneFields', () => {
  it('drops unknown fields by path, keeping the rest', () => {
    const obj = { spec: { template: { spec: { containers: [{ name: 'a', imagee: 'x' }] } }, foo: 1 }, keep: true };
    pruneFields(obj, ['spec.foo', 'spec.template.spec.containers[0].imagee']);
    expect(obj).toEqual({ spec: { template: { spec: { containers: [{ name: 'a' }] } } }, keep: true });
  });
});

describe('cluster IPs', () => {
  const cidr = parseCidr('10.96.0.0/29');
  it('picks a free address, never network or broadcast, none when full', () => {
    const used = new Set(['10.96.0.1', '10.96.0.2', '10.96.0.3', '10.96.0.4', '10.96.0.5']);
    expect(pickClusterIP(cidr, used, () => 0)).toBe('10.96.0.6');
    used.add('10.96.0.6');
    expect(pickClusterIP(cidr, used, () => 0.5)).toBeUndefined();
  });
  it.each([
    ['10.96.0.3', true],
    ['10.96.0.0', false],
    ['10.96.0.7', false],
    ['10.97.0.1', false],
    ['not-an-ip', false],
  ])('requested %s valid: %s', (ip, ok) => {
    expect(validateRequestedIP(cidr, ip) === undefined).toBe(ok);
  });
});

import { describe, expect, it } from 'vitest';
import { rfc3339, rfc3339Micro } from '../../../api/time.js';

const T = Date.UTC(2024, 4, 1, 10, 0, 0);

describe('rfc3339', () => {
  it.each([
    { name: 'whole second', t: T, want: '2024-05-01T10:00:00Z' },
    { name: 'milliseconds truncated, not rounded', t: T + 999, want: '2024-05-01T10:00:00Z' },
    { name: 'one ms', t: T + 1, want: '2024-05-01T10:00:00Z' },
    { name: 'fraction of a ms', t: T + 1000.7, want: '2024-05-01T10:00:01Z' },
    { name: 'epoch', t: 0, want: '1970-01-01T00:00:00Z' },
    { name: 'before the epoch', t: -1500, want: '1969-12-31T23:59:58Z' },
    { name: 'a Date', t: new Date(T + 61_250), want: '2024-05-01T10:01:01Z' },
  ])('$name', ({ t, want }) => {
    expect(rfc3339(t)).toBe(want);
  });

  it('throws on an invalid time, as toISOString does', () => {
    expect(() => rfc3339(NaN)).toThrow(RangeError);
  });
});

describe('rfc3339Micro', () => {
  it.each([
    { name: 'whole second', ms: T, want: '2024-05-01T10:00:00.000000Z' },
    { name: 'milliseconds kept', ms: T + 123, want: '2024-05-01T10:00:00.123000Z' },
    { name: 'leading zero ms', ms: T + 7, want: '2024-05-01T10:00:00.007000Z' },
    { name: 'epoch', ms: 0, want: '1970-01-01T00:00:00.000000Z' },
  ])('$name', ({ ms, want }) => {
    expect(rfc3339Micro(ms)).toBe(want);
  });
});

// Node pressure conditions (ISSUE-7): upstream's default hard eviction thresholds over the host's
// signals, held for the pressure transition period.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS, PRESSURE_TRANSITION_PERIOD_MS, holdPressure, observedPressure, parseLoadavgTasks, parseMemAvailable, type HostObservation,
} from '../../../kubelet/node-pressure.js';

const Mi = 1024 * 1024;
const Gi = 1024 * Mi;
const healthy: HostObservation = {
  memoryAvailableBytes: 4 * Gi,
  fsAvailableBytes: 50 * Gi,
  fsCapacityBytes: 100 * Gi,
  fsInodesFree: 5_000_000,
  fsInodes: 6_000_000,
  pidsRunning: 600,
  pidMax: 32_768,
};

describe('observedPressure with upstream default thresholds', () => {
  const cases: { name: string; o: HostObservation; want: { memory: boolean; disk: boolean; pid: boolean } }[] = [
    { name: 'a healthy host', o: healthy, want: { memory: false, disk: false, pid: false } },
    { name: 'memory.available 99Mi < 100Mi', o: { ...healthy, memoryAvailableBytes: 99 * Mi }, want: { memory: true, disk: false, pid: false } },
    { name: 'memory.available exactly 100Mi is not under', o: { ...healthy, memoryAvailableBytes: 100 * Mi }, want: { memory: false, disk: false, pid: false } },
    { name: 'nodefs.available 9% < 10%', o: { ...healthy, fsAvailableBytes: 9 * Gi }, want: { memory: false, disk: true, pid: false } },
    { name: 'nodefs.available 10% is not under', o: { ...healthy, fsAvailableBytes: 10 * Gi }, want: { memory: false, disk: false, pid: false } },
    { name: 'nodefs.inodesFree 4% < 5%', o: { ...healthy, fsInodesFree: 240_000 }, want: { memory: false, disk: true, pid: false } },
    { name: 'pid.available 9% < 10% (32768 max, 29819 tasks)', o: { ...healthy, pidsRunning: 29_819 }, want: { memory: false, disk: false, pid: true } },
    { name: 'pid.available 10% is not under (29491 tasks)', o: { ...healthy, pidsRunning: 29_491 }, want: { memory: false, disk: false, pid: false } },
    { name: 'signals that could not be read are no pressure', o: {}, want: { memory: false, disk: false, pid: false } },
  ];
  it.each(cases)('$name', ({ o, want }) => {
    expect(observedPressure(o, DEFAULT_THRESHOLDS)).toEqual(want);
  });
});

describe('holdPressure (eviction pressure transition period, 5 min)', () => {
  const none = { memory: false, disk: false, pid: false };
  it('stays True for the period after the signal clears, then False', () => {
    let r = holdPressure({ ...none, memory: true }, {}, 0);
    expect(r.pressure.memory).toBe(true);
    r = holdPressure(none, r.memory, PRESSURE_TRANSITION_PERIOD_MS - 1);
    expect(r.pressure).toEqual({ memory: true, disk: false, pid: false });
    r = holdPressure(none, r.memory, PRESSURE_TRANSITION_PERIOD_MS);
    expect(r.pressure.memory).toBe(false);
  });

  it('a signal seen again restarts the period', () => {
    let r = holdPressure({ ...none, disk: true }, {}, 0);
    r = holdPressure({ ...none, disk: true }, r.memory, 200_000);
    r = holdPressure(none, r.memory, 400_000);
    expect(r.pressure.disk).toBe(true);
  });

  it('never seen is never True', () => {
    expect(holdPressure(none, {}, 1_000_000).pressure).toEqual(none);
  });
});

describe('host file parsers', () => {
  it('parseMemAvailable reads MemAvailable in kB as bytes', () => {
    expect(parseMemAvailable('MemTotal:       24684000 kB\nMemFree:         2000 kB\nMemAvailable:   102400 kB\n')).toBe(100 * Mi);
    expect(parseMemAvailable('MemTotal: 1 kB\n')).toBeUndefined();
  });

  it('parseLoadavgTasks reads the total after the slash', () => {
    expect(parseLoadavgTasks('2.15 0.86 0.45 3/612 4242\n')).toBe(612);
    expect(parseLoadavgTasks('garbage')).toBeUndefined();
  });
});

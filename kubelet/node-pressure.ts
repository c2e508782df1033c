// The node's pressure conditions, decided as upstream's eviction manager decides them
// (pkg/kubelet/eviction): observed signals against hard thresholds, and a condition that stays
// True until the signal has been below its threshold for the pressure transition period (5 min),
// so MemoryPressure does not flap. Pure: the observations come in; host.ts reads them.

import type { Pressure } from './node-status.js';

/** HostObservation are the eviction signals' raw inputs; undefined means "could not read". */
export interface HostObservation {
  /** memory.available: MemAvailable from /proc/meminfo. */
  memoryAvailableBytes?: number;
  /** nodefs: the filesystem holding the agent's root directory. */
  fsAvailableBytes?: number;
  fsCapacityBytes?: number;
  fsInodesFree?: number;
  fsInodes?: number;
  /** pid.available = pidMax - pidsRunning (upstream counts tasks from /proc/loadavg). */
  pidsRunning?: number;
  pidMax?: number;
}

/** Thresholds are hard eviction thresholds: an absolute byte count or a fraction of capacity. */
export interface Thresholds {
  memoryAvailableBytes: number;
  nodefsAvailableFraction: number;
  nodefsInodesFreeFraction: number;
  pidAvailableFraction: number;
}

/**
 * DEFAULT_THRESHOLDS are upstream's Linux defaults: memory.available<100Mi, nodefs.available<10%,
 * nodefs.inodesFree<5%. Upstream sets no pid.available default (PIDPressure only with a
 * configured threshold); Skiff uses pid.available<10% so the condition means something.
 */
export const DEFAULT_THRESHOLDS: Thresholds = {
  memoryAvailableBytes: 100 * 1024 * 1024,
  nodefsAvailableFraction: 0.1,
  nodefsInodesFreeFraction: 0.05,
  pidAvailableFraction: 0.1,
};

/** PRESSURE_TRANSITION_PERIOD_MS is upstream's --eviction-pressure-transition-period default. */
export const PRESSURE_TRANSITION_PERIOD_MS = 5 * 60_000;

const below = (avail: number | undefined, capacity: number | undefined, fraction: number): boolean =>
  avail !== undefined && capacity !== undefined && capacity > 0 && avail < capacity * fraction;

/** observedPressure compares one observation with the thresholds; unreadable signals are no pressure. */
export function observedPressure(o: HostObservation, t: Thresholds = DEFAULT_THRESHOLDS): Pressure {
  const pidAvailable = o.pidMax !== undefined && o.pidsRunning !== undefined ? o.pidMax - o.pidsRunning : undefined;
  return {
    memory: o.memoryAvailableBytes !== undefined && o.memoryAvailableBytes < t.memoryAvailableBytes,
    disk: below(o.fsAvailableBytes, o.fsCapacityBytes, t.nodefsAvailableFraction) || below(o.fsInodesFree, o.fsInodes, t.nodefsInodesFreeFraction),
    pid: below(pidAvailable, o.pidMax, t.pidAvailableFraction),
  };
}

/** PressureMemory is when each signal was last seen over its threshold (ms), for holdPressure. */
export type PressureMemory = Partial<Record<keyof Pressure, number>>;

/**
 * holdPressure reports a condition while it is observed and for periodMs after it was last
 * observed, returning the updated memory. Example: memory seen low at t=0 only → MemoryPressure
 * stays True until t=300 s, False from then on.
 */
export function holdPressure(seen: Pressure, memory: PressureMemory, now: number, periodMs = PRESSURE_TRANSITION_PERIOD_MS): { pressure: Pressure; memory: PressureMemory } {
  const next: PressureMemory = { ...memory };
  const pressure = { memory: false, disk: false, pid: false };
  for (const k of ['memory', 'disk', 'pid'] as const) {
    if (seen[k]) next[k] = now;
    const last = next[k];
    pressure[k] = last !== undefined && now - last < periodMs;
  }
  return { pressure, memory: next };
}

/** parseMemAvailable reads MemAvailable (bytes) from /proc/meminfo text. */
export function parseMemAvailable(meminfo: string): number | undefined {
  const m = /^MemAvailable:\s+(\d+)\s*kB/m.exec(meminfo);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** parseLoadavgTasks reads the total task count from /proc/loadavg ("0.1 0.2 0.3 2/612 4242"). */
export function parseLoadavgTasks(loadavg: string): number | undefined {
  const m = /^\S+\s+\S+\s+\S+\s+\d+\/(\d+)/.exec(loadavg);
  return m ? Number(m[1]) : undefined;
}

// Facts about this machine for the Node object, and the real pressure checks (upstream eviction
// manager's default hard thresholds: memory.available<100Mi, nodefs.available<10%,
// nodefs.inodesFree<5%, and pid.available<10%).

import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, hostname, networkInterfaces, release, totalmem } from 'node:os';
import { realClock, type Clock } from '../client/clock.js';
import { holdPressure, observedPressure, parseLoadavgTasks, parseMemAvailable, type HostObservation, type PressureMemory } from './node-pressure.js';
import type { HostInfo, Pressure } from './node-status.js';

/** firstIPv4 is the first non-internal IPv4 address, or 127.0.0.1. */
export function firstIPv4(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return fallback;
  }
}

function osImage(): string {
  const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readOr('/etc/os-release', ''));
  return m ? m[1] : 'Linux';
}

/** readHostInfo reads the host's facts. */
export function readHostInfo(hostIP?: string): HostInfo {
  return {
    cpus: cpus().length,
    memoryBytes: totalmem(),
    hostname: hostname(),
    hostIP: hostIP ?? firstIPv4(),
    os: 'linux',
    arch: arch(),
    kernelVersion: release(),
    osImage: osImage(),
    machineID: readOr('/etc/machine-id', 'unknown'),
    bootID: readOr('/proc/sys/kernel/random/boot_id', 'unknown'),
  };
}

/** readObservation reads the eviction signals of this host; dir is on the node filesystem. */
export function readObservation(dir: string): HostObservation {
  const o: HostObservation = {
    memoryAvailableBytes: parseMemAvailable(readOr('/proc/meminfo', '')),
    pidsRunning: parseLoadavgTasks(readOr('/proc/loadavg', '')),
    pidMax: pidMax(),
  };
  try {
    const s = statfsSync(existsSync(dir) ? dir : '/');
    Object.assign(o, { fsAvailableBytes: s.bavail * s.bsize, fsCapacityBytes: s.blocks * s.bsize, fsInodesFree: s.ffree, fsInodes: s.files });
  } catch {
    // unreadable: no disk signal, as upstream treats a missing observation
  }
  return o;
}

/** pidMax is upstream's limit: the smaller of kernel.pid_max and kernel.threads-max. */
function pidMax(): number | undefined {
  const limits = ['/proc/sys/kernel/pid_max', '/proc/sys/kernel/threads-max'].map((f) => Number(readOr(f, ''))).filter((n) => n > 0);
  return limits.length ? Math.min(...limits) : undefined;
}

// One checker per directory: the held conditions belong to the host, however often callers ask.
const checkers = new Map<string, () => Pressure>();

/**
 * hostPressure checks memory, disk (of dir) and PIDs against upstream's default hard eviction
 * thresholds (node-pressure.ts), holding a condition for the transition period after it clears.
 */
export function hostPressure(dir: string, clock: Clock = realClock): () => Pressure {
  let check = checkers.get(dir);
  if (!check) {
    let memory: PressureMemory = {};
    check = () => {
      const held = holdPressure(observedPressure(readObservation(dir)), memory, clock.now());
      memory = held.memory;
      return held.pressure;
    };
    checkers.set(dir, check);
  }
  return check;
}

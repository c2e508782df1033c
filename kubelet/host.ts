// Facts about this machine for the Node object, and the real pressure checks (upstream eviction
// manager's default hard thresholds: memory.available<100Mi, nodefs.available<10%, pid 90% used).

import { existsSync, readdirSync, readFileSync, statfsSync } from 'node:fs';
import { arch, cpus, freemem, hostname, networkInterfaces, release, totalmem } from 'node:os';
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

/** hostPressure checks memory, disk (of dir) and PIDs against upstream's default thresholds. */
export function hostPressure(dir: string): () => Pressure {
  return () => ({ memory: freemem() < 100 * 1024 * 1024, disk: diskLow(dir), pid: pidsHigh() });
}

function diskLow(dir: string): boolean {
  try {
    const s = statfsSync(existsSync(dir) ? dir : '/');
    return s.bavail / s.blocks < 0.1;
  } catch {
    return false;
  }
}

function pidsHigh(): boolean {
  const max = Number(readOr('/proc/sys/kernel/pid_max', '0'));
  if (!max) return false;
  try {
    return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).length > max * 0.9;
  } catch {
    return false;
  }
}

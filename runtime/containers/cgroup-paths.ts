// Where a cgroup path lives on this host: under each v1 controller, or in the v2 unified tree.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOomKills } from './cgroup-files.js';

const ROOT = '/sys/fs/cgroup';

/** isCgroupV2 is true on a pure v2 (unified) host. */
export function isCgroupV2(): boolean {
  return existsSync(join(ROOT, 'cgroup.controllers'));
}

/** cgroupFile is the path of a controller's file for a cgroup path (controller ignored on v2). */
export function cgroupFile(controller: string, cgroupPath: string, file: string, v2 = isCgroupV2()): string {
  return v2 ? join(ROOT, cgroupPath, file) : join(ROOT, controller, cgroupPath, file);
}

/** oomKills reads the cgroup's OOM kill counter (memory.oom_control on v1, memory.events on v2). */
export function oomKills(cgroupPath: string): number {
  const file = cgroupFile('memory', cgroupPath, isCgroupV2() ? 'memory.events' : 'memory.oom_control');
  try {
    return parseOomKills(readFileSync(file, 'utf8'));
  } catch {
    return 0;
  }
}

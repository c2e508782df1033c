// The cgroup files and values a container's limits become, as runc 1.1 writes them: the v1 files
// per controller, or the v2 unified files, where runc converts memory+swap to memory.swap.max and
// cpu shares to cpu.weight. We hand runc OCI resources (resources.ts) and never write these files
// ourselves; this table is what tests and checks read back, on either kind of host.
import type { OciResources } from './oci.js';

/** CgroupFile is one file of a container's cgroup and the value it must hold. */
export interface CgroupFile {
  /** v1 controller hierarchy the file is in; empty on v2 (one unified tree). */
  controller: string;
  file: string;
  value: string;
}

/** cpuWeight is runc's shares -> weight: [2, 262144] maps onto [1, 10000]; 0 means unset. */
export function cpuWeight(shares: number): number {
  return shares === 0 ? 0 : 1 + Math.floor(((shares - 2) * 9999) / 262142);
}

/** cgroupFiles lists the files the resources set, for a v1 or a v2 host. */
export function cgroupFiles(r: OciResources, v2: boolean): CgroupFile[] {
  return v2 ? v2Files(r) : v1Files(r);
}

function v1Files(r: OciResources): CgroupFile[] {
  const out: CgroupFile[] = [];
  if (r.memory?.limit) out.push({ controller: 'memory', file: 'memory.limit_in_bytes', value: String(r.memory.limit) });
  if (r.cpu?.quota) {
    out.push({ controller: 'cpu', file: 'cpu.cfs_quota_us', value: String(r.cpu.quota) });
    out.push({ controller: 'cpu', file: 'cpu.cfs_period_us', value: String(r.cpu.period ?? 100_000) });
  }
  if (r.cpu?.shares) out.push({ controller: 'cpu', file: 'cpu.shares', value: String(r.cpu.shares) });
  if (r.pids?.limit) out.push({ controller: 'pids', file: 'pids.max', value: String(r.pids.limit) });
  return out;
}

function v2Files(r: OciResources): CgroupFile[] {
  const out: CgroupFile[] = [];
  const file = (name: string, value: string) => out.push({ controller: '', file: name, value });
  if (r.memory?.limit) {
    file('memory.max', String(r.memory.limit));
    // v1's memory+swap total becomes the swap alone: total == limit means no swap at all.
    if (r.memory.swap) file('memory.swap.max', String(Math.max(0, r.memory.swap - r.memory.limit)));
  }
  if (r.cpu?.quota || r.cpu?.period) file('cpu.max', `${r.cpu.quota ? r.cpu.quota : 'max'} ${r.cpu.period ?? 100_000}`);
  if (r.cpu?.shares) file('cpu.weight', String(cpuWeight(r.cpu.shares)));
  if (r.pids?.limit) file('pids.max', String(r.pids.limit));
  return out;
}

/** parseOomKills reads the oom_kill counter from v1 memory.oom_control or v2 memory.events text. */
export function parseOomKills(text: string): number {
  const m = /^oom_kill (\d+)$/m.exec(text);
  return m ? Number(m[1]) : 0;
}

// CRI container resources -> OCI linux.resources. runc turns cpu shares into cpu.weight itself on
// cgroup v2 hosts (weight = 1 + (shares - 2) * 9999 / 262142), so one mapping serves both.
import type { LinuxContainerResources } from '../api.js';
import type { OciResources } from './oci.js';

/** toOciResources maps the limits the agent computed; zero or absent means unlimited. */
export function toOciResources(r: LinuxContainerResources = {}): OciResources {
  const out: OciResources = { devices: [{ allow: false, access: 'rwm' }] };
  if (r.memoryLimitInBytes && r.memoryLimitInBytes > 0) {
    // swap = limit: no swap on top of the limit, so a container past it is OOM-killed.
    out.memory = { limit: r.memoryLimitInBytes, swap: r.memoryLimitInBytes };
  }
  const cpu: NonNullable<OciResources['cpu']> = {};
  if (r.cpuShares && r.cpuShares > 0) cpu.shares = r.cpuShares;
  if (r.cpuQuota && r.cpuQuota > 0) {
    cpu.quota = r.cpuQuota;
    cpu.period = r.cpuPeriod && r.cpuPeriod > 0 ? r.cpuPeriod : 100_000;
  }
  if (Object.keys(cpu).length > 0) out.cpu = cpu;
  if (r.pidsLimit && r.pidsLimit > 0) out.pids = { limit: r.pidsLimit };
  return out;
}

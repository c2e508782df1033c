import { describe, expect, it } from 'vitest';
import { cgroupFiles, cpuWeight, parseOomKills } from '../../../runtime/containers/cgroup-files.js';
import { cgroupFile } from '../../../runtime/containers/cgroup-paths.js';
import { toOciResources } from '../../../runtime/containers/resources.js';

const limits = toOciResources({ memoryLimitInBytes: 64 << 20, cpuQuota: 50_000, cpuPeriod: 100_000, cpuShares: 512, pidsLimit: 64 });
const values = (files: { file: string; value: string }[]) => Object.fromEntries(files.map((f) => [f.file, f.value]));

describe('cgroup v2 files (pure v2 hosts)', () => {
  it('holds memory.max, memory.swap.max, cpu.max, cpu.weight and pids.max', () => {
    expect(values(cgroupFiles(limits, true))).toEqual({
      'memory.max': String(64 << 20), 'memory.swap.max': '0', 'cpu.max': '50000 100000', 'cpu.weight': '20', 'pids.max': '64',
    });
  });

  it('lives in the unified tree, no controller directory', () => {
    expect(cgroupFiles(limits, true).every((f) => f.controller === '')).toBe(true);
    expect(cgroupFile('memory', '/skiff/pod/ctr', 'memory.max', true)).toBe('/sys/fs/cgroup/skiff/pod/ctr/memory.max');
  });

  it('defaults the cpu period to 100ms', () => {
    expect(values(cgroupFiles(toOciResources({ cpuQuota: 25_000 }), true))['cpu.max']).toBe('25000 100000');
  });

  it('writes nothing for unlimited resources', () => {
    expect(cgroupFiles(toOciResources({}), true)).toEqual([]);
  });

  it.each([
    [2, 1], [1024, 39], [512, 20], [102, 4], [262144, 10000], [0, 0],
  ])('cpu shares %i -> cpu.weight %i (runc conversion)', (shares, weight) => {
    expect(cpuWeight(shares)).toBe(weight);
  });
});

describe('cgroup v1 files (these machines)', () => {
  it('holds memory.limit_in_bytes, cfs quota and period, shares and pids.max per controller', () => {
    expect(cgroupFiles(limits, false)).toEqual([
      { controller: 'memory', file: 'memory.limit_in_bytes', value: String(64 << 20) },
      { controller: 'cpu', file: 'cpu.cfs_quota_us', value: '50000' },
      { controller: 'cpu', file: 'cpu.cfs_period_us', value: '100000' },
      { controller: 'cpu', file: 'cpu.shares', value: '512' },
      { controller: 'pids', file: 'pids.max', value: '64' },
    ]);
    expect(cgroupFile('memory', '/skiff/pod/ctr', 'memory.limit_in_bytes', false)).toBe('/sys/fs/cgroup/memory/skiff/pod/ctr/memory.limit_in_bytes');
  });
});

describe('parseOomKills', () => {
  it.each([
    ['v2 memory.events', 'low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n', 1],
    ['v1 memory.oom_control', 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n', 2],
    ['no counter (old kernel)', 'oom_kill_disable 0\nunder_oom 0\n', 0],
  ])('%s', (_n, text, want) => {
    expect(parseOomKills(text)).toBe(want);
  });
});

// CPU time of processes from /proc, so a benchmark can say which process was busy and how much.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** cpuSeconds is the user+system CPU time pid has used so far (0 when it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may contain spaces) start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** childPids lists the direct children of pid. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** childNamed finds a direct child of pid by its command name (e.g. etcd). */
export function childNamed(pid: number, comm: string): number | undefined {
  return childPids(pid).find((c) => {
    try {
      return readFileSync(`/proc/${c}/comm`, 'utf8').trim() === comm;
    } catch {
      return false;
    }
  });
}

/** CpuMeter measures the CPU seconds each named process used between start and stop. */
export class CpuMeter {
  private readonly begin = new Map<string, number>();
  private started = 0;

  constructor(private readonly pids: Record<string, number>) {}

  start(): void {
    this.started = performance.now();
    for (const [name, pid] of Object.entries(this.pids)) this.begin.set(name, cpuSeconds(pid));
  }

  /** stop returns, per process, CPU seconds used and the share of one core over the wall time. */
  stop(): Record<string, { cpuSeconds: number; coreShare: number }> {
    const wall = (performance.now() - this.started) / 1000;
    const out: Record<string, { cpuSeconds: number; coreShare: number }> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const used = cpuSeconds(pid) - (this.begin.get(name) ?? 0);
      out[name] = { cpuSeconds: used, coreShare: wall > 0 ? used / wall : 0 };
    }
    return out;
  }
}

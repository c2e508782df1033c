// Optional CPU profiles per benchmark phase: with BENCH_CPU_PROFILE_DIR set, profiled(name, fn)
// writes DIR/NAME.cpuprofile (open in Chrome DevTools, or summarize with profile-summary.ts).
import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;

/** profiled runs fn, recording a CPU profile of the whole process while it runs if enabled. */
export async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!dir) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

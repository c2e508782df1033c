// A bounded concurrency runner: `total` operations, at most `concurrency` in flight, each timed.

import { performance } from 'node:perf_hooks';

/** RunResult holds per-operation latencies in milliseconds and the wall time of the whole run. */
export interface RunResult {
  latenciesMs: number[];
  wallMs: number;
  errors: number;
  firstError?: unknown;
}

export interface RunOptions {
  total: number;
  concurrency: number;
  /** The run stops starting new operations after this long (in-flight ones finish). */
  deadlineMs: number;
  /** Abandon the run after this many failed operations. */
  maxErrors?: number;
}

/**
 * runBounded calls op(i) for i in [0, total) with at most `concurrency` calls in flight and
 * records how long each successful call took. It never starts an operation past the deadline.
 */
export async function runBounded(opts: RunOptions, op: (i: number) => Promise<void>): Promise<RunResult> {
  const result: RunResult = { latenciesMs: [], wallMs: 0, errors: 0 };
  const start = performance.now();
  const stopAt = start + opts.deadlineMs;
  const maxErrors = opts.maxErrors ?? 10;
  let next = 0;
  const worker = async () => {
    while (next < opts.total && performance.now() < stopAt && result.errors < maxErrors) {
      const i = next++;
      const t0 = performance.now();
      try {
        await op(i);
        result.latenciesMs.push(performance.now() - t0);
      } catch (err) {
        result.errors++;
        result.firstError ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.total) }, worker));
  result.wallMs = performance.now() - start;
  return result;
}

/** withTimeout rejects if promise has not settled within ms. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

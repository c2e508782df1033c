// Latency arithmetic for benchmarks: nearest-rank percentiles over millisecond samples.

/** percentile returns the nearest-rank p-th percentile (0 < p <= 100) of samples; NaN when empty. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Summary is what a benchmark reports about one batch of timed operations. */
export interface Summary {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

/** summarize turns per-operation latencies (ms) and the wall time of the batch (ms) into a Summary. */
export function summarize(latenciesMs: readonly number[], wallMs: number): Summary {
  return {
    count: latenciesMs.length,
    perSecond: wallMs > 0 ? (latenciesMs.length * 1000) / wallMs : NaN,
    p50: percentile(latenciesMs, 50),
    p99: percentile(latenciesMs, 99),
    max: latenciesMs.length ? Math.max(...latenciesMs) : NaN,
  };
}

/** round keeps `digits` decimals, so results files stay readable. */
export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

// Upstream's slowStartBatch (pkg/controller/replicaset/replica_set.go): call fn `count` times in
// batches of 1, 2, 4, ... run in parallel, stopping after the first batch with a failure, so a
// broken template costs one failed request instead of hundreds.

/** SlowStartResult: how many calls succeeded and the first error, if any. */
export interface SlowStartResult {
  successes: number;
  error?: unknown;
}

/** batchSizes lists the batch sizes slowStartBatch uses for count calls starting at initial. */
export function batchSizes(count: number, initial: number): number[] {
  const sizes: number[] = [];
  for (let left = count, size = Math.min(left, initial); size > 0; size = Math.min(2 * size, left)) {
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** slowStartBatch runs fn count times in doubling batches until a batch has a failure. */
export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<SlowStartResult> {
  let successes = 0;
  for (const size of batchSizes(count, initial)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.length - results.filter((r) => r.status === 'rejected').length;
    if (failed) return { successes, error: failed.reason };
  }
  return { successes };
}

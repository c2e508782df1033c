// Waiting for a condition in tests: a bounded retry that names what it waited for when it gives up.
// (Conditions, not durations, are what tests assert; the timeout only bounds a broken run.)

/** waitFor resolves with fn's first truthy value, or fails after timeoutMs naming `what` and the last error. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000, pauseMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

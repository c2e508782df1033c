// Capped exponential back-off, shared by the informer's reconnect loop and leader election.

/** BackoffPolicy describes delays initialMs, initialMs×factor, ... never above maxMs. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor?: number;
}

/**
 * backoffDelay is the wait before retry number `attempt` (1-based).
 * With {initialMs: 800, maxMs: 30000}: 800, 1600, 3200, ... 25600, 30000, 30000.
 */
export function backoffDelay(attempt: number, p: BackoffPolicy): number {
  const d = p.initialMs * (p.factor ?? 2) ** Math.max(0, attempt - 1);
  return Math.min(d, p.maxMs);
}

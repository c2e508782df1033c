// Creates that survive an overloaded API server: a benchmark's load generator retries what timed
// out or was refused, as the controllers it is compared with do, and counts the retries.
import { isStatusError } from '../../../api/errors.js';

/** RetryOptions: attempts in all; pause before retry n is backoffMs × n; onRetry counts them. */
export interface RetryOptions {
  attempts: number;
  backoffMs?: number;
  onRetry?: (err: unknown) => void;
}

/** createRetrying runs a create until it succeeds; AlreadyExists counts as success (an earlier attempt got through). */
export async function createRetrying(op: () => Promise<unknown>, o: RetryOptions): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return void (await op());
    } catch (err) {
      if (isStatusError(err, 'AlreadyExists')) return;
      if (attempt >= o.attempts) throw err;
      o.onRetry?.(err);
      if (o.backoffMs) await new Promise((r) => setTimeout(r, o.backoffMs! * attempt));
    }
  }
}

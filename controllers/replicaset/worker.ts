// The worker loop every controller here shares (upstream's processNextWorkItem + handleErr):
// take a key, sync it, forget it on success, requeue it rate-limited on error, and drop it with
// a log line after maxRetries. The queue guarantees a key is never synced by two workers at once.
import { isStatusError } from '../../api/errors.js';
import type { WorkQueue } from '../../client/workqueue.js';

/** MAX_RETRIES before a key is dropped, as upstream's deployment/replicaset controllers (15). */
export const MAX_RETRIES = 15;

/** Log is the structured logger controllers write to: an object of fields, then a message. */
export interface Log {
  info(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

/** stderrLog writes errors as JSON lines and drops info (the manager has no logger yet). */
export const stderrLog: Log = {
  info: () => {},
  error: (fields, msg) => process.stderr.write(`${JSON.stringify({ level: 'error', msg, ...fields, err: String(fields.err ?? '') })}\n`),
};

/** WorkerOptions wire a queue to a sync function. */
export interface WorkerOptions {
  name: string;
  queue: WorkQueue<string>;
  workers: number;
  sync(key: string): Promise<void>;
  log?: Log;
}

/** runWorkers runs `workers` loops until signal aborts, then drains the queue and resolves. */
export async function runWorkers(opts: WorkerOptions, signal: AbortSignal): Promise<void> {
  const stop = () => opts.queue.shutDown();
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  await Promise.all(Array.from({ length: Math.max(1, opts.workers) }, () => workerLoop(opts)));
}

async function workerLoop(opts: WorkerOptions): Promise<void> {
  for (let key = await opts.queue.get(); key !== undefined; key = await opts.queue.get()) {
    try {
      await opts.sync(key);
      opts.queue.forget(key);
    } catch (err) {
      handleErr(opts, key, err);
    } finally {
      opts.queue.done(key);
    }
  }
}

function handleErr(opts: WorkerOptions, key: string, err: unknown): void {
  const retries = opts.queue.numRequeues(key);
  if (retries < MAX_RETRIES) {
    // Every failed sync is logged, as upstream's HandleError does; conflicts are routine retries.
    if (!isStatusError(err, 'Conflict')) (opts.log ?? stderrLog).error({ controller: opts.name, key, retries, err }, 'Error syncing; requeuing');
    opts.queue.addRateLimited(key);
    return;
  }
  (opts.log ?? stderrLog).error({ controller: opts.name, key, err }, 'Dropped key out of the queue');
  opts.queue.forget(key);
}

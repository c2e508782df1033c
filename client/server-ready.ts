// Waiting for an API server that is starting (skiff up starts it and its agents at once).
import type { RestClient } from './rest.js';

/**
 * waitForApiServer polls /readyz until the API server says it is ready. A component that starts
 * beside the API server then begins the moment it can, not one informer back-off (0.8 s, 1.6 s, ...)
 * after it; a server that never comes up is waited for until signal aborts.
 */
export async function waitForApiServer(client: RestClient, signal?: AbortSignal, intervalMs = 50): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    const ready = await client.request('GET', '/readyz').then(() => true, () => false);
    if (ready) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// Waiting for objects to disappear (delete --wait, drain): GET, and while the object is still
// there, watch it by name until a DELETED event arrives.

import { isStatusError } from '../../api/errors.js';
import type { ResourceInfo } from '../../api/registry.js';
import type { RestClient } from '../../client/rest.js';

/** waitGone resolves once name is gone (404 or a DELETED event). */
export async function waitGone(c: RestClient, res: ResourceInfo, ns: string | undefined, name: string, signal?: AbortSignal): Promise<void> {
  for (;;) {
    let rv: string | undefined;
    try {
      rv = (await c.get(res, ns, name)).metadata.resourceVersion;
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return;
      throw err;
    }
    if (signal?.aborted) return;
    const events = c.watch(res, ns, { fieldSelector: `metadata.name=${name}`, resourceVersion: rv, timeoutSeconds: 300, signal });
    for await (const ev of events) if (ev.type === 'DELETED') return;
  }
}

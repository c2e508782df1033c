// Writes pod status through the status subresource only when it changed (upstream
// status_manager.go). A JSON merge patch sets every top-level status field and nulls the ones
// that went away, so no resourceVersion is needed and concurrent spec updates never conflict.

import { StatusError } from '../api/errors.js';
import { mustResource } from '../api/registry.js';
import type { Pod, PodStatus } from '../api/types/pod.js';
import type { RestClient } from '../client/rest.js';

const PODS = mustResource('pods');

/** stableJson serialises with sorted keys, for change detection. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** statusPatch is the merge patch turning old into next (removed top-level fields become null). */
export function statusPatch(old: PodStatus | undefined, next: PodStatus): { status: Record<string, unknown> } {
  const status: Record<string, unknown> = { ...next };
  for (const k of Object.keys(old ?? {})) if (!(k in next) && k !== 'nominatedNodeName') status[k] = null;
  return { status };
}

/** StatusWriter remembers what it wrote per pod uid and skips identical writes. */
export class StatusWriter {
  private written = new Map<string, string>();
  writes = 0;

  constructor(private readonly client: RestClient) {}

  /** write patches pod's status to next unless the server (or our last write) already has it. */
  async write(pod: Pod, next: PodStatus): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const json = stableJson(next);
    if (json === stableJson(pod.status ?? {}) || json === this.written.get(uid)) return;
    try {
      await this.client.patch(PODS, pod.metadata.namespace, pod.metadata.name ?? '', 'merge', statusPatch(pod.status, next), { subresource: 'status' });
      this.written.set(uid, json);
      this.writes++;
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return;
      throw err;
    }
  }

  /** forget drops what was remembered for uid. */
  forget(uid: string): void {
    this.written.delete(uid);
  }
}

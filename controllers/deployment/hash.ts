// The pod-template-hash: a stable hash of the pod template that ignores key order, the
// pod-template-hash label itself, metadata.creationTimestamp and null/empty values, so the
// template `kubectl rollout undo` sends back (Go field order, `creationTimestamp: null`,
// `resources: {}`) hashes and compares equal to the one the ReplicaSet was made from.
// Upstream hashes with FNV-32a and encodes the number with rand.SafeEncodeString; so do we.
import type { PodTemplateSpec } from '../../api/types/pod.js';

/** POD_TEMPLATE_HASH_LABEL is upstream's DefaultDeploymentUniqueLabelKey. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** canonical drops null, undefined and empty objects/arrays and sorts object keys, recursively. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(canonical).filter((x) => x !== undefined);
    return items.length ? items : undefined;
  }
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const c = canonical((v as Record<string, unknown>)[k]);
    if (c !== undefined) out[k] = c;
  }
  return Object.keys(out).length ? out : undefined;
}

/** normalizeTemplate removes what must not take part in template identity. */
export function normalizeTemplate(t: PodTemplateSpec | undefined): unknown {
  const copy = structuredClone(t ?? { spec: { containers: [] } }) as PodTemplateSpec;
  if (copy.metadata) {
    delete copy.metadata.creationTimestamp;
    if (copy.metadata.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  }
  return canonical(copy);
}

/** templatesEqual: semantic equality of two pod templates (upstream's EqualIgnoreHash). */
export function templatesEqual(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return JSON.stringify(normalizeTemplate(a)) === JSON.stringify(normalizeTemplate(b));
}

/** fnv32a hashes a string's UTF-8 bytes with 32-bit FNV-1a. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** safeEncode maps each character to an alphabet without vowels (upstream's rand.SafeEncodeString). */
export function safeEncode(s: string): string {
  return [...s].map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

/** computeHash: the pod-template-hash for a template and the deployment's collisionCount. */
export function computeHash(t: PodTemplateSpec | undefined, collisionCount?: number): string {
  const suffix = collisionCount ? String(collisionCount) : '';
  return safeEncode(String(fnv32a(JSON.stringify(normalizeTemplate(t)) + suffix)));
}

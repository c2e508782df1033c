// Paging tokens, shaped as upstream's: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"<key after prefix>"}.
import { badRequest } from '../api/errors.js';

export interface ContinueToken {
  rv: number;
  /** The last key returned, relative to the list prefix; the next page starts after it. */
  start: string;
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

export function decodeContinue(token: string): ContinueToken {
  try {
    const raw = JSON.parse(Buffer.from(token, 'base64url').toString()) as { v?: string; rv?: number; start?: string };
    if (raw.v !== 'meta.k8s.io/v1' || typeof raw.rv !== 'number' || typeof raw.start !== 'string') throw new Error();
    if (raw.start.includes('..') || raw.start.startsWith('/')) throw new Error();
    return { rv: raw.rv, start: raw.start };
  } catch {
    throw badRequest('continue key is not valid: invalid continue token');
  }
}

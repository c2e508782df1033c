// Registry authentication: the WWW-Authenticate challenge parsed (pure) and the headers it leads to.
import type { AuthConfig } from '../api.js';

/** Challenge is a parsed WWW-Authenticate header. */
export interface Challenge {
  scheme: 'bearer' | 'basic';
  params: Record<string, string>;
}

/** parseChallenge reads `Bearer realm="...",service="...",scope="..."` (or Basic); undefined if neither. */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  const scheme = m?.[1]?.toLowerCase();
  if (scheme !== 'bearer' && scheme !== 'basic') return undefined;
  const params: Record<string, string> = {};
  for (const p of (m?.[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) params[p[1]!.toLowerCase()] = p[2]!;
  return { scheme, params };
}

/** basicCredentials is the base64 user:password of the auth config, if it has one. */
export function basicCredentials(auth?: AuthConfig): string | undefined {
  if (auth?.auth) return auth.auth;
  if (auth?.username !== undefined) return Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64');
  return undefined;
}

/** tokenUrl is the token request for a bearer challenge, with the repository's pull scope. */
export function tokenUrl(ch: Challenge, repository: string): string {
  const url = new URL(ch.params.realm ?? '');
  if (ch.params.service) url.searchParams.set('service', ch.params.service);
  url.searchParams.set('scope', ch.params.scope ?? `repository:${repository}:pull`);
  return url.toString();
}

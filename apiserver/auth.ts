// Bearer-token authentication. Health and version endpoints (and the bootstrap discovery
// endpoint, which a joining node calls before it trusts anything) stay open, as upstream's
// system:public-info-viewer allows; everything else needs a known token.
//
// Token sources, tried in order:
// - a static table (plain token → user), for tests and in-process callers;
// - a TokenStore: a file in the data dir holding only SHA-256 hashes of tokens (admin,
//   components, nodes), each with its user, groups and an optional expiry;
// - bootstrap tokens (`<id>.<secret>`), kept as Secrets kube-system/bootstrap-token-<id> as
//   upstream keeps them; see bootstrap.ts.
import type { IncomingHttpHeaders } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { unauthorized } from '../api/errors.js';

/** UserInfo is who a request authenticated as. */
export interface UserInfo {
  name: string;
  groups: string[];
}

/** TokenTable maps plain tokens to users (tests and static configuration). */
export type TokenTable = Map<string, UserInfo>;

export const GROUP_MASTERS = 'system:masters';
export const GROUP_NODES = 'system:nodes';
export const GROUP_BOOTSTRAPPERS = 'system:bootstrappers';
export const GROUP_AUTHENTICATED = 'system:authenticated';
export const NODE_USER_PREFIX = 'system:node:';
export const USER_SCHEDULER = 'system:kube-scheduler';
export const USER_CONTROLLER_MANAGER = 'system:kube-controller-manager';

/** nodeUser is the identity a node's credentials carry, as upstream's Node authorizer expects. */
export function nodeUser(nodeName: string): UserInfo {
  return { name: NODE_USER_PREFIX + nodeName, groups: [GROUP_NODES, GROUP_AUTHENTICATED] };
}

/** nodeNameOf returns the node a user is, or undefined for anyone else. */
export function nodeNameOf(user: UserInfo): string | undefined {
  if (!user.name.startsWith(NODE_USER_PREFIX) || !user.groups.includes(GROUP_NODES)) return undefined;
  return user.name.slice(NODE_USER_PREFIX.length) || undefined;
}

/** Authenticator resolves a bearer token to a user, or undefined when it is unknown or expired. */
export interface Authenticator {
  authenticate(token: string, now: Date): UserInfo | undefined;
}

/** tableAuthenticator serves a plain TokenTable. */
export function tableAuthenticator(tokens: TokenTable): Authenticator {
  return { authenticate: (token) => tokens.get(token) };
}

/** unionAuthenticator tries each authenticator in turn. */
export function unionAuthenticator(list: Authenticator[]): Authenticator {
  return {
    authenticate(token, now) {
      for (const a of list) {
        const u = a.authenticate(token, now);
        if (u) return u;
      }
      return undefined;
    },
  };
}

/** hashToken is the SHA-256 (hex) a TokenStore keeps instead of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** newToken is 32 random bytes, hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** TokenEntry is one stored credential: never the token itself. */
export interface TokenEntry {
  hash: string;
  user: string;
  groups: string[];
  created: string;
  /** RFC 3339; absent: does not expire. */
  expires?: string;
}

/** entryValid tells whether an entry authenticates at time now. */
export function entryValid(e: TokenEntry, now: Date): boolean {
  return e.expires === undefined || Date.parse(e.expires) > now.getTime();
}

/**
 * TokenStore is a file of hashed tokens (mode 0600, replaced atomically on every change). Only
 * this process writes it; lookups are in memory.
 */
export class TokenStore implements Authenticator {
  private byHash = new Map<string, TokenEntry>();

  constructor(private readonly file: string) {
    if (existsSync(file)) {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { tokens?: TokenEntry[] };
      for (const e of data.tokens ?? []) this.byHash.set(e.hash, e);
    }
  }

  authenticate(token: string, now: Date): UserInfo | undefined {
    const e = this.byHash.get(hashToken(token));
    if (!e || !entryValid(e, now)) return undefined;
    return { name: e.user, groups: [...e.groups] };
  }

  /** issue makes a new token for user and stores its hash; with replace, the user's older tokens go. */
  issue(user: UserInfo, opts: { now: Date; ttlSeconds?: number; replace?: boolean }): string {
    const token = newToken();
    this.add(token, user, opts);
    return token;
  }

  /** add stores the hash of a token the caller made (e.g. one kept in a kubeconfig across restarts). */
  add(token: string, user: UserInfo, opts: { now: Date; ttlSeconds?: number; replace?: boolean }): void {
    if (opts.replace) this.revokeUser(user.name, false);
    // Expired entries only take room (as upstream's token cleaner removes expired bootstrap tokens).
    for (const [h, e] of this.byHash) if (!entryValid(e, opts.now)) this.byHash.delete(h);
    const entry: TokenEntry = { hash: hashToken(token), user: user.name, groups: [...user.groups], created: opts.now.toISOString() };
    if (opts.ttlSeconds !== undefined) entry.expires = new Date(opts.now.getTime() + opts.ttlSeconds * 1000).toISOString();
    this.byHash.set(entry.hash, entry);
    this.save();
  }

  /** revokeUser removes every token of a user. */
  revokeUser(name: string, save = true): number {
    let n = 0;
    for (const [h, e] of this.byHash) {
      if (e.user === name) {
        this.byHash.delete(h);
        n++;
      }
    }
    if (save && n) this.save();
    return n;
  }

  /** entries lists what is stored (hashes only). */
  entries(): TokenEntry[] {
    return [...this.byHash.values()];
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ tokens: this.entries() }, null, 1) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

const PUBLIC_PATHS = ['/healthz', '/livez', '/readyz', '/version', '/skiff/bootstrap/cluster-info'];

export function isPublicPath(url: string): boolean {
  const path = url.split('?')[0]!;
  return PUBLIC_PATHS.some((p) => path === p || path.startsWith(p + '/'));
}

/** bearerToken is the token of an `Authorization: Bearer` header. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  return m?.[1];
}

/**
 * authenticate returns the user a request authenticates as (undefined on public paths); throws
 * 401 Unauthorized for a missing, unknown, forged or expired token.
 */
export function authenticate(
  req: { url: string; headers: IncomingHttpHeaders },
  authn: Authenticator | TokenTable,
  now: Date = new Date(),
): UserInfo | undefined {
  const token = bearerToken(req.headers);
  const a = authn instanceof Map ? tableAuthenticator(authn) : authn;
  const user = token ? a.authenticate(token, now) : undefined;
  if (user) return user;
  if (isPublicPath(req.url)) return undefined;
  throw unauthorized();
}

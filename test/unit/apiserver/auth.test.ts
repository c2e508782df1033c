// Tokens: the hashed store, bootstrap tokens checked against their Secret, join strings and CA
// pins, and the 401 for missing, unknown and expired tokens.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticate, hashToken, nodeNameOf, nodeUser, TokenStore, unionAuthenticator } from '../../../apiserver/auth.js';
import {
  bootstrapAuthenticator,
  bootstrapSecret,
  bootstrapTokenInfo,
  bootstrapTokenUser,
  caPublicKeyHash,
  joinString,
  newBootstrapToken,
  parseBootstrapToken,
  parseCaHash,
  parseJoinString,
  validNodeName,
} from '../../../apiserver/bootstrap.js';
import { ensurePki } from '../../../apiserver/pki.js';
import { isStatusError } from '../../../api/errors.js';
import { parseTtl, tokenRows, userTokenRows } from '../../../cli/token.js';
import { parseTokenRequest } from '../../../apiserver/bootstrap-routes.js';

const dir = mkdtempSync(join(tmpdir(), `skiff-unit-auth-${process.env.SKIFF_TEST_RUN ?? 'manual'}-`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const now = new Date('2026-01-01T00:00:00Z');
const later = (s: number) => new Date(now.getTime() + s * 1000);

describe('TokenStore', () => {
  it('keeps only hashes, authenticates, expires and revokes', () => {
    const file = join(dir, 'tokens.json');
    const store = new TokenStore(file);
    const t = store.issue(nodeUser('n1'), { now, ttlSeconds: 60 });
    const onFile = readFileSync(file, 'utf8');
    expect(onFile).not.toContain(t);
    expect(onFile).toContain(hashToken(t));
    expect(store.authenticate(t, now)?.name).toBe('system:node:n1');
    expect(store.authenticate(t, later(61))).toBeUndefined();
    expect(new TokenStore(file).authenticate(t, now)?.groups).toContain('system:nodes');
    const t2 = store.issue(nodeUser('n1'), { now, replace: true });
    expect(store.authenticate(t, now)).toBeUndefined();
    expect(store.authenticate(t2, later(1e9))?.name).toBe('system:node:n1');
    expect(store.revokeUser('system:node:n1')).toBe(1);
    expect(store.authenticate(t2, now)).toBeUndefined();
  });

  it('drops expired entries when it stores a new one', () => {
    const store = new TokenStore(join(dir, 'tokens-prune.json'));
    store.issue({ name: 'short', groups: [] }, { now, ttlSeconds: 60 });
    store.issue({ name: 'long', groups: [] }, { now, ttlSeconds: 3600 });
    store.issue({ name: 'forever', groups: [] }, { now });
    expect(store.entries().map((e) => e.user)).toEqual(['short', 'long', 'forever']);
    store.issue({ name: 'new', groups: [] }, { now: later(120) });
    expect(store.entries().map((e) => e.user)).toEqual(['long', 'forever', 'new']);
  });
});

describe('bootstrap tokens', () => {
  const token = 'abcdef.0123456789abcdef';
  const secret = bootstrapSecret(token, { now, ttlSeconds: 3600, description: 'test' });
  const cases: [string, string, Date, boolean][] = [
    ['the right token before expiry', token, later(10), true],
    ['the right token after expiry', token, later(3601), false],
    ['a forged secret', 'abcdef.0123456789abcdee', later(10), false],
    ['another id', 'abcdeg.0123456789abcdef', later(10), false],
    ['not a token', 'hello', later(10), false],
  ];
  it.each(cases)('%s', (_n, t, at, ok) => {
    const user = bootstrapAuthenticator((name) => (name === secret.metadata.name ? secret : undefined)).authenticate(t, at);
    expect(user !== undefined).toBe(ok);
    if (ok) expect(user).toEqual({ name: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:authenticated'] });
  });

  it('is refused without usage-bootstrap-authentication or with the wrong type', () => {
    const s = structuredClone(secret) as typeof secret & { data: Record<string, string>; type: string };
    delete s.data['usage-bootstrap-authentication'];
    expect(bootstrapTokenUser(token, s, now)).toBeUndefined();
    expect(bootstrapTokenUser(token, { ...secret, type: 'Opaque' } as typeof secret, now)).toBeUndefined();
  });

  it('makes well-formed random tokens and lists them like kubeadm', () => {
    expect(parseBootstrapToken(newBootstrapToken())).toBeDefined();
    expect(bootstrapTokenInfo(secret)).toMatchObject({ id: 'abcdef', usages: ['authentication'], description: 'test' });
    const rows = tokenRows([secret], later(1800));
    expect(rows[1]!.slice(0, 2)).toEqual(['abcdef', '30m']);
    expect(tokenRows([secret], later(4000))[1]![1]).toBe('<invalid>');
  });

  it('parses TTLs', () => {
    expect(parseTtl('24h')).toBe(86400);
    expect(parseTtl('1h30m')).toBe(5400);
    expect(parseTtl('0')).toBe(0);
    expect(() => parseTtl('soon')).toThrow();
  });
});

describe('join strings', () => {
  it('pin the CA public key as kubeadm hashes it and round-trip', () => {
    const pki = ensurePki(join(dir, 'pki'));
    const hash = caPublicKeyHash(pki.caCert);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const js = joinString(pki.caCert, 'abcdef.0123456789abcdef');
    expect(js).toBe(`K10${hash}::abcdef.0123456789abcdef`);
    expect(parseJoinString(js)).toEqual({ caHash: hash, token: 'abcdef.0123456789abcdef' });
    expect(parseJoinString('abcdef.0123456789abcdef')).toEqual({ token: 'abcdef.0123456789abcdef' });
    expect(parseCaHash(`sha256:${hash.toUpperCase()}`)).toBe(hash);
    expect(() => parseCaHash('sha256:xyz')).toThrow();
  });

  it('validates node names', () => {
    expect(validNodeName('node-1.example')).toBe(true);
    expect(validNodeName('Node_1')).toBe(false);
    expect(validNodeName('../etc')).toBe(false);
  });
});

describe('authenticate', () => {
  const store = new TokenStore(join(dir, 'authn.json'));
  const good = store.issue({ name: 'admin', groups: ['system:masters'] }, { now });
  const expiring = store.issue(nodeUser('n9'), { now, ttlSeconds: 5 });
  const authn = unionAuthenticator([store]);
  const req = (token?: string, url = '/api/v1/pods') => ({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const cases: [string, ReturnType<typeof req>, Date, string | 'Unauthorized' | undefined][] = [
    ['a known token', req(good), now, 'admin'],
    ['no token', req(), now, 'Unauthorized'],
    ['a forged token', req('f'.repeat(64)), now, 'Unauthorized'],
    ['an expired token', req(expiring), later(6), 'Unauthorized'],
    ['a public path without a token', req(undefined, '/healthz'), now, undefined],
    ['cluster-info without a token', req(undefined, '/skiff/bootstrap/cluster-info'), now, undefined],
  ];
  it.each(cases)('%s', (_n, r, at, want) => {
    if (want === 'Unauthorized') {
      let err: unknown;
      try {
        authenticate(r, authn, at);
      } catch (e) {
        err = e;
      }
      expect(isStatusError(err, 'Unauthorized')).toBe(true);
    } else {
      expect(authenticate(r, authn, at)?.name).toBe(want);
    }
  });

  it('tells nodes apart', () => {
    expect(nodeNameOf(nodeUser('a.b'))).toBe('a.b');
    expect(nodeNameOf({ name: 'system:node:x', groups: [] })).toBeUndefined();
  });
});

describe('user token requests', () => {
  it.each([
    [{ user: 'alice' }, { user: { name: 'alice', groups: ['system:authenticated'] }, ttlSeconds: undefined }],
    [{ user: 'bob', groups: ['system:masters'], ttlSeconds: 60 }, { user: { name: 'bob', groups: ['system:masters', 'system:authenticated'] }, ttlSeconds: 60 }],
    [{ user: 'carol', ttlSeconds: 0 }, { user: { name: 'carol', groups: ['system:authenticated'] }, ttlSeconds: undefined }],
  ])('accepts %j', (body, want) => {
    expect(parseTokenRequest(body)).toEqual(want);
  });

  it.each([
    [{}],
    [{ user: '' }],
    [{ user: 'a b' }],
    [{ user: 'system:bootstrap:abcdef' }],
    [{ user: 'a', groups: 'system:masters' }],
    [{ user: 'a', groups: ['system:bootstrappers'] }],
    [{ user: 'a', ttlSeconds: -1 }],
    [{ user: 'a', ttlSeconds: 1.5 }],
  ])('refuses %j with 400', (body) => {
    let err: unknown;
    try {
      parseTokenRequest(body);
    } catch (e) {
      err = e;
    }
    expect(isStatusError(err, 'BadRequest')).toBe(true);
  });

  it('lists stored users like a table, marking expired ones', () => {
    const rows = userTokenRows(
      [
        { user: 'system:node:b', groups: ['system:nodes'], created: '2026-01-01T00:00:00.000Z' },
        { user: 'alice', groups: [], created: '2026-01-01T00:00:00.000Z', expires: '2026-01-01T01:00:00.000Z' },
      ],
      later(7200),
    );
    expect(rows).toEqual([
      ['USER', 'GROUPS', 'CREATED', 'EXPIRES'],
      ['alice', '<none>', '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z (expired)'],
      ['system:node:b', 'system:nodes', '2026-01-01T00:00:00Z', '<never>'],
    ]);
  });
});

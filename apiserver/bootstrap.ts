// Bootstrap tokens and join strings, as kubeadm and k3s make them (pure; no I/O).
//
// A bootstrap token is `<id>.<secret>` ([a-z0-9]{6}.[a-z0-9]{16}), kept server-side as the Secret
// kube-system/bootstrap-token-<id> of type bootstrap.kubernetes.io/token with the data keys
// upstream uses (token-id, token-secret, expiration, usage-bootstrap-authentication, description),
// so Secrets encryption at rest covers them. It authenticates as system:bootstrap:<id> in group
// system:bootstrappers, which may only fetch its node credentials.
//
// A join string pins the cluster CA the way k3s' does: `K10<hex>::<id>.<secret>`, where <hex> is
// kubeadm's discovery-token-ca-cert-hash: SHA-256 of the CA certificate's public key (DER SPKI).
import { createHash, randomInt, timingSafeEqual, X509Certificate } from 'node:crypto';
import type { KubeObject } from '../api/meta.js';
import { rfc3339 } from '../api/time.js';
import { GROUP_AUTHENTICATED, GROUP_BOOTSTRAPPERS, type Authenticator, type UserInfo } from './auth.js';

export const BOOTSTRAP_TOKEN_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_NAMESPACE = 'kube-system';
export const BOOTSTRAP_SECRET_PREFIX = 'bootstrap-token-';
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';
/** Where admins mint and revoke users' bearer tokens (bootstrap-routes.ts). */
export const TOKENS_PATH = '/skiff/tokens';
// The join's two unauthenticated-ish endpoints (apiserver/bootstrap-routes.ts serves them); here so
// an agent can name them without loading the routes.
export const NODE_CREDENTIALS_PATH = '/skiff/bootstrap/node-credentials';
export const CLUSTER_INFO_PATH = '/skiff/bootstrap/cluster-info';

/** IssuedToken is what POST /skiff/tokens answers. */
export interface IssuedToken {
  apiVersion: 'skiff.dev/v1';
  kind: 'IssuedToken';
  user: string;
  groups: string[];
  token: string;
  expires?: string;
}

/** kubeadm's default token TTL. */
export const DEFAULT_TOKEN_TTL_SECONDS = 24 * 3600;

const TOKEN_RE = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** parseBootstrapToken splits `<id>.<secret>`; undefined when it is not that shape. */
export function parseBootstrapToken(token: string): { id: string; secret: string } | undefined {
  const m = TOKEN_RE.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

function randomChars(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** newBootstrapToken makes a random `<id>.<secret>`. */
export function newBootstrapToken(): string {
  return `${randomChars(6)}.${randomChars(16)}`;
}

export function bootstrapSecretName(id: string): string {
  return BOOTSTRAP_SECRET_PREFIX + id;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** bootstrapSecret is the Secret that stores a token server-side; ttlSeconds 0 means no expiry. */
export function bootstrapSecret(token: string, o: { now: Date; ttlSeconds: number; description?: string }): KubeObject {
  const t = parseBootstrapToken(token);
  if (!t) throw new Error(`token must have the form [a-z0-9]{6}.[a-z0-9]{16}`);
  const data: Record<string, string> = {
    'token-id': b64(t.id),
    'token-secret': b64(t.secret),
    'usage-bootstrap-authentication': b64('true'),
  };
  if (o.ttlSeconds > 0) data.expiration = b64(rfc3339(o.now.getTime() + o.ttlSeconds * 1000));
  if (o.description) data.description = b64(o.description);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: bootstrapSecretName(t.id), namespace: BOOTSTRAP_NAMESPACE },
    type: BOOTSTRAP_TOKEN_TYPE,
    data,
  } as KubeObject;
}

/** secretField reads a data (base64) or stringData key of a Secret. */
export function secretField(secret: KubeObject, key: string): string | undefined {
  const s = secret as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
  const v = s.data?.[key];
  if (v !== undefined) return Buffer.from(v, 'base64').toString('utf8');
  return s.stringData?.[key];
}

/** BootstrapTokenInfo is what `skiff token list` shows. */
export interface BootstrapTokenInfo {
  id: string;
  expires?: string;
  description?: string;
  usages: string[];
}

export function bootstrapTokenInfo(secret: KubeObject): BootstrapTokenInfo | undefined {
  if ((secret as { type?: string }).type !== BOOTSTRAP_TOKEN_TYPE) return undefined;
  const id = secretField(secret, 'token-id');
  if (!id) return undefined;
  const usages = Object.keys((secret as { data?: object }).data ?? {})
    .filter((k) => k.startsWith('usage-bootstrap-') && secretField(secret, k) === 'true')
    .map((k) => k.slice('usage-bootstrap-'.length));
  return { id, expires: secretField(secret, 'expiration'), description: secretField(secret, 'description'), usages };
}

/**
 * bootstrapTokenUser checks a presented token against its Secret, as upstream's bootstrap
 * authenticator does: right type and name, usage-bootstrap-authentication "true", the secret
 * equal (in constant time), not expired. undefined: refused.
 */
export function bootstrapTokenUser(token: string, secret: KubeObject | undefined, now: Date): UserInfo | undefined {
  const t = parseBootstrapToken(token);
  if (!t || !secret) return undefined;
  if ((secret as { type?: string }).type !== BOOTSTRAP_TOKEN_TYPE) return undefined;
  if (secret.metadata.name !== bootstrapSecretName(t.id) || secret.metadata.deletionTimestamp) return undefined;
  if (secretField(secret, 'token-id') !== t.id) return undefined;
  const stored = Buffer.from(secretField(secret, 'token-secret') ?? '');
  const given = Buffer.from(t.secret);
  if (stored.length !== given.length || !timingSafeEqual(stored, given)) return undefined;
  if (secretField(secret, 'usage-bootstrap-authentication') !== 'true') return undefined;
  const exp = secretField(secret, 'expiration');
  if (exp !== undefined && !(Date.parse(exp) > now.getTime())) return undefined;
  const extra = (secretField(secret, 'auth-extra-groups') ?? '').split(',').filter((g) => g.startsWith('system:bootstrappers:'));
  return { name: BOOTSTRAP_USER_PREFIX + t.id, groups: [GROUP_BOOTSTRAPPERS, ...extra, GROUP_AUTHENTICATED] };
}

/** bootstrapAuthenticator resolves tokens through lookup(secretName) in kube-system. */
export function bootstrapAuthenticator(lookup: (secretName: string) => KubeObject | undefined): Authenticator {
  return {
    authenticate(token, now) {
      const t = parseBootstrapToken(token);
      return t ? bootstrapTokenUser(token, lookup(bootstrapSecretName(t.id)), now) : undefined;
    },
  };
}

/** caPublicKeyHash is kubeadm's CA pin: hex SHA-256 of the CA certificate's DER SPKI. */
export function caPublicKeyHash(caPem: string): string {
  const spki = new X509Certificate(caPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

/** joinString is `K10<ca hash>::<token>`, the one string `skiff agent --token` needs. */
export function joinString(caPem: string, token: string): string {
  return `K10${caPublicKeyHash(caPem)}::${token}`;
}

/** parseJoinString accepts `K10<hex>::<id>.<secret>` or a bare `<id>.<secret>` (then no pin). */
export function parseJoinString(s: string): { caHash?: string; token: string } {
  const m = /^K10([0-9a-f]{64})::(.+)$/.exec(s.trim());
  if (m) return { caHash: m[1], token: m[2]! };
  return { token: s.trim() };
}

/** parseCaHash accepts kubeadm's `sha256:<hex>` (or bare hex). */
export function parseCaHash(s: string): string {
  const hex = s.replace(/^sha256:/, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`CA hash must be sha256:<64 hex digits>, got ${JSON.stringify(s)}`);
  return hex;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** validNodeName: a DNS subdomain of at most 253 characters, as Node names must be. */
export function validNodeName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 253 && DNS_SUBDOMAIN.test(name);
}

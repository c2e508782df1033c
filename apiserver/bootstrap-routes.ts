// The join endpoints and TokenReview:
// - GET /skiff/bootstrap/cluster-info (unauthenticated): the cluster CA, which a joining node
//   fetches without trusting it and checks against the hash in its join string (the role of
//   upstream's kube-public/cluster-info ConfigMap).
// - POST /skiff/bootstrap/node-credentials {nodeName} (bootstrap tokens only): issues the node's
//   own token for system:node:<nodeName> (replacing the node's earlier ones) — the role of
//   upstream's CSR flow with the kubelet-client auto-approver.
// - POST /skiff/tokens {user, groups?, ttlSeconds?} (admins only, by the authorizer): a bearer
//   token for a user, as `kubeadm kubeconfig user` makes a client certificate; `skiff kubeconfig
//   --user` writes it into a kubeconfig. GET lists what the store holds (never tokens or hashes);
//   DELETE /skiff/tokens/<user> revokes every token of a user (e.g. system:node:<name>).
// - POST /apis/authentication.k8s.io/v1/tokenreviews: who a token belongs to, for node agents
//   checking callers of their HTTPS server (the kubelet's webhook authentication).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, StatusError } from '../api/errors.js';
import { GROUP_AUTHENTICATED, GROUP_BOOTSTRAPPERS, GROUP_MASTERS, nodeUser, type Authenticator, type TokenStore, type UserInfo } from './auth.js';
import { CLUSTER_INFO_PATH, NODE_CREDENTIALS_PATH, TOKENS_PATH, validNodeName, type IssuedToken } from './bootstrap.js';
import { forbidden } from './authz/attributes.js';
import { bodyFormat, decodeBody } from './body.js';

export interface BootstrapRouteDeps {
  caCert?: string;
  tokenStore?: TokenStore;
  authn?: Authenticator;
  now: () => Date;
}

/** AuthedRequest carries the user the onRequest hook authenticated. */
export type AuthedRequest = FastifyRequest & { skiffUser?: UserInfo };

export function userOf(req: FastifyRequest): UserInfo | undefined {
  return (req as AuthedRequest).skiffUser;
}

/** TokenRequestBody is what POST /skiff/tokens takes. */
export interface TokenRequestBody {
  user?: unknown;
  groups?: unknown;
  ttlSeconds?: unknown;
}

/**
 * parseTokenRequest validates a token request: a user name (any non-empty name without control
 * characters and not a bootstrap identity), groups as strings, ttlSeconds >= 0 (0: no expiry).
 */
export function parseTokenRequest(body: TokenRequestBody | undefined): { user: UserInfo; ttlSeconds?: number } {
  const name = body?.user;
  if (typeof name !== 'string' || !name || /[\s\p{Cc}]/u.test(name)) throw badRequest(`user must be a non-empty name without spaces, got ${JSON.stringify(name)}`);
  if (name.startsWith('system:bootstrap:')) throw badRequest('bootstrap identities come from bootstrap tokens (`skiff token create`)');
  const groups = body?.groups ?? [];
  if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string' && g !== '')) throw badRequest('groups must be a list of group names');
  if (groups.includes(GROUP_BOOTSTRAPPERS)) throw badRequest(`${GROUP_BOOTSTRAPPERS} is for bootstrap tokens only`);
  const ttl = body?.ttlSeconds;
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0)) throw badRequest('ttlSeconds must be a whole number of seconds, 0 for no expiry');
  const all = [...new Set([...(groups as string[]), GROUP_AUTHENTICATED])];
  return { user: { name, groups: all }, ttlSeconds: ttl ? ttl : undefined };
}

export async function bootstrapRoutes(app: FastifyInstance, deps: BootstrapRouteDeps): Promise<void> {
  app.get(CLUSTER_INFO_PATH, async (_req, reply) => {
    if (!deps.caCert) throw new StatusError(404, 'NotFound', 'this API server does not serve cluster-info');
    return reply.send({ apiVersion: 'skiff.dev/v1', kind: 'ClusterInfo', certificateAuthority: deps.caCert });
  });

  app.post(NODE_CREDENTIALS_PATH, async (req, reply) => {
    const user = userOf(req);
    if (user && !user.groups.includes(GROUP_BOOTSTRAPPERS)) {
      throw forbidden({ user, verb: 'create', resourceRequest: false, path: NODE_CREDENTIALS_PATH }, 'only bootstrap tokens may fetch node credentials');
    }
    if (!deps.tokenStore) throw new StatusError(404, 'NotFound', 'this API server does not issue node credentials');
    const body = decodeBody(req.body as Buffer, bodyFormat(req.headers['content-type'])) as { nodeName?: unknown };
    if (!validNodeName(body?.nodeName)) throw badRequest(`nodeName must be a DNS subdomain (lowercase letters, digits, '-' and '.'), got ${JSON.stringify(body?.nodeName)}`);
    const identity = nodeUser(body.nodeName);
    const token = deps.tokenStore.issue(identity, { now: deps.now(), replace: true });
    req.log.info({ node: body.nodeName, by: user?.name }, 'Issued node credentials');
    return reply.code(201).send({ apiVersion: 'skiff.dev/v1', kind: 'NodeCredentials', nodeName: body.nodeName, user: identity.name, token });
  });

  // The authorizer already lets only system:masters reach these; checked again here because
  // minting credentials must not depend on a hook's path matching.
  const adminOnly = (req: FastifyRequest, verb: string) => {
    const user = userOf(req);
    if (user && !user.groups.includes(GROUP_MASTERS)) throw forbidden({ user, verb, resourceRequest: false, path: TOKENS_PATH });
    if (!deps.tokenStore) throw new StatusError(404, 'NotFound', 'this API server keeps no token store');
    return deps.tokenStore;
  };

  app.post(TOKENS_PATH, async (req, reply) => {
    const store = adminOnly(req, 'create');
    const { user, ttlSeconds } = parseTokenRequest(decodeBody(req.body as Buffer, bodyFormat(req.headers['content-type'])) as TokenRequestBody);
    const now = deps.now();
    const token = store.issue(user, { now, ttlSeconds });
    req.log.info({ user: user.name, by: userOf(req)?.name }, 'Issued a user token');
    const out: IssuedToken = { apiVersion: 'skiff.dev/v1', kind: 'IssuedToken', user: user.name, groups: user.groups, token };
    if (ttlSeconds) out.expires = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
    return reply.code(201).send(out);
  });

  app.get(TOKENS_PATH, async (req, reply) => {
    const store = adminOnly(req, 'list');
    const items = store.entries().map((e) => ({ user: e.user, groups: e.groups, created: e.created, ...(e.expires ? { expires: e.expires } : {}) }));
    return reply.send({ apiVersion: 'skiff.dev/v1', kind: 'TokenList', items });
  });

  app.delete(`${TOKENS_PATH}/:user`, async (req, reply) => {
    const store = adminOnly(req, 'delete');
    const name = (req.params as { user: string }).user;
    const n = store.revokeUser(name);
    if (!n) throw new StatusError(404, 'NotFound', `no tokens for user "${name}"`);
    req.log.info({ user: name, tokens: n, by: userOf(req)?.name }, 'Revoked user tokens');
    return reply.send({ apiVersion: 'skiff.dev/v1', kind: 'Status', status: 'Success', code: 200, message: `revoked ${n} token(s) of user "${name}"` });
  });

  app.post('/apis/authentication.k8s.io/v1/tokenreviews', async (req, reply) => {
    const review = decodeBody(req.body as Buffer, bodyFormat(req.headers['content-type'])) as { spec?: { token?: string } };
    const token = review?.spec?.token;
    if (!token) throw badRequest('spec.token: Required value');
    const who = deps.authn?.authenticate(token, deps.now());
    const status = who
      ? { authenticated: true, user: { username: who.name, groups: who.groups } }
      : { authenticated: false, error: 'invalid bearer token' };
    return reply.code(201).send({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec: {}, status });
  });
}

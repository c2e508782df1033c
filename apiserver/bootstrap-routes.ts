// The join endpoints and TokenReview:
// - GET /skiff/bootstrap/cluster-info (unauthenticated): the cluster CA, which a joining node
//   fetches without trusting it and checks against the hash in its join string (the role of
//   upstream's kube-public/cluster-info ConfigMap).
// - POST /skiff/bootstrap/node-credentials {nodeName} (bootstrap tokens only): issues the node's
//   own token for system:node:<nodeName> (replacing the node's earlier ones) — the role of
//   upstream's CSR flow with the kubelet-client auto-approver.
// - POST /apis/authentication.k8s.io/v1/tokenreviews: who a token belongs to, for node agents
//   checking callers of their HTTPS server (the kubelet's webhook authentication).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, StatusError } from '../api/errors.js';
import { GROUP_BOOTSTRAPPERS, nodeUser, type Authenticator, type TokenStore, type UserInfo } from './auth.js';
import { validNodeName } from './bootstrap.js';
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

export const NODE_CREDENTIALS_PATH = '/skiff/bootstrap/node-credentials';
export const CLUSTER_INFO_PATH = '/skiff/bootstrap/cluster-info';

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

// The API server: storage and watch caches per resource, then one fastify app serving
// discovery, OpenAPI, health, metrics and the REST routes. `startApiServer(config)` is the
// component's entry; `buildApiServer` returns the app unstarted for inject() tests.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Server } from 'node:http';
import type { Server as TlsServer } from 'node:tls';
import { Etcd3, type IOptions } from 'etcd3';
import { RESOURCES, type ResourceInfo } from '../api/registry.js';
import type { KubeObject } from '../api/meta.js';
import { StatusError, isStatusError, pathNotFound } from '../api/errors.js';
import { toStatusError } from './status-error.js';
import { registerStreamProxy } from './stream-proxy.js';
import { Store } from './storage/store.js';
import { aesGcmTransformer } from './storage/transformer.js';
import { WatchCache } from './cache/watch-cache.js';
import type { IndexFunc } from './cache/indexer.js';
import { ResourceStore, type ResourceHooks } from './resource-store.js';
import { NAMESPACE_LIVE_LOOKUP_MS, RecentNames } from './recent-names.js';
import { resourceRoutes } from './routes.js';
import { ApiMetrics } from './metrics.js';
import { healthRoutes } from './health.js';
import { authenticate, nodeNameOf, tableAuthenticator, unionAuthenticator, type Authenticator, type TokenStore, type TokenTable } from './auth.js';
import { bootstrapAuthenticator, BOOTSTRAP_NAMESPACE } from './bootstrap.js';
import { bootstrapRoutes, type AuthedRequest } from './bootstrap-routes.js';
import { authorize, forbidden } from './authz/index.js';
import { requestAttributes, storeGraph } from './authz/request.js';
import { BODY_LIMIT_BYTES, unsupported, mediaType, bodyFormat, decodeBody } from './body.js';
import { Compactor, currentRevision } from './compactor.js';
import { parseCidr, firstServiceIP } from './clusterip.js';
import { serviceIPHooks } from './service-ips.js';
import { NodePortAllocator } from './nodeport-allocator.js';
import { DEFAULT_NODE_PORT_RANGE, parsePortRange } from './nodeport.js';
import { discoveryRoutes } from './discovery.js';
import { openapiRoutes } from './openapi.js';
import { versionRoutes } from './version.js';
import type { KubeletClientConfig } from './pod-log.js';

export interface ApiServerConfig {
  etcdEndpoints: string[];
  host?: string;
  port?: number;
  tls?: { cert: string; key: string };
  /** Plain tokens (tests, static users). With neither this nor tokenStore: no authentication (inject() tests). */
  tokens?: TokenTable;
  /** Hashed tokens in the data dir (admin, components, nodes); node credentials are issued into it. */
  tokenStore?: TokenStore;
  /** The cluster CA (PEM) served to joining nodes at /skiff/bootstrap/cluster-info. */
  caCert?: string;
  /** Authorize requests (default: on whenever authentication is). */
  authorization?: boolean;
  serviceCidr?: string;
  /** `--service-node-port-range`: where NodePort Services' node ports come from (default 30000-32767). */
  serviceNodePortRange?: string;
  compactionIntervalMs?: number;
  /** How the API server reaches node agents (pods/log, exec). */
  kubelet?: KubeletClientConfig;
  /** Encrypts Secrets at rest with AES-GCM under this named 32-byte key. */
  encryption?: { keyName: string; key: Buffer };
  watchWindowSize?: number;
  maxWatchSeconds?: number;
  logger?: boolean;
}

export interface ApiServer {
  app: FastifyInstance;
  stores: Map<string, ResourceStore>;
  metrics: ApiMetrics;
  etcd: Etcd3;
  url: string;
  /** Swaps the serving certificate of the listening socket (certificate rotation, no restart). */
  setServingCert(tls: { cert: string; key: string }): void;
  stop(): Promise<void>;
}

const ACCEPTED_BODY_TYPES = new Set([
  '',
  'application/json',
  'application/yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'application/vnd.kubernetes.protobuf',
  '*/*',
]);

function indexersFor(res: ResourceInfo): Record<string, IndexFunc> {
  const idx: Record<string, IndexFunc> = {};
  if (res.namespaced) idx.namespace = (o: KubeObject) => o.metadata.namespace;
  if (res.plural === 'pods') idx['spec.nodeName'] = (o: KubeObject) => (o.spec as { nodeName?: string })?.nodeName ?? '';
  return idx;
}

function makeStores(etcd: Etcd3, directEtcd: Etcd3, metrics: ApiMetrics, config: ApiServerConfig): Map<string, ResourceStore> {
  const stores = new Map<string, ResourceStore>();
  const cidr = parseCidr(config.serviceCidr ?? '10.96.0.0/12');
  const nodePortRange = parsePortRange(config.serviceNodePortRange ?? DEFAULT_NODE_PORT_RANGE);
  const now = () => new Date();
  const namespaceOf = (name: string) => stores.get('namespaces')!.get(undefined, name).catch(() => undefined);
  const deletedNamespaces = new RecentNames(NAMESPACE_LIVE_LOOKUP_MS);
  // A namespace this server has just deleted is looked up in etcd, not in its watch cache, which
  // may not show the deletion yet (upstream NamespaceLifecycle's forceLiveLookupCache).
  const cachedNamespace = (name: string) =>
    deletedNamespaces.has(name) ? undefined : stores.get('namespaces')!.cache.get(`/registry/namespaces/${name}`)?.obj;
  const namespaceHooks: ResourceHooks = { afterDelete: (ns) => deletedNamespaces.add(ns.metadata.name ?? '') };
  for (const res of RESOURCES) {
    const gr = { group: res.group, resource: res.plural };
    const transformer =
      config.encryption && res.plural === 'secrets' ? aesGcmTransformer(config.encryption.keyName, config.encryption.key) : undefined;
    const store = new Store(etcd, gr, (op, s) => metrics.etcd.labels(op, res.plural).observe(s), transformer);
    const cache = new WatchCache(etcd, `/registry/${res.plural}/`, {
      windowSize: config.watchWindowSize,
      indexers: indexersFor(res),
      kind: res.kind,
      apiVersion: res.group ? `${res.group}/${res.version}` : res.version,
      transformer,
    }, directEtcd);
    let hooks: ResourceHooks | undefined;
    if (res.plural === 'services') hooks = serviceIPHooks(cidr, cache, Math.random, new NodePortAllocator(nodePortRange, cache));
    if (res.plural === 'namespaces') hooks = namespaceHooks;
    stores.set(res.plural, new ResourceStore(res, { store, cache, now, namespaceOf, cachedNamespace, hooks }));
  }
  return stores;
}

/** Large lists (10,000 pods is ~6 MB) exceed gRPC's default 4 MB receive limit. */
function etcdOptions(hosts: string[]): IOptions {
  return { hosts, grpcOptions: { 'grpc.max_receive_message_length': 1024 * 1024 * 1024 } };
}

export async function buildApiServer(config: ApiServerConfig): Promise<ApiServer> {
  const etcd = new Etcd3(etcdOptions(config.etcdEndpoints));
  const directEtcd = new Etcd3(etcdOptions(config.etcdEndpoints));
  const metrics = new ApiMetrics();
  const stores = makeStores(etcd, directEtcd, metrics, config);
  for (const s of stores.values()) await s.cache.start();
  await ensureSystemObjects(stores, config);
  const app = Fastify({
    logger: config.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: true,
    ...(config.tls ? { https: { cert: config.tls.cert, key: config.tls.key } } : {}),
  }) as unknown as FastifyInstance;
  registerBodyParsing(app);
  const authn = authenticatorFor(config, stores);
  registerHooks(app, config, metrics, stores, authn);
  await bootstrapRoutes(app, { caCert: config.caCert, tokenStore: config.tokenStore, authn, now: () => new Date() });
  await healthRoutes(app, {
    etcd: async () => void (await currentRevision(etcd)),
    cachesReady: () => [...stores.values()].every((s) => s.cache.isReady()),
  });
  app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  await discoveryRoutes(app);
  await openapiRoutes(app);
  await versionRoutes(app);
  await resourceRoutes(app, {
    stores,
    metrics,
    now: () => new Date(),
    maxWatchSeconds: config.maxWatchSeconds ?? 1800,
    kubelet: config.kubelet ?? {},
  });
  registerStreamProxy(app.server as Server, {
    stores,
    authn,
    authorize: authn && config.authorization !== false ? (a) => authorize(a, storeGraph(stores)) : undefined,
    kubelet: config.kubelet ?? {},
  });
  const compactor = new Compactor(etcd, config.compactionIntervalMs ?? 5 * 60_000);
  compactor.start();
  return {
    app,
    stores,
    metrics,
    etcd,
    url: '',
    setServingCert(tls) {
      if (!config.tls) throw new Error('this API server does not serve TLS');
      // New connections get the new certificate; open ones keep the one they shook hands with.
      (app.server as unknown as TlsServer).setSecureContext({ cert: tls.cert, key: tls.key });
    },
    async stop() {
      compactor.stop();
      // Watch streams end first, or closing the app would wait on them.
      await Promise.all([...stores.values()].map((s) => s.cache.stop()));
      await app.close();
      etcd.close();
      directEtcd.close();
    },
  };
}

export async function startApiServer(config: ApiServerConfig): Promise<ApiServer> {
  const server = await buildApiServer(config);
  const address = await server.app.listen({ host: config.host ?? '127.0.0.1', port: config.port ?? 6443 });
  return { ...server, url: address };
}

/** Bodies arrive as raw bytes and are decoded per verb; a missing Content-Type means JSON. */
function registerBodyParsing(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    const t = mediaType(req.headers['content-type']);
    if (!ACCEPTED_BODY_TYPES.has(t)) return done(unsupported(t), undefined);
    done(null, body);
  });
}

interface SkiffRequest extends FastifyRequest {
  skiff?: { verb: string; resource: string; subresource: string };
  startedAt?: bigint;
}

/** The token sources of this server: static table, hashed store, bootstrap-token Secrets. */
function authenticatorFor(config: ApiServerConfig, stores: Map<string, ResourceStore>): Authenticator | undefined {
  if (!config.tokens && !config.tokenStore) return undefined;
  const secrets = stores.get('secrets')!.cache;
  const list: Authenticator[] = [];
  if (config.tokens) list.push(tableAuthenticator(config.tokens));
  if (config.tokenStore) list.push(config.tokenStore);
  list.push(bootstrapAuthenticator((name) => secrets.get(`/registry/secrets/${BOOTSTRAP_NAMESPACE}/${name}`)?.obj));
  return unionAuthenticator(list);
}

/** The name in a create's body, which NodeRestriction needs (nodes and leases of node users). */
function createdName(req: FastifyRequest): string | undefined {
  if (req.method !== 'POST' || !Buffer.isBuffer(req.body)) return undefined;
  try {
    return (decodeBody(req.body, bodyFormat(req.headers['content-type'])) as { metadata?: { name?: string } })?.metadata?.name;
  } catch {
    return undefined;
  }
}

function registerAuthorization(app: FastifyInstance, stores: Map<string, ResourceStore>): void {
  const graph = storeGraph(stores);
  app.addHook('preHandler', async (req: AuthedRequest) => {
    const user = req.skiffUser;
    // The bootstrap endpoints check their callers themselves.
    if (!user || req.url.startsWith('/skiff/bootstrap/')) return;
    const objectName = nodeNameOf(user) ? createdName(req) : undefined;
    const attrs = requestAttributes(user, req.method, req.url, req.query as Record<string, string>, objectName);
    const d = authorize(attrs, graph);
    if (!d.allowed) throw forbidden(attrs, d.reason);
  });
}

function registerHooks(
  app: FastifyInstance,
  config: ApiServerConfig,
  metrics: ApiMetrics,
  stores: Map<string, ResourceStore>,
  authn: Authenticator | undefined,
): void {
  app.addHook('onRequest', async (req: SkiffRequest & AuthedRequest) => {
    req.startedAt = process.hrtime.bigint();
    if (authn) req.skiffUser = authenticate(req, authn);
  });
  if (authn && config.authorization !== false) registerAuthorization(app, stores);
  app.addHook('onResponse', async (req: SkiffRequest, reply) => {
    const info = req.skiff ?? { verb: req.method.toLowerCase(), resource: '', subresource: '' };
    metrics.requests.labels(info.verb, info.resource, info.subresource, String(reply.statusCode)).inc();
    if (req.startedAt && info.verb !== 'watch') {
      metrics.latency.labels(info.verb, info.resource).observe(Number(process.hrtime.bigint() - req.startedAt) / 1e9);
    }
  });
  app.addHook('onRequest', async () => {
    for (const [plural, s] of stores) metrics.objects.labels(plural).set(s.cache.size);
  });
  app.setErrorHandler((err: FastifyError | StatusError, req, reply) => {
    const status = toStatusError(err);
    if (status.code >= 500) req.log.error(err);
    if (status.code >= 500 && !config.logger) console.error(err);
    void reply.code(status.code).header('content-type', 'application/json').send(JSON.stringify(status.status));
  });
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).header('content-type', 'application/json').send(JSON.stringify(pathNotFound().status));
  });
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The namespaces every cluster has from its first start, and the `kubernetes` Service. */
async function ensureSystemObjects(stores: Map<string, ResourceStore>, config: ApiServerConfig): Promise<void> {
  const ns = stores.get('namespaces')!;
  for (const name of SYSTEM_NAMESPACES) {
    await ignoreExists(ns.create(undefined, { metadata: { name } }));
  }
  const ip = firstServiceIP(parseCidr(config.serviceCidr ?? '10.96.0.0/12'));
  await ignoreExists(
    stores.get('services')!.create('default', {
      metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: ip, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: config.port ?? 6443 }] },
    }),
  );
}

async function ignoreExists(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isStatusError(err, 'AlreadyExists')) throw err;
  }
}

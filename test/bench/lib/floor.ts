// The floor of the scheduler benchmark: the same work per pod as Skiff's API server and scheduler
// do (three HTTPS writes, each one etcd transaction, and the watch deliveries), with every piece
// of Skiff's own logic taken out. What it costs is what the mandated stack itself costs
// (fastify over TLS, etcd3 over gRPC, undici, JSON), so Skiff's figures read as a ratio to it.
//   floor API server: create-if-absent for pods and events, a binding as a guarded put, a LIST
//     and a WATCH of pods served from one etcd watch (each event serialized once);
//   floor binder: watches pods and binds each new one to the next node in turn, with an Event,
//     as the scheduler does without its algorithm, queue, cache or event recorder.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { Etcd3, type Watcher } from 'etcd3';
import type { RestClient } from '../../../client/rest.js';
import { mustResource } from '../../../api/registry.js';

interface StoredPod {
  json: string;
  obj: { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  rev: number;
}

const PODS_PREFIX = '/registry/pods/';

export interface FloorServer {
  url: string;
  stop(): Promise<void>;
}

export async function startFloorServer(o: { etcdEndpoint: string; cert: string; key: string; token: string; port: number }): Promise<FloorServer> {
  const etcd = new Etcd3({ hosts: [o.etcdEndpoint], grpcOptions: { 'grpc.max_receive_message_length': 1024 * 1024 * 1024 } });
  const pods = new Map<string, StoredPod>();
  const sinks = new Set<ServerResponse>();
  let revision = Number((await etcd.get('/floor-probe').exec()).header.revision);

  const watcher: Watcher = await etcd.watch().prefix(PODS_PREFIX).startRevision(String(revision + 1)).create();
  watcher.on('put', (kv) => {
    const rev = Number(kv.mod_revision);
    revision = Math.max(revision, rev);
    const obj = JSON.parse(kv.value.toString()) as StoredPod['obj'];
    obj.metadata.resourceVersion = String(rev);
    const json = JSON.stringify(obj);
    const key = kv.key.toString();
    const type = pods.has(key) ? 'MODIFIED' : 'ADDED';
    pods.set(key, { json, obj, rev });
    const line = `{"type":"${type}","object":${json}}\n`;
    for (const s of sinks) s.write(line);
  });

  const app = Fastify({ https: { cert: o.cert, key: o.key }, forceCloseConnections: true, bodyLimit: 3 * 1024 * 1024 });
  const bearer = `Bearer ${o.token}`;
  app.addHook('onRequest', async (req, reply) => {
    if (req.headers.authorization !== bearer) await reply.code(401).send({ kind: 'Status', status: 'Failure', code: 401 });
  });

  app.get('/api/v1/pods', async (req, reply) => {
    if ((req.query as Record<string, string>).watch) {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      sinks.add(reply.raw);
      reply.raw.on('close', () => sinks.delete(reply.raw));
      return;
    }
    reply.header('content-type', 'application/json');
    return `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"${revision}"},"items":[${[...pods.values()].map((p) => p.json).join(',')}]}`;
  });

  // A create is a create-if-absent transaction, for pods (given a Pending status) and events alike.
  const createIfAbsent = (plural: 'pods' | 'events', status?: Record<string, unknown>) => async (req: FastifyRequest, reply: FastifyReply) => {
    const { ns } = req.params as { ns: string };
    const obj = req.body as StoredPod['obj'];
    const name = String(obj.metadata.name);
    Object.assign(obj.metadata, { namespace: ns, uid: randomUUID(), creationTimestamp: new Date().toISOString() });
    if (status) Object.assign(obj, { status });
    const key = `/registry/${plural}/${ns}/${name}`;
    const res = await etcd.if(key, 'Create', '==', 0).then(etcd.put(key).value(JSON.stringify(obj))).commit();
    if (!res.succeeded) {
      return reply.code(409).send({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 409, reason: 'AlreadyExists', message: `${plural} "${name}" already exists` });
    }
    obj.metadata.resourceVersion = res.header.revision;
    return reply.code(201).send(obj);
  };
  app.post('/api/v1/namespaces/:ns/pods', createIfAbsent('pods', { phase: 'Pending', qosClass: 'Guaranteed' }));
  app.post('/api/v1/namespaces/:ns/events', createIfAbsent('events'));

  app.post('/api/v1/namespaces/:ns/pods/:name/binding', async (req, reply) => {
    const { ns, name } = req.params as { ns: string; name: string };
    const target = (req.body as { target: { name: string } }).target.name;
    const key = `${PODS_PREFIX}${ns}/${name}`;
    const cur = pods.get(key);
    if (!cur) return reply.code(404).send({ kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound' });
    const next = { ...cur.obj, spec: { ...cur.obj.spec, nodeName: target } };
    const { resourceVersion: _rv, ...metadata } = next.metadata;
    const res = await etcd.if(key, 'Mod', '==', cur.rev).then(etcd.put(key).value(JSON.stringify({ ...next, metadata }))).commit();
    if (!res.succeeded) return reply.code(409).send({ kind: 'Status', status: 'Failure', code: 409, reason: 'Conflict' });
    return reply.code(201).send({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  });

  await app.listen({ host: '127.0.0.1', port: o.port });
  return {
    url: `https://127.0.0.1:${o.port}`,
    async stop() {
      for (const s of sinks) s.end();
      await app.close();
      await watcher.cancel();
      etcd.close();
    },
  };
}

interface WatchedPod {
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string };
  spec: { nodeName?: string };
}

/** The scheduler without its algorithm: each new pod goes to the next node in turn. */
export async function startFloorBinder(client: RestClient, nodes: number): Promise<{ stop(): Promise<void> }> {
  const ctrl = new AbortController();
  let next = 0;
  const seen = new Set<string>();
  const bindOne = async (pod: WatchedPod) => {
    const node = `node-${next++ % nodes}`;
    const { name, namespace, uid, resourceVersion } = pod.metadata;
    const ref = { kind: 'Pod', namespace, name, uid, apiVersion: 'v1', resourceVersion };
    await client.request('POST', `/api/v1/namespaces/${namespace}/pods/${name}/binding`, {
      apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid }, target: { apiVersion: 'v1', kind: 'Node', name: node },
    });
    const now = new Date().toISOString();
    await client.request('POST', `/api/v1/namespaces/${namespace}/events`, {
      apiVersion: 'v1', kind: 'Event', metadata: { name: `${name}.${randomUUID().slice(0, 16)}`, namespace },
      involvedObject: ref, reason: 'Scheduled', message: `Successfully assigned ${namespace}/${name} to ${node}`,
      source: { component: 'default-scheduler' }, firstTimestamp: now, lastTimestamp: now, count: 1, type: 'Normal',
      reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-floor',
    });
  };
  const run = (async () => {
    for await (const ev of client.watch(mustResource('pods'), undefined, { signal: ctrl.signal, resourceVersion: '0' })) {
      const pod = ev.object as unknown as WatchedPod;
      if (ev.type !== 'ADDED' || pod.spec.nodeName || seen.has(pod.metadata.name)) continue;
      seen.add(pod.metadata.name);
      void bindOne(pod).catch((err: Error) => console.error(`floor binder: ${err.message}`));
    }
  })().catch((err: Error) => {
    if (!ctrl.signal.aborted) console.error(`floor binder watch: ${err.message}`);
  });
  return {
    async stop() {
      ctrl.abort();
      await run;
    },
  };
}

// pods/NAME/log: picks the container as upstream does, finds the pod's node and proxies the
// node agent's log endpoint (GET /containerLogs/{ns}/{pod}/{container}) to the client, streaming
// for follow=true. Like kube-apiserver without --kubelet-certificate-authority, the node's serving
// certificate is not verified; the API server proves itself to the node with its kubelet client
// certificate (signed by the cluster CA), or with a static token in tests.
import type { FastifyReply } from 'fastify';
import { Agent, request } from 'undici';
import type { KubeObject } from '../api/meta.js';
import { StatusError, badRequest } from '../api/errors.js';

export interface KubeletClientConfig {
  /** The API server's client certificate and key for node agents (upstream's --kubelet-client-certificate). */
  clientCert?: { cert: string; key: string };
  /** A bearer token the node agents accept from the API server (tests' stand-in nodes). */
  token?: string;
  defaultPort?: number;
}

interface PodShape {
  metadata: KubeObject['metadata'];
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[] };
}

const LOG_PARAMS = ['follow', 'tailLines', 'sinceSeconds', 'sinceTime', 'timestamps', 'previous', 'limitBytes'];

/** The container a log request means: the one named, the default-container annotation, or the only one. */
export function logContainer(pod: PodShape, requested: string | undefined): string {
  const name = pod.metadata.name!;
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
  if (requested) {
    if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && all.includes(annotated)) return annotated;
  const apps = (pod.spec?.containers ?? []).map((c) => c.name);
  if (apps.length === 1) return apps[0]!;
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${apps.join(' ')}]`);
}

export interface NodeShape {
  status?: {
    addresses?: { type: string; address: string }[];
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
}

/** https://ADDRESS:PORT of a node's agent, from its status as the kubelet reports it. */
export function nodeEndpoint(node: NodeShape, defaultPort: number): string | undefined {
  const addrs = node.status?.addresses ?? [];
  const pick = ['InternalIP', 'ExternalIP', 'Hostname'].map((t) => addrs.find((a) => a.type === t)).find(Boolean);
  if (!pick) return undefined;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port || defaultPort;
  const host = pick.address.includes(':') ? `[${pick.address}]` : pick.address;
  return `https://${host}:${port}`;
}

export function logPath(pod: PodShape, container: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const p of LOG_PARAMS) if (query[p] !== undefined) params.set(p, query[p]!);
  const qs = params.toString();
  const m = pod.metadata;
  return `/containerLogs/${m.namespace}/${m.name}/${encodeURIComponent(container)}${qs ? `?${qs}` : ''}`;
}

const agents = new WeakMap<KubeletClientConfig, Agent>();

/** kubeletDispatcher: TLS to a node, presenting the client certificate; one pool per config. */
function kubeletDispatcher(cfg: KubeletClientConfig): Agent {
  let a = agents.get(cfg);
  if (!a) {
    a = new Agent({ connect: { rejectUnauthorized: false, cert: cfg.clientCert?.cert, key: cfg.clientCert?.key } });
    agents.set(cfg, a);
  }
  return a;
}

/** Streams the node's answer to the client; a node error comes back as a Status. */
export async function proxyLog(
  reply: FastifyReply,
  nodeUrl: string,
  path: string,
  cfg: KubeletClientConfig,
): Promise<void> {
  const ac = new AbortController();
  reply.raw.on('close', () => ac.abort());
  let res;
  try {
    res = await request(nodeUrl + path, {
      dispatcher: kubeletDispatcher(cfg),
      signal: ac.signal,
      headers: cfg.token ? { authorization: `Bearer ${cfg.token}` } : {},
    });
  } catch (err) {
    throw new StatusError(500, 'InternalError', `Get "${nodeUrl}${path}": ${(err as Error).message}`);
  }
  if (res.statusCode >= 400) {
    const text = await res.body.text();
    throw new StatusError(res.statusCode, res.statusCode === 404 ? 'NotFound' : 'BadRequest', text.trim() || `node answered ${res.statusCode}`);
  }
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
  try {
    for await (const chunk of res.body) reply.raw.write(chunk);
  } catch {
    // The client went away or the node closed the stream: either way the answer ends here.
  }
  reply.raw.end();
}

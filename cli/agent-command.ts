// `skiff agent`: the node agent (kubelet) for this machine, or N hollow nodes with the fake
// runtime for scale tests. It reaches the API server with a kubeconfig; or, given --server and a
// join token, it joins first (token-join.ts) and keeps its own credentials in
// $SKIFF_HOME/nodes/<node>/kubeconfig, which later starts reuse.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { RestClient } from '../client/rest.js';
import { waitForApiServer } from '../client/server-ready.js';
import { startAgent, startHollowNodes } from '../kubelet/index.js';
import { DNS_LINK, type ClusterDnsOptions } from '../kubelet/dns/index.js';
import type { NodeNetworkOptions } from '../kubelet/proxy/index.js';
import type { RuntimeService } from '../runtime/api.js';
import { ensurePki, KUBELET_CLIENT_CN } from '../apiserver/pki.js';
import { loadKubeconfig } from '../client/kubeconfig.js';
import { ensureNodeKubeconfig, isJoinToken, nodeKubeconfigPath } from './token-join.js';
import { runcStreamBackend } from '../kubelet/runc-streams.js';
import { mustResource } from '../api/registry.js';
import { componentLogger, type Logger } from './log.js';
import { waitForFile } from '../runtime/containers/wait-file.js';

export interface AgentOptions {
  home: string;
  kubeconfig?: string;
  server?: string;
  token?: string;
  caFile?: string;
  /** kubeadm's --discovery-token-ca-cert-hash, for a bare `<id>.<secret>` token. */
  discoveryTokenCaCertHash?: string;
  nodeName?: string;
  nodeIp?: string;
  hollow?: number;
  logServerPort: number;
  nodeLabels: Record<string, string>;
  /** This node's pod range; default the one the node IPAM controller assigns. */
  podCidr?: string;
  /** Service proxy and pod routes (kubelet/proxy); omitted → none (tests with a fake runtime). `skiff agent` turns them on. */
  network?: NodeNetworkOptions;
  /** The node-local cluster DNS server (kubelet/dns); off unless given (`skiff agent` turns it on). */
  clusterDns?: ClusterDnsOptions | false;
  /** Connects to the container runtime; the caller decides how (gRPC socket). */
  runtime?: () => Promise<RuntimeService>;
}

export function agentClient(o: Pick<AgentOptions, 'kubeconfig' | 'server' | 'token' | 'caFile'>): RestClient {
  if (o.server) {
    const ca = o.caFile ? readFileSync(o.caFile, 'utf8') : undefined;
    return new RestClient({ server: o.server, token: o.token, ca, userAgent: 'skiff-agent' });
  }
  return RestClient.fromKubeconfig(o.kubeconfig, 'skiff-agent');
}

/**
 * agentConnection picks the agent's credentials: --kubeconfig; else the node's own kubeconfig
 * (joining first when --server comes with a join token); else --server/--token/--ca-file; else
 * the default kubeconfig. ca is the cluster CA, which the log server trusts for client certs.
 */
export async function agentConnection(o: AgentOptions, nodeName: string): Promise<{ client: RestClient; ca?: string; keptCredentials?: boolean }> {
  const fromFile = (path: string | undefined) => {
    const cfg = loadKubeconfig(path);
    return { client: new RestClient({ ...cfg, userAgent: 'skiff-agent' }), ca: cfg.ca };
  };
  if (o.kubeconfig) return fromFile(o.kubeconfig);
  if (o.server && o.token && isJoinToken(o.token)) {
    const r = await ensureNodeKubeconfig({ home: o.home, server: o.server, token: o.token, caCertHash: o.discoveryTokenCaCertHash, nodeName });
    log(r.joined ? `joined ${o.server} as node ${nodeName}; credentials in ${r.path}` : `using the node credentials in ${r.path}`);
    return { ...fromFile(r.path), keptCredentials: !r.joined };
  }
  // A node that joined before runs on the credentials it kept (no join token needed again).
  const own = nodeKubeconfigPath(o.home, nodeName);
  if (existsSync(own) && !o.token) return { ...fromFile(own), keptCredentials: true };
  if (o.server) return { client: agentClient(o), ca: o.caFile ? readFileSync(o.caFile, 'utf8') : undefined };
  return fromFile(existsSync(own) ? own : undefined);
}

/**
 * tokenFromFile waits for a join token file (the server writes it once it serves) and reads it.
 * An agent that joined before needs no token: it starts at once with the credentials it kept.
 */
export async function tokenFromFile(file: string, home: string, nodeName = hostname().toLowerCase(), timeoutMs = 120_000): Promise<string | undefined> {
  if (existsSync(nodeKubeconfigPath(home, nodeName))) return undefined;
  // The server writes it whole (a rename), so a file that is there is complete.
  if (!(await waitForFile(dirname(file), basename(file), timeoutMs))) throw new Error(`no join token in ${file} after ${timeoutMs / 1000} s`);
  return readFileSync(file, 'utf8').trim();
}

/** Parses `a=b,c=d` as --node-labels takes it. */
export function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const [k, v = ''] = pair.split('=');
    out[k!.trim()] = v.trim();
  }
  return out;
}

export async function runAgent(o: AgentOptions): Promise<{ stop(): Promise<void> }> {
  const onError = (err: unknown, what: string) => logger().error({ err }, what);
  if (o.hollow) {
    // Hollow nodes share one client for many node names: they need an admin's kubeconfig, not a join.
    const hollow = await startHollowNodes({ client: agentClient(o), count: o.hollow, prefix: o.nodeName ?? 'hollow' });
    log(`${o.hollow} hollow nodes registered`);
    return hollow;
  }
  const nodeName = o.nodeName ?? hostname().toLowerCase();
  const { client, ca, keptCredentials } = await agentConnection(o, nodeName);
  if (!o.runtime) throw new Error('no container runtime: give --runtime-endpoint, or --hollow N for fake nodes');
  const pkiDir = join(o.home, 'nodes', nodeName, 'pki');
  // `skiff up` starts the runtime and the API server beside this agent: wait for both at once.
  const [runtime] = await Promise.all([o.runtime(), waitForApiServer(client)]);
  const streams = runcStreamBackend({
    runtime,
    runcRoot: join(o.home, 'runtime', 'runc'),
    podIP: async (ns, name) => {
      const pod = await client.get(mustResource('pods'), ns, name);
      return (pod.status as { podIP?: string } | undefined)?.podIP;
    },
  });
  const agent = await startAgent({
    client,
    nodeName,
    runtime,
    hostIP: o.nodeIp,
    podCidr: o.podCidr,
    nodeLabels: o.nodeLabels,
    // Credentials kept from an earlier join: this node's agent ran before, so its Node is there.
    registeredBefore: keptCredentials,
    rootDir: join(o.home, 'nodes', nodeName, 'kubelet'),
    logDir: join(o.home, 'nodes', nodeName, 'pods'),
    logServer: {
      port: o.logServerPort,
      // Made (or renewed) once the Node is registered: see AgentConfig.logServer.
      tls: () => ensurePki(pkiDir, o.nodeIp ? [o.nodeIp] : []),
      // Only the API server (its client certificate) and admins (checked by a TokenReview) get in.
      clientCert: ca ? { ca, commonNames: [KUBELET_CLIENT_CN] } : undefined,
      reviewToken: (token) => reviewToken(client, token),
      streams,
    },
    network: o.network,
    // A DNS address of the user's choosing goes on the node's DNS link too, as the default one does.
    clusterDns: o.clusterDns ? { link: DNS_LINK, ...o.clusterDns } : undefined,
    onError,
  });
  log(`node ${nodeName} registered; log server on :${o.logServerPort}`);
  return agent;
}

/** reviewToken asks the API server who a bearer token belongs to (TokenReview). */
export async function reviewToken(client: RestClient, token: string): Promise<{ name: string; groups: string[] } | undefined> {
  const review = await client.request<{ status?: { authenticated?: boolean; user?: { username: string; groups?: string[] } } }>(
    'POST',
    '/apis/authentication.k8s.io/v1/tokenreviews',
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
  );
  const u = review.status?.authenticated ? review.status.user : undefined;
  return u ? { name: u.username, groups: u.groups ?? [] } : undefined;
}

let agentLogger: Logger | undefined;

/** The agent's pino logger (JSON lines, or the human format on a terminal), made on first use. */
function logger(): Logger {
  agentLogger ??= componentLogger('agent');
  return agentLogger;
}

function log(msg: string): void {
  logger().info(msg);
}

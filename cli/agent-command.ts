// `skiff agent`: the node agent (kubelet) for this machine, or N hollow nodes with the fake
// runtime for scale tests. It reaches the API server with a kubeconfig, or --server/--token.
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RestClient } from '../client/rest.js';
import { startAgent, startHollowNodes } from '../kubelet/index.js';
import type { RuntimeService } from '../runtime/api.js';
import { ensurePki } from '../apiserver/pki.js';
import { KUBELET_CLIENT_TOKEN } from './server-command.js';
import { runcStreamBackend } from '../kubelet/runc-streams.js';
import { mustResource } from '../api/registry.js';

export interface AgentOptions {
  home: string;
  kubeconfig?: string;
  server?: string;
  token?: string;
  caFile?: string;
  nodeName?: string;
  nodeIp?: string;
  hollow?: number;
  logServerPort: number;
  nodeLabels: Record<string, string>;
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
  const client = agentClient(o);
  const onError = (err: unknown, what: string) => log(`${what}: ${(err as Error).message ?? String(err)}`);
  if (o.hollow) {
    const hollow = await startHollowNodes({ client, count: o.hollow, prefix: o.nodeName ?? 'hollow' });
    log(`${o.hollow} hollow nodes registered`);
    return hollow;
  }
  if (!o.runtime) throw new Error('no container runtime: give --runtime-endpoint, or --hollow N for fake nodes');
  const nodeName = o.nodeName ?? hostname().toLowerCase();
  const pkiDir = join(o.home, 'nodes', nodeName, 'pki');
  const tls = ensurePki(pkiDir, o.nodeIp ? [o.nodeIp] : []);
  const tokenFile = join(o.home, 'pki', KUBELET_CLIENT_TOKEN);
  const runtime = await o.runtime();
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
    nodeLabels: o.nodeLabels,
    rootDir: join(o.home, 'nodes', nodeName, 'kubelet'),
    logDir: join(o.home, 'nodes', nodeName, 'pods'),
    logServer: {
      port: o.logServerPort,
      tls: { cert: tls.cert, key: tls.key },
      token: existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : undefined,
      streams,
    },
    onError,
  });
  log(`node ${nodeName} registered; log server on :${o.logServerPort}`);
  return agent;
}

function log(msg: string): void {
  console.log(`${new Date().toISOString()} skiff agent: ${msg}`);
}

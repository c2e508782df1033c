// The agent's side of joining (kubeadm's token discovery, k3s' K10 token): fetch the cluster CA
// without trusting the server, check it against the pin in the join string, then trade the
// bootstrap token for the node's own credentials and keep them in a kubeconfig. After this the
// bootstrap token is not used again.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { caPublicKeyHash, parseBootstrapToken, parseCaHash, parseJoinString } from '../apiserver/bootstrap.js';
import { CLUSTER_INFO_PATH, NODE_CREDENTIALS_PATH } from '../apiserver/bootstrap.js';
import { RestClient } from '../client/rest.js';
import { isStatusError } from '../api/errors.js';
import { writeKubeconfig } from './kubeconfig-write.js';

export interface JoinOptions {
  server: string;
  /** `K10<hex>::<id>.<secret>`, or `<id>.<secret>` with caCertHash. */
  token: string;
  /** `sha256:<hex>` (kubeadm's --discovery-token-ca-cert-hash) for a bare token. */
  caCertHash?: string;
  nodeName: string;
  /** Where the node's kubeconfig goes. */
  kubeconfig: string;
}

/** nodeKubeconfigPath is $SKIFF_HOME/nodes/<node>/kubeconfig. */
export function nodeKubeconfigPath(home: string, nodeName: string): string {
  return join(home, 'nodes', nodeName, 'kubeconfig');
}

/** isJoinToken tells a join string or bootstrap token from any other bearer token. */
export function isJoinToken(token: string): boolean {
  return parseBootstrapToken(parseJoinString(token).token) !== undefined;
}

/** fetchPinnedCa downloads the cluster CA unverified and returns it only if its public key matches pin. */
export async function fetchPinnedCa(server: string, pinHex: string): Promise<string> {
  const insecure = new Agent({ connect: { rejectUnauthorized: false } });
  try {
    const res = await request(server.replace(/\/+$/, '') + CLUSTER_INFO_PATH, { dispatcher: insecure });
    const body = (await res.body.json().catch(() => ({}))) as { certificateAuthority?: string };
    if (res.statusCode !== 200 || !body.certificateAuthority) throw new Error(`${server} answered ${res.statusCode} to ${CLUSTER_INFO_PATH}`);
    let got: string;
    try {
      got = caPublicKeyHash(body.certificateAuthority);
    } catch {
      throw new Error(`${server} served a CA that is not a certificate`);
    }
    if (got !== pinHex) {
      throw new Error(`the cluster CA's public key hash sha256:${got} does not match the join token's sha256:${pinHex}; refusing to trust ${server}`);
    }
    return body.certificateAuthority;
  } finally {
    await insecure.close();
  }
}

/** joinCluster bootstraps a node and writes its kubeconfig; returns the kubeconfig's path. */
export async function joinCluster(o: JoinOptions): Promise<string> {
  const parsed = parseJoinString(o.token);
  if (!parseBootstrapToken(parsed.token)) throw new Error('--token must be a join string K10<hash>::<id>.<secret> or a bootstrap token <id>.<secret>');
  const pin = parsed.caHash ?? (o.caCertHash ? parseCaHash(o.caCertHash) : undefined);
  if (!pin) throw new Error('a bare bootstrap token needs --discovery-token-ca-cert-hash sha256:<hex> to trust the server');
  const ca = await fetchPinnedCa(o.server, pin);
  const client = new RestClient({ server: o.server, ca, token: parsed.token, userAgent: 'skiff-agent/bootstrap' });
  try {
    const creds = await fetchCredentials(client, o.nodeName);
    writeKubeconfig(o.kubeconfig, { server: o.server, caCert: ca, token: creds.token, userName: creds.user });
  } finally {
    client.close();
  }
  return o.kubeconfig;
}

/**
 * fetchCredentials trades the bootstrap token for the node's token. A token made a moment ago
 * may not have reached the API server's cache yet, so a 401 is retried for a few seconds.
 */
async function fetchCredentials(client: RestClient, nodeName: string): Promise<{ token: string; user: string }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await client.request<{ token: string; user: string }>('POST', NODE_CREDENTIALS_PATH, { nodeName });
    } catch (err) {
      if (!isStatusError(err, 'Unauthorized') || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** ensureNodeKubeconfig reuses the node's kubeconfig when it exists, else joins. */
export async function ensureNodeKubeconfig(o: Omit<JoinOptions, 'kubeconfig'> & { home: string }): Promise<{ path: string; joined: boolean }> {
  const path = nodeKubeconfigPath(o.home, o.nodeName);
  if (existsSync(path)) return { path, joined: false };
  return { path: await joinCluster({ ...o, kubeconfig: path }), joined: true };
}

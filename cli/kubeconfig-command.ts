// `skiff kubeconfig`: print (or --output FILE write) a kubeconfig. Without --user it is the
// caller's own (the admin's, from the kubeconfig in use); with --user NAME the API server mints a
// bearer token for NAME (POST /skiff/tokens, admins only), as `kubeadm kubeconfig user` makes a
// client certificate. The new user authenticates; what it may do comes from its groups
// (--group system:masters makes another admin); skiff has no RBAC, so other users may only
// discover the API. `skiff token revoke NAME` takes the access back.
import type { Command } from 'commander';
import type { RestClient } from '../client/rest.js';
import { TOKENS_PATH, type IssuedToken } from '../apiserver/bootstrap.js';
import type { AdminKubeconfig } from './kubeconfig-write.js';
import { parseTtl } from './token.js';
import { session } from './session-lazy.js';

/** kubeadm makes user certificates valid for a year. */
export const DEFAULT_USER_TTL_SECONDS = 365 * 24 * 3600;

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** mintUserToken asks the API server for a token for user (admins only). */
export async function mintUserToken(client: RestClient, user: string, o: { groups?: string[]; ttlSeconds?: number } = {}): Promise<IssuedToken> {
  return client.request<IssuedToken>('POST', TOKENS_PATH, { user, groups: o.groups ?? [], ttlSeconds: o.ttlSeconds ?? DEFAULT_USER_TTL_SECONDS });
}

interface KubeconfigFlags {
  user?: string;
  group?: string[];
  ttl: number;
  server?: string;
  clusterName: string;
  output?: string;
}

export function registerKubeconfigCommand(program: Command): void {
  program
    .command('kubeconfig')
    .description('print (or --output FILE write) a kubeconfig: your own, or with --user NAME one with a new token for that user')
    .option('--user <name>', 'mint a token for this user instead of copying your credentials')
    .option('--group <group>', 'a group of the new user (repeatable; system:masters makes an admin)', collect)
    .option('--ttl <duration>', 'how long the new token is valid (0: forever)', parseTtl, DEFAULT_USER_TTL_SECONDS)
    .option('--server <url>', "the API server URL to write (default: the current kubeconfig's)")
    .option('--cluster-name <name>', 'the name of the cluster and context in the kubeconfig', 'skiff')
    .option('--output <file>', 'write the kubeconfig to this file (mode 0600) instead of printing it')
    .action(async (o: KubeconfigFlags, cmd: Command) => {
      const s = await session(cmd);
      try {
        if (!s.config.ca) throw new Error('the kubeconfig has no certificate-authority-data to copy');
        let k: AdminKubeconfig;
        if (o.user) {
          const issued = await mintUserToken(s.client, o.user, { groups: o.group, ttlSeconds: o.ttl });
          k = { server: o.server ?? s.config.server, caCert: s.config.ca, token: issued.token, userName: issued.user, clusterName: o.clusterName };
        } else {
          if (!s.config.token) throw new Error('the kubeconfig in use has no bearer token to copy');
          k = { server: o.server ?? s.config.server, caCert: s.config.ca, token: s.config.token, clusterName: o.clusterName };
        }
        const { renderKubeconfig, writeKubeconfig } = await import('./kubeconfig-write.js');
        if (o.output) {
          writeKubeconfig(o.output, k);
          s.io.stderr.write(`kubeconfig${o.user ? ` for user "${o.user}"` : ''} written to ${o.output}\n`);
        } else {
          s.out(renderKubeconfig(k).trimEnd());
        }
      } finally {
        s.client.close();
      }
    });
}

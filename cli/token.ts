// `skiff token create|list|delete`: bootstrap tokens as kubeadm manages them, kept as Secrets
// kube-system/bootstrap-token-<id> through the API (so it works against any server an admin
// kubeconfig reaches). `create` prints the join string (`K10<CA hash>::<id>.<secret>`) that
// `skiff agent --token` takes.
import { InvalidArgumentError, type Command } from 'commander';
import { mustResource } from '../api/registry.js';
import type { KubeObject } from '../api/meta.js';
import type { RestClient } from '../client/rest.js';
import {
  BOOTSTRAP_NAMESPACE,
  DEFAULT_TOKEN_TTL_SECONDS,
  bootstrapSecret,
  bootstrapSecretName,
  bootstrapTokenInfo,
  caPublicKeyHash,
  joinString,
  newBootstrapToken,
  parseBootstrapToken,
  parseJoinString,
  TOKENS_PATH,
} from '../apiserver/bootstrap.js';
import { session } from './session-lazy.js';

const SECRETS = mustResource('secrets');

/** parseTtl reads `90s`, `30m`, `24h`, `1h30m` or `0` (never expires) into seconds. */
export function parseTtl(v: string): number {
  if (v === '0') return 0;
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v);
  if (!m || v === '') throw new InvalidArgumentError('must be a duration such as 24h, 30m or 0 (never expires)');
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** createJoinToken stores a new bootstrap token and returns its join string. */
export async function createJoinToken(
  client: RestClient,
  caCert: string,
  o: { ttlSeconds?: number; description?: string; token?: string; now?: Date } = {},
): Promise<string> {
  const token = o.token ?? newBootstrapToken();
  const secret = bootstrapSecret(token, { now: o.now ?? new Date(), ttlSeconds: o.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS, description: o.description });
  await client.create(SECRETS, BOOTSTRAP_NAMESPACE, secret);
  return joinString(caCert, token);
}

/** pruneExpiredTokens deletes expired bootstrap tokens (upstream's tokencleaner), returning their ids. */
export async function pruneExpiredTokens(client: RestClient, now: Date): Promise<string[]> {
  const list = await client.list(SECRETS, BOOTSTRAP_NAMESPACE);
  const gone: string[] = [];
  for (const s of list.items as KubeObject[]) {
    const info = bootstrapTokenInfo(s);
    if (!info?.expires || Date.parse(info.expires) > now.getTime()) continue;
    await client.delete(SECRETS, BOOTSTRAP_NAMESPACE, s.metadata.name!).catch(() => undefined);
    gone.push(info.id);
  }
  return gone;
}

/** tokenRows renders `skiff token list` like `kubeadm token list`. */
export function tokenRows(secrets: KubeObject[], now: Date): string[][] {
  const rows = [['TOKEN ID', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION']];
  for (const s of secrets) {
    const info = bootstrapTokenInfo(s);
    if (!info) continue;
    let ttl = '<forever>';
    if (info.expires) {
      const left = Math.round((Date.parse(info.expires) - now.getTime()) / 1000);
      ttl = left <= 0 ? '<invalid>' : left >= 3600 ? `${Math.floor(left / 3600)}h` : left >= 60 ? `${Math.floor(left / 60)}m` : `${left}s`;
    }
    rows.push([info.id, ttl, info.expires ?? '<never>', info.usages.join(',') || '<none>', info.description ?? '<none>']);
  }
  return rows;
}

/** StoredTokenInfo is one entry of GET /skiff/tokens (no token, no hash). */
export interface StoredTokenInfo {
  user: string;
  groups: string[];
  created: string;
  expires?: string;
}

/** userTokenRows renders `skiff token list --users`. */
export function userTokenRows(items: StoredTokenInfo[], now: Date): string[][] {
  const rows = [['USER', 'GROUPS', 'CREATED', 'EXPIRES']];
  for (const e of [...items].sort((a, b) => a.user.localeCompare(b.user) || a.created.localeCompare(b.created))) {
    const expired = e.expires !== undefined && Date.parse(e.expires) <= now.getTime();
    rows.push([e.user, e.groups.join(',') || '<none>', e.created.replace(/\.\d+Z$/, 'Z'), e.expires ? e.expires.replace(/\.\d+Z$/, 'Z') + (expired ? ' (expired)' : '') : '<never>']);
  }
  return rows;
}

function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join(''));
}

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('manage bootstrap tokens for joining nodes');
  token
    .command('create')
    .description('make a bootstrap token and print the join string for `skiff agent --token`')
    .option('--ttl <duration>', 'how long the token is valid (0: forever)', parseTtl, DEFAULT_TOKEN_TTL_SECONDS)
    .option('--description <text>', 'a note shown by `skiff token list`')
    .option('--token <id.secret>', 'use this token instead of a random one')
    .action(async (o: { ttl: number; description?: string; token?: string }, cmd: Command) => {
      if (o.token && !parseBootstrapToken(o.token)) throw new InvalidArgumentError('--token must have the form [a-z0-9]{6}.[a-z0-9]{16}');
      const s = await session(cmd);
      try {
        if (!s.config.ca) throw new Error('the kubeconfig has no certificate-authority-data to pin in the join string');
        s.out(await createJoinToken(s.client, s.config.ca, { ttlSeconds: o.ttl, description: o.description, token: o.token }));
      } finally {
        s.client.close();
      }
    });
  token
    .command('list')
    .description('list bootstrap tokens (--users: the users holding bearer tokens instead)')
    .option('--users', "list the server's bearer-token users (nodes, components, admins, users) instead")
    .action(async (o: { users?: boolean }, cmd: Command) => {
      const s = await session(cmd);
      try {
        if (o.users) {
          const list = await s.client.request<{ items: StoredTokenInfo[] }>('GET', TOKENS_PATH);
          for (const line of columns(userTokenRows(list.items, new Date()))) s.out(line.trimEnd());
          return;
        }
        const list = await s.client.list(SECRETS, BOOTSTRAP_NAMESPACE);
        const rows = tokenRows(list.items as KubeObject[], new Date());
        if (rows.length === 1) return s.out('No bootstrap tokens found.');
        for (const line of columns(rows)) s.out(line.trimEnd());
      } finally {
        s.client.close();
      }
    });
  token
    .command('delete')
    .description('delete bootstrap tokens, by id, `<id>.<secret>` or join string')
    .argument('<tokens...>')
    .action(async (tokens: string[], _o: unknown, cmd: Command) => {
      const s = await session(cmd);
      try {
        for (const t of tokens) {
          const id = parseBootstrapToken(parseJoinString(t).token)?.id ?? t;
          if (!/^[a-z0-9]{6}$/.test(id)) throw new InvalidArgumentError(`"${t}" is neither a token id nor a token`);
          await s.client.delete(SECRETS, BOOTSTRAP_NAMESPACE, bootstrapSecretName(id));
          s.out(`bootstrap token "${id}" deleted`);
        }
      } finally {
        s.client.close();
      }
    });
  token
    .command('revoke')
    .description('revoke every bearer token of a user: a node (system:node:NAME), a component or one from `skiff kubeconfig --user`')
    .argument('<user>')
    .action(async (user: string, _o: unknown, cmd: Command) => {
      const s = await session(cmd);
      try {
        const r = await s.client.request<{ message?: string }>('DELETE', `${TOKENS_PATH}/${encodeURIComponent(user)}`);
        s.out(r.message ?? `tokens of user "${user}" revoked`);
      } finally {
        s.client.close();
      }
    });
  token
    .command('ca-hash')
    .description("print the CA pin (sha256:<hex of the CA's public key>) for the kubeconfig's cluster")
    .action(async (_o: unknown, cmd: Command) => {
      const s = await session(cmd);
      s.client.close();
      if (!s.config.ca) throw new Error('the kubeconfig has no certificate-authority-data');
      s.out(`sha256:${caPublicKeyHash(s.config.ca)}`);
    });
}

// skiff api-resources (from discovery) and skiff version.

import type { Command } from 'commander';
import { alignColumns } from '../printers/columns.js';
import { toJson, toYaml } from '../printers/object.js';
import { runState } from '../io.js';
import { openSession, out } from './session.js';

interface APIResource {
  name: string;
  namespaced: boolean;
  kind: string;
  shortNames?: string[];
  verbs?: string[];
}

/** registerInfo adds `api-resources` and `version`. */
export function registerInfo(program: Command): void {
  program
    .command('api-resources')
    .description('Print the supported API resources on the server')
    .option('--namespaced <bool>', 'only namespaced (true) or cluster-scoped (false) resources')
    .option('-o, --output <format>', 'name or wide')
    .action(async (o: { namespaced?: string; output?: string }, cmd: Command) => {
      const s = openSession(cmd);
      const rows = await discover(s.client.request.bind(s.client));
      const keep = rows.filter((r) => o.namespaced === undefined || String(r.res.namespaced) === o.namespaced);
      if (o.output === 'name') {
        for (const r of keep) out(s, r.res.name + (r.group ? `.${r.group}` : ''));
        return;
      }
      const wide = o.output === 'wide';
      const table = [
        ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS'] : [])],
        ...keep.map((r) => [
          r.res.name,
          (r.res.shortNames ?? []).join(','),
          r.gv,
          String(r.res.namespaced),
          r.res.kind,
          ...(wide ? [`[${(r.res.verbs ?? []).join(' ')}]`] : []),
        ]),
      ];
      for (const line of alignColumns(table)) out(s, line);
    });
  program
    .command('version')
    .description('Print the client and server version information')
    .option('--client', 'client version only')
    .option('-o, --output <format>', 'yaml or json')
    .action(async (o: { client?: boolean; output?: string }, cmd: Command) => {
      const clientVersion = { gitVersion: 'v0.1.0', platform: `${process.platform}/${process.arch}` };
      const s = o.client ? undefined : openSession(cmd);
      const server = s ? await s.client.request<Record<string, string>>('GET', '/version') : undefined;
      const write = (text: string): void => void runState(cmd).io.stdout.write(text);
      if (o.output === 'json' || o.output === 'yaml') {
        const doc = { clientVersion, ...(server ? { serverVersion: server } : {}) };
        write(o.output === 'json' ? toJson(doc) : toYaml(doc));
        return;
      }
      write(`Client Version: ${clientVersion.gitVersion}\n`);
      if (server) write(`Server Version: ${server.gitVersion}\n`);
    });
}

type Get = <T>(method: string, path: string) => Promise<T>;

interface Row {
  gv: string;
  group: string;
  res: APIResource;
}

async function discover(get: Get): Promise<Row[]> {
  const core = await get<{ versions: string[] }>('GET', '/api');
  const groups = await get<{ groups: { name: string; preferredVersion: { groupVersion: string } }[] }>('GET', '/apis');
  const gvs = [...core.versions.map((v) => ({ gv: v, group: '', path: `/api/${v}` }))];
  for (const g of groups.groups) gvs.push({ gv: g.preferredVersion.groupVersion, group: g.name, path: `/apis/${g.preferredVersion.groupVersion}` });
  const rows: Row[] = [];
  for (const gv of gvs) {
    const list = await get<{ resources: APIResource[] }>('GET', gv.path);
    for (const res of list.resources) if (!res.name.includes('/')) rows.push({ gv: gv.gv, group: gv.group, res });
  }
  return rows.sort((a, b) => a.group.localeCompare(b.group) || a.res.name.localeCompare(b.res.name));
}

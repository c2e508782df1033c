// skiff describe: a readable summary of each object (common metadata, then what matters for its
// kind) followed by its events, listed with kubectl's involvedObject field selector.

import type { Command } from 'commander';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/registry.js';
import { alignColumns } from '../printers/columns.js';
import { ageSince } from '../printers/age.js';
import { fields } from '../printers/describe-text.js';
import { listObjects } from './requests.js';
import { parseResourceArgs, resolveType } from './resources.js';
import { openSession, out, type Session } from './session.js';
import { describeKind } from './describe-kinds.js';

interface DescribeOptions {
  selector?: string;
  showEvents?: boolean;
}

/** registerDescribe adds `describe`. */
export function registerDescribe(program: Command): void {
  program
    .command('describe')
    .description('Show details of a specific resource or group of resources')
    .argument('<resource...>', 'TYPE [NAME...] or TYPE/NAME')
    .option('-l, --selector <selector>', 'label selector')
    .option('-A, --all-namespaces', 'across all namespaces')
    .option('--show-events [bool]', 'show events', true)
    .action(async (args: string[], opts: DescribeOptions, cmd: Command) => runDescribe(openSession(cmd), args, opts));
}

async function runDescribe(s: Session, args: string[], opts: DescribeOptions): Promise<void> {
  let first = true;
  for (const r of parseResourceArgs(args)) {
    const ns = r.res.namespaced && !s.allNamespaces ? s.namespace : undefined;
    const objs = r.names.length
      ? await Promise.all(r.names.map((n) => s.client.get(r.res, ns, n)))
      : (await listObjects(s.client, r.res, ns, { labelSelector: opts.selector })).items;
    for (const obj of objs) {
      if (!first) out(s, '\n');
      first = false;
      s.io.stdout.write(await describeObject(s, r.res, obj, String(opts.showEvents) !== 'false'));
    }
  }
}

/** describeObject renders one object and, optionally, its events. */
export async function describeObject(s: Session, res: ResourceInfo, obj: KubeObject, events: boolean): Promise<string> {
  const now = new Date();
  const md = obj.metadata;
  const lines: [string, string][] = [['Name:', md.name ?? '']];
  if (res.namespaced) lines.push(['Namespace:', md.namespace ?? '']);
  lines.push(['Labels:', multiline(md.labels, '=')], ['Annotations:', multiline(md.annotations, ': ')]);
  lines.push(['CreationTimestamp:', md.creationTimestamp ? new Date(md.creationTimestamp).toUTCString().replace('GMT', '+0000') : '<unset>']);
  if (md.deletionTimestamp) lines.push(['DeletionTimestamp:', md.deletionTimestamp]);
  const extra = await describeKind(s, res, obj, now);
  let text = fields(lines) + extra;
  if (events) text += await eventsSection(s, obj, now);
  return text;
}

function multiline(m: Record<string, string> | undefined, sep: string): string {
  const entries = Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return '<none>';
  return entries.map(([k, v]) => `${k}${sep}${v.length > 200 ? `${v.slice(0, 200)}...` : v.trimEnd()}`).join('\n');
}


interface CoreEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string };
  reportingComponent?: string;
}

async function eventsSection(s: Session, obj: KubeObject, now: Date): Promise<string> {
  const md = obj.metadata;
  const sel = [`involvedObject.name=${md.name}`, `involvedObject.namespace=${md.namespace ?? ''}`, `involvedObject.kind=${obj.kind}`, `involvedObject.uid=${md.uid}`].join(',');
  const list = await listObjects(s.client, resolveType('events'), md.namespace, { fieldSelector: sel });
  const evs = (list.items as CoreEvent[]).sort((a, b) => (stamp(a) < stamp(b) ? -1 : 1));
  if (evs.length === 0) return 'Events:  <none>\n';
  const rows = [
    ['Type', 'Reason', 'Age', 'From', 'Message'],
    ['----', '------', '----', '----', '-------'],
    ...evs.map((e) => [e.type ?? '', e.reason ?? '', eventAge(e, now), e.source?.component || e.reportingComponent || '', (e.message ?? '').trim()]),
  ];
  return `Events:\n${alignColumns(rows, [], 2).map((l) => `  ${l}\n`).join('')}`;
}

function stamp(e: CoreEvent): string {
  return e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '';
}

function eventAge(e: CoreEvent, now: Date): string {
  const last = ageSince(stamp(e), now);
  if ((e.count ?? 1) > 1 && e.firstTimestamp) return `${last} (x${e.count} over ${ageSince(e.firstTimestamp, now)})`;
  return last;
}



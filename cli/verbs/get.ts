// skiff get: server-side Tables for human output, objects for -o yaml|json|name|jsonpath, and
// -w watches (one-row Tables per event), with kubectl's requests and wording.

import type { Command } from 'commander';
import { isStatusError } from '../../api/errors.js';
import type { KubeObject, WatchEvent } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/registry.js';
import { resourcePath, withQuery } from '../../client/paths.js';
import { statusErrorFromStatus } from '../../client/status.js';
import { alignColumns, columnWidths, padRow } from '../printers/columns.js';
import { formatObjects, nameOf, parseOutput, type OutputFormat } from '../printers/output.js';
import { tableRows, type TablePrintOptions } from '../printers/table.js';
import { toYaml } from '../printers/object.js';
import { CliError, formatError } from './errors.js';
import { getTable, listObjects, streamLines, TABLE_ACCEPT, type Table } from './requests.js';
import { kindPrefix, parseResourceArgs, type ResourceRequest } from './resources.js';
import { openSession, out, warn, type Session } from './session.js';

/** GetOptions are get's flags. */
export interface GetOptions {
  output?: string;
  selector?: string;
  fieldSelector?: string;
  showLabels?: boolean;
  watch?: boolean;
  watchOnly?: boolean;
  noHeaders?: boolean;
  ignoreNotFound?: boolean;
}

/** registerGet adds `get`. */
export function registerGet(program: Command): void {
  program
    .command('get')
    .description('Display one or many resources')
    .argument('<resource...>', 'TYPE[,TYPE] [NAME...] or TYPE/NAME...')
    .option('-o, --output <format>', 'wide|yaml|json|name|jsonpath=TEMPLATE')
    .option('-l, --selector <selector>', 'label selector (a=b,c!=d)')
    .option('--field-selector <selector>', 'field selector (metadata.name=x)')
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option('--show-labels', 'show labels as the last column')
    .option('-w, --watch', 'after listing, watch for changes')
    .option('--watch-only', 'watch for changes without listing first')
    .option('--no-headers', 'omit the header row')
    .option('--ignore-not-found', 'treat NotFound as success')
    .action(async (args: string[], opts: GetOptions, cmd: Command) => runGet(openSession(cmd), args, opts));
}

/** runGet implements get for a session. */
export async function runGet(s: Session, args: string[], opts: GetOptions): Promise<void> {
  const reqs = parseResourceArgs(args);
  const fmt = parseOutput(opts.output);
  if (opts.watch || opts.watchOnly) {
    if (reqs.length !== 1) throw new CliError('you may only specify a single resource type');
    return watchGet(s, reqs[0], fmt, opts);
  }
  if (fmt.kind === 'table') return printTables(s, reqs, fmt.wide, opts);
  const objs = await fetchObjects(s, reqs, opts);
  const single = reqs.length === 1 && reqs[0].names.length === 1;
  if (objs.length === 0 && fmt.kind === 'name') return single ? undefined : noResources(s, reqs);
  if (objs.length > 0 || !single) s.io.stdout.write(formatObjects(objs, fmt, single));
}

function namespaceFor(s: Session, res: ResourceInfo): string | undefined {
  return res.namespaced && !s.allNamespaces ? s.namespace : undefined;
}

function query(opts: GetOptions): Record<string, string | undefined> {
  return { labelSelector: opts.selector, fieldSelector: opts.fieldSelector };
}

async function printTables(s: Session, reqs: ResourceRequest[], wide: boolean, opts: GetOptions): Promise<void> {
  const multi = reqs.length > 1;
  let printed = 0;
  for (const r of reqs) {
    const tables = await tablesFor(s, r, opts);
    const rows = tables.flatMap((t) => t.rows);
    if (rows.length === 0) continue;
    const merged: Table = { ...tables[0], rows };
    const popts: TablePrintOptions = {
      wide,
      withNamespace: s.allNamespaces && r.res.namespaced,
      showLabels: opts.showLabels,
      kindPrefix: multi ? kindPrefix(r.res) : undefined,
      noHeaders: opts.noHeaders,
    };
    if (printed++ > 0) out(s, '');
    for (const line of alignColumns(tableRows(merged, popts))) out(s, line);
  }
  if (printed === 0 && s.state.exitCode === 0 && !reqs.some((r) => r.names.length)) noResources(s, reqs);
}

async function tablesFor(s: Session, r: ResourceRequest, opts: GetOptions): Promise<Table[]> {
  const ns = namespaceFor(s, r.res);
  if (r.names.length === 0) return [await getTable(s.client, r.res, ns, undefined, query(opts))];
  const tables: Table[] = [];
  for (const name of r.names) {
    const t = await tolerateNotFound(s, opts, () => getTable(s.client, r.res, ns, name, {}));
    if (t) tables.push(t);
  }
  return tables;
}

async function fetchObjects(s: Session, reqs: ResourceRequest[], opts: GetOptions): Promise<KubeObject[]> {
  const objs: KubeObject[] = [];
  for (const r of reqs) {
    const ns = namespaceFor(s, r.res);
    if (r.names.length === 0) {
      objs.push(...(await listObjects(s.client, r.res, ns, query(opts))).items);
      continue;
    }
    for (const name of r.names) {
      const o = await tolerateNotFound(s, opts, () => s.client.get(r.res, ns, name));
      if (o) objs.push(o);
    }
  }
  return objs;
}

async function tolerateNotFound<T>(s: Session, opts: GetOptions, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (!isStatusError(err, 'NotFound')) throw err;
    if (!opts.ignoreNotFound) {
      warn(s, formatError(err));
      s.state.exitCode = 1;
    }
    return undefined;
  }
}

function noResources(s: Session, reqs: ResourceRequest[]): void {
  const namespaced = reqs.some((r) => r.res.namespaced);
  warn(s, namespaced && !s.allNamespaces ? `No resources found in ${s.namespace} namespace.` : 'No resources found');
}

async function watchGet(s: Session, r: ResourceRequest, fmt: OutputFormat, opts: GetOptions): Promise<void> {
  if (r.names.length > 1) throw new CliError('watch is only supported on individual resources and resource collections');
  const ns = namespaceFor(s, r.res);
  const name = r.names[0];
  const fieldSelector = name ? `metadata.name=${name}` : opts.fieldSelector;
  const popts: TablePrintOptions = { wide: fmt.kind === 'table' && fmt.wide, withNamespace: s.allNamespaces, showLabels: opts.showLabels };
  const initial = await getTable(s.client, r.res, ns, undefined, { labelSelector: opts.selector, fieldSelector });
  let widths: number[] = [];
  let columns = initial.columnDefinitions;
  if (!opts.watchOnly && fmt.kind === 'table') {
    const rows = tableRows(initial, { ...popts, noHeaders: opts.noHeaders });
    widths = columnWidths(rows);
    for (const line of rows) out(s, padRow(line, widths));
  } else if (!opts.watchOnly) {
    const list = await listObjects(s.client, r.res, ns, { labelSelector: opts.selector, fieldSelector });
    for (const o of list.items) s.io.stdout.write(formatWatched(o, fmt));
  }
  const accept = fmt.kind === 'table' ? TABLE_ACCEPT : 'application/json';
  const path = withQuery(resourcePath(r.res, ns), {
    labelSelector: opts.selector,
    fieldSelector,
    resourceVersion: initial.metadata.resourceVersion,
    watch: 'true',
  });
  for await (const line of streamLines(s.config, path, accept, s.io.signal)) {
    if (!line.trim()) continue;
    const ev = JSON.parse(line) as WatchEvent<Table & KubeObject>;
    if (ev.type === 'ERROR') throw statusErrorFromStatus(ev.object as unknown as Record<string, unknown>);
    if (ev.type === 'BOOKMARK') continue;
    if (fmt.kind !== 'table') {
      s.io.stdout.write(formatWatched(ev.object, fmt));
      continue;
    }
    columns = ev.object.columnDefinitions ?? columns;
    const rows = tableRows({ ...ev.object, columnDefinitions: columns }, { ...popts, noHeaders: true });
    if (widths.length === 0 && !opts.noHeaders) {
      const header = tableRows({ ...ev.object, columnDefinitions: columns, rows: [] }, popts);
      widths = columnWidths([...header, ...rows]);
      out(s, padRow(header[0], widths));
    }
    for (const row of rows) out(s, padRow(row, widths));
  }
}

function formatWatched(o: KubeObject, fmt: OutputFormat): string {
  if (fmt.kind === 'name') return `${nameOf(o)}\n`;
  if (fmt.kind === 'yaml') return `---\n${toYaml(o)}`;
  return formatObjects([o], fmt, true);
}

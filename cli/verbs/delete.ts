// skiff delete: by file, by name, by label selector or --all; DELETE with a propagationPolicy body
// (--cascade), then wait for each object to be gone unless --wait=false.

import type { Command } from 'commander';
import { isStatusError } from '../../api/errors.js';
import type { ResourceInfo } from '../../api/registry.js';
import type { DeleteOptions } from '../../client/rest.js';
import { CliError, formatError } from './errors.js';
import { listObjects } from './requests.js';
import { parseResourceArgs } from './resources.js';
import { openSession, out, warn, type Session } from './session.js';
import { loadTargets, type FileOptions } from './targets.js';
import { waitGone } from './wait-gone.js';

interface DeleteFlags extends FileOptions {
  selector?: string;
  fieldSelector?: string;
  all?: boolean;
  allNamespaces?: boolean;
  cascade?: string;
  wait?: string | boolean;
  ignoreNotFound?: boolean;
  gracePeriod?: string;
  now?: boolean;
}

interface Victim {
  res: ResourceInfo;
  ns: string | undefined;
  name: string;
}

/** registerDelete adds `delete`. */
export function registerDelete(program: Command): void {
  program
    .command('delete')
    .description('Delete resources by file names, stdin, resources and names, or by resources and label selector')
    .argument('[resource...]', 'TYPE [NAME...] or TYPE/NAME...')
    .option('-f, --filename <path...>', 'files, directories or - for stdin')
    .option('-R, --recursive', 'process directories recursively')
    .option('-l, --selector <selector>', 'label selector')
    .option('--field-selector <selector>', 'field selector')
    .option('--all', 'delete all resources of the type in the namespace')
    .option('-A, --all-namespaces', 'with -l or --all, across all namespaces')
    .option('--cascade [mode]', 'background|foreground|orphan', 'background')
    .option('--wait [bool]', 'wait for the objects to be gone', 'true')
    .option('--ignore-not-found', 'treat NotFound as success')
    .option('--grace-period <seconds>', 'seconds given to the object to terminate gracefully')
    .option('--now', 'signal the object to stop immediately (grace period 1)')
    .action(async (args: string[], opts: DeleteFlags, cmd: Command) => runDelete(openSession(cmd), args, opts));
}

/** cascadePolicy maps --cascade to a propagationPolicy. */
export function cascadePolicy(v: string | boolean | undefined): DeleteOptions['propagationPolicy'] {
  const m: Record<string, DeleteOptions['propagationPolicy']> = {
    true: 'Background',
    background: 'Background',
    foreground: 'Foreground',
    orphan: 'Orphan',
    false: 'Orphan',
  };
  const p = m[String(v ?? 'background')];
  if (!p) throw new CliError(`invalid cascade value (${String(v)}). Must be "background", "foreground", or "orphan".`);
  return p;
}

async function runDelete(s: Session, args: string[], opts: DeleteFlags): Promise<void> {
  const body: DeleteOptions = { propagationPolicy: cascadePolicy(opts.cascade) };
  if (opts.now) body.gracePeriodSeconds = 1;
  if (opts.gracePeriod !== undefined) body.gracePeriodSeconds = Number(opts.gracePeriod);
  const victims = await collectVictims(s, args, opts);
  const deleted: Victim[] = [];
  for (const v of victims) {
    try {
      await s.client.request('DELETE', deletePath(v), body);
      out(s, `${kindRef(v.res)} "${v.name}" deleted`);
      deleted.push(v);
    } catch (err) {
      if (isStatusError(err, 'NotFound') && opts.ignoreNotFound) continue;
      warn(s, formatError(err));
      s.state.exitCode = 1;
    }
  }
  if (String(opts.wait) !== 'false') {
    for (const v of deleted) await waitGone(s.client, v.res, v.ns, v.name, s.io.signal);
  }
}

function kindRef(res: ResourceInfo): string {
  return res.group ? `${res.kind.toLowerCase()}.${res.group}` : res.kind.toLowerCase();
}

function deletePath(v: Victim): string {
  const root = v.res.group ? `/apis/${v.res.group}/${v.res.version}` : `/api/${v.res.version}`;
  const scope = v.res.namespaced && v.ns ? `/namespaces/${encodeURIComponent(v.ns)}` : '';
  return `${root}${scope}/${v.res.plural}/${encodeURIComponent(v.name)}`;
}

async function collectVictims(s: Session, args: string[], opts: DeleteFlags): Promise<Victim[]> {
  if (opts.filename?.length) {
    if (args.length) throw new CliError('when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
    return (await loadTargets(s, opts)).map((t) => ({ res: t.res, ns: t.ns, name: t.name }));
  }
  if (args.length === 0) throw new CliError('You must provide one or more resources by argument or filename.');
  const victims: Victim[] = [];
  for (const r of parseResourceArgs(args)) {
    const ns = r.res.namespaced ? s.namespace : undefined;
    if (r.names.length) {
      if (opts.all || opts.selector) throw new CliError('name cannot be provided when a selector is specified');
      victims.push(...r.names.map((name) => ({ res: r.res, ns, name })));
      continue;
    }
    if (!opts.all && !opts.selector && !opts.fieldSelector) {
      throw new CliError('resource(s) were provided, but no name was specified');
    }
    const listNs = opts.allNamespaces ? undefined : ns;
    const list = await listObjects(s.client, r.res, listNs, { labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
    victims.push(...list.items.map((o) => ({ res: r.res, ns: o.metadata.namespace, name: o.metadata.name ?? '' })));
  }
  if (victims.length === 0) warn(s, 'No resources found');
  return victims;
}


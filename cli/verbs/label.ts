// skiff label and skiff annotate: merge patches on metadata.labels / metadata.annotations, with
// kubectl's `key=value`, `key-` and --overwrite rules.

import type { Command } from 'commander';
import { CliError } from './errors.js';
import { patchObject } from './requests.js';
import { objectRef, parseResourceArgs } from './resources.js';
import { openSession, out, type Session } from './session.js';

type Field = 'labels' | 'annotations';

interface LabelOptions {
  overwrite?: boolean;
}

/** registerLabel adds `label` and `annotate`. */
export function registerLabel(program: Command): void {
  for (const [verb, field] of [
    ['label', 'labels'],
    ['annotate', 'annotations'],
  ] as const) {
    program
      .command(verb)
      .description(`Update the ${field} on a resource`)
      .argument('<args...>', 'TYPE NAME KEY=VAL ... KEY- ...')
      .option('--overwrite', 'allow replacing existing values')
      .action(async (args: string[], opts: LabelOptions, cmd: Command) => runLabel(openSession(cmd), args, field, opts));
  }
}

/** parseChanges splits `k=v` and `k-` arguments into a merge-patch map (null removes). */
export function parseChanges(args: string[]): Record<string, string | null> {
  const changes: Record<string, string | null> = {};
  for (const a of args) {
    if (a.endsWith('-') && !a.includes('=')) changes[a.slice(0, -1)] = null;
    else if (a.includes('=')) changes[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    else throw new CliError(`invalid label spec: ${a}`);
  }
  return changes;
}

async function runLabel(s: Session, args: string[], field: Field, opts: LabelOptions): Promise<void> {
  const first = args.findIndex((a) => a.includes('=') || (a.endsWith('-') && !a.includes('/')));
  if (first <= 0) throw new CliError(`at least one ${field === 'labels' ? 'label' : 'annotation'} update is required`);
  const changes = parseChanges(args.slice(first));
  for (const r of parseResourceArgs(args.slice(0, first))) {
    const ns = r.res.namespaced ? s.namespace : undefined;
    for (const name of r.names) {
      const obj = await s.client.get(r.res, ns, name);
      const existing = obj.metadata[field] ?? {};
      for (const [k, v] of Object.entries(changes)) {
        if (v !== null && !opts.overwrite && k in existing && existing[k] !== v) {
          throw new CliError(`'${k}' already has a value (${existing[k]}), and --overwrite is false`);
        }
      }
      const manager = field === 'labels' ? 'kubectl-label' : 'kubectl-annotate';
      await patchObject(s.client, r.res, ns, name, 'merge', { metadata: { [field]: changes } }, { fieldManager: manager });
      out(s, `${objectRef(r.res, name)} ${field === 'labels' ? 'labeled' : 'annotated'}`);
    }
  }
}

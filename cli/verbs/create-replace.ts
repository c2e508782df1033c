// skiff create -f and skiff replace -f: POST (fieldManager=kubectl-create) and PUT without a
// resourceVersion (fieldManager=kubectl-replace), like kubectl.

import type { Command } from 'commander';
import { formatError } from './errors.js';
import { createObject, replaceObject, type Query } from './requests.js';
import { objectRef } from './resources.js';
import { openSession, out, warn, type Session } from './session.js';
import { dryRunFlag, dryRunSuffix, loadTargets, type FileOptions, type Target } from './targets.js';

interface WriteOptions extends FileOptions {
  dryRun?: string | boolean;
}

/** registerCreateFromFile adds `create -f` (generators are subcommands added elsewhere). */
export function registerCreate(program: Command): Command {
  return program
    .command('create')
    .description('Create a resource from a file or from stdin')
    .option('-f, --filename <path...>', 'files, directories or - for stdin')
    .option('-R, --recursive', 'process directories recursively')
    .option('--dry-run [mode]', 'none|client|server')
    .action(async (opts: WriteOptions, cmd: Command) =>
      runWrites(openSession(cmd), opts, 'created', 'creating', (s, t, q) => createObject(s.client, t.res, t.ns, t.obj, q)),
    );
}

/** registerReplace adds `replace -f`. */
export function registerReplace(program: Command): void {
  program
    .command('replace')
    .description('Replace a resource by file name or stdin')
    .option('-f, --filename <path...>', 'files, directories or - for stdin')
    .option('-R, --recursive', 'process directories recursively')
    .option('--dry-run [mode]', 'none|client|server')
    .action(async (opts: WriteOptions, cmd: Command) =>
      runWrites(openSession(cmd), opts, 'replaced', 'replacing', (s, t, q) => {
        const { resourceVersion: _rv, ...metadata } = t.obj.metadata;
        return replaceObject(s.client, t.res, t.ns, t.name, { ...t.obj, metadata }, q);
      }),
    );
}

type Write = (s: Session, t: Target, q: Query) => Promise<unknown>;

async function runWrites(s: Session, opts: WriteOptions, done: string, doing: string, write: Write): Promise<void> {
  const mode = dryRunFlag(opts.dryRun);
  const manager = done === 'created' ? 'kubectl-create' : 'kubectl-replace';
  const q: Query = { fieldManager: manager, fieldValidation: 'Strict', dryRun: mode === 'server' ? 'All' : undefined };
  for (const t of await loadTargets(s, opts)) {
    try {
      if (mode !== 'client') await write(s, t, q);
      out(s, `${objectRef(t.res, t.name)} ${done}${dryRunSuffix(mode)}`);
    } catch (err) {
      warn(s, formatError(err, `error when ${doing} "${t.source}": `));
      s.state.exitCode = 1;
    }
  }
}

// skiff config get-contexts | current-context | use-context: read and edit the kubeconfig file,
// keeping its other content and formatting.

import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import { alignColumns } from '../printers/columns.js';
import { runState } from '../io.js';
import { CliError } from './errors.js';
import { kubeconfigPath } from './session.js';

interface ContextEntry {
  name: string;
  context?: { cluster?: string; user?: string; namespace?: string };
}

/** registerConfig adds `config` and its subcommands. */
export function registerConfig(program: Command): void {
  const config = program.command('config').description('Modify kubeconfig files');
  config
    .command('get-contexts')
    .description('Describe one or many contexts')
    .argument('[name]')
    .action((name: string | undefined, _o: unknown, cmd: Command) => {
      const { doc } = load(cmd);
      const current = String(doc.get('current-context') ?? '');
      const contexts = ((doc.toJS() as { contexts?: ContextEntry[] }).contexts ?? []).filter((c) => !name || c.name === name);
      if (name && contexts.length === 0) throw new CliError(`context ${name} not found`);
      const rows = [
        ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'],
        ...contexts.map((c) => [c.name === current ? '*' : '', c.name, c.context?.cluster ?? '', c.context?.user ?? '', c.context?.namespace ?? '']),
      ];
      for (const line of alignColumns(rows)) runState(cmd).io.stdout.write(`${line}\n`);
    });
  config
    .command('current-context')
    .description('Display the current-context')
    .action((_o: unknown, cmd: Command) => {
      const current = load(cmd).doc.get('current-context');
      if (!current) throw new CliError('current-context is not set');
      runState(cmd).io.stdout.write(`${String(current)}\n`);
    });
  config
    .command('use-context')
    .description('Set the current-context in a kubeconfig file')
    .argument('<name>')
    .action((name: string, _o: unknown, cmd: Command) => {
      const { doc, path } = load(cmd);
      const contexts = (doc.toJS() as { contexts?: ContextEntry[] }).contexts ?? [];
      if (!contexts.some((c) => c.name === name)) throw new CliError(`no context exists with the name: "${name}"`);
      doc.set('current-context', name);
      writeFileSync(path, doc.toString(), { mode: 0o600 });
      runState(cmd).io.stdout.write(`Switched to context "${name}".\n`);
    });
}

function load(cmd: Command): { doc: ReturnType<typeof parseDocument>; path: string } {
  const path = kubeconfigPath(cmd);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`stat ${path}: no such file or directory`);
  }
  return { doc: parseDocument(text), path };
}

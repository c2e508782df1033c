// skiff create configmap|secret generic NAME --from-literal=k=v --from-file=[key=]path, built
// client-side and POSTed as JSON (fieldManager=kubectl-create); --dry-run=client -o yaml prints it.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/registry.js';
import { formatObjects, parseOutput } from '../printers/output.js';
import { CliError, formatError } from './errors.js';
import { createObject } from './requests.js';
import { objectRef, resolveType } from './resources.js';
import { openSession, out, warn, type Session } from './session.js';
import { dryRunFlag, dryRunSuffix } from './targets.js';

interface GenericOptions {
  fromLiteral?: string[];
  fromFile?: string[];
  type?: string;
  dryRun?: string | boolean;
  output?: string;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** registerCreateGenerators adds `create configmap|namespace` and `create secret generic` under create. */
export function registerCreateGenerators(create: Command): void {
  const add = (c: Command): Command =>
    c
      .argument('<name>')
      .option('--from-literal <key=value>', 'a key and literal value (repeatable)', collect)
      .option('--from-file <[key=]path>', 'a file or directory (repeatable)', collect)
      .option('--dry-run [mode]', 'none|client|server')
      .option('-o, --output <format>', 'yaml|json|name');
  add(
    create.command('configmap').alias('cm').description('Create a config map from files or literal values'),
  ).action(async (name: string, _o: GenericOptions, cmd: Command) =>
    runGenerator(openSession(cmd), 'configmaps', name, cmd.optsWithGlobals<GenericOptions>()),
  );
  create
    .command('namespace')
    .alias('ns')
    .description('Create a namespace with the specified name')
    .argument('<name>')
    .option('--dry-run [mode]', 'none|client|server')
    .option('-o, --output <format>', 'yaml|json|name')
    .action(async (name: string, _o: GenericOptions, cmd: Command) => {
      const obj: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
      await createOne(
        openSession(cmd),
        resolveType('namespaces'),
        obj,
        cmd.optsWithGlobals<GenericOptions>(),
      );
    });
  const secret = create.command('secret').description('Create a secret');
  add(secret.command('generic').description('Create a secret from files or literal values'))
    .option('--type <type>', 'the secret type', 'Opaque')
    .action(async (name: string, _o: GenericOptions, cmd: Command) =>
      runGenerator(openSession(cmd), 'secrets', name, cmd.optsWithGlobals<GenericOptions>()),
    );
}

/** collectData reads --from-literal and --from-file into key/value pairs. */
export function collectData(
  literals: string[],
  files: string[],
  read: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): Record<string, string> {
  const data: Record<string, string> = {};
  const put = (k: string, v: string): void => {
    if (k in data)
      throw new CliError(
        `cannot add key ${k}, another key by that name already exists in data: ${JSON.stringify(data)}`,
      );
    data[k] = v;
  };
  for (const l of literals) {
    const i = l.indexOf('=');
    if (i <= 0) throw new CliError(`invalid literal source ${l}, expected key=value`);
    put(l.slice(0, i), l.slice(i + 1));
  }
  for (const f of files) {
    const i = f.indexOf('=');
    const [key, path] = i > 0 ? [f.slice(0, i), f.slice(i + 1)] : [undefined, f];
    if (!key && isDir(path)) {
      for (const e of readdirSync(path).sort()) if (!isDir(join(path, e))) put(e, read(join(path, e)));
    } else put(key ?? basename(path), read(path));
  }
  return data;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    throw new CliError(`error reading ${p}: no such file or directory`);
  }
}

async function runGenerator(
  s: Session,
  plural: 'configmaps' | 'secrets',
  name: string,
  o: GenericOptions,
): Promise<void> {
  const res = resolveType(plural);
  const data = collectData(o.fromLiteral ?? [], o.fromFile ?? []);
  const base = { apiVersion: 'v1', metadata: { name, namespace: s.namespace } };
  const obj: KubeObject =
    plural === 'configmaps'
      ? { ...base, kind: 'ConfigMap', data }
      : {
          ...base,
          kind: 'Secret',
          type: o.type ?? 'Opaque',
          data: Object.fromEntries(
            Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
          ),
        };
  await createOne(s, res, obj, o);
}

async function createOne(s: Session, res: ResourceInfo, obj: KubeObject, o: GenericOptions): Promise<void> {
  const mode = dryRunFlag(o.dryRun);
  const ns = res.namespaced ? s.namespace : undefined;
  let result = obj;
  try {
    if (mode !== 'client')
      result = await createObject(s.client, res, ns, obj, {
        fieldManager: 'kubectl-create',
        fieldValidation: 'Strict',
        dryRun: mode === 'server' ? 'All' : undefined,
      });
  } catch (err) {
    warn(s, formatError(err));
    s.state.exitCode = 1;
    return;
  }
  if (o.output) s.io.stdout.write(formatObjects([result], parseOutput(o.output), true));
  else out(s, `${objectRef(res, obj.metadata.name ?? '')} created${dryRunSuffix(mode)}`);
}

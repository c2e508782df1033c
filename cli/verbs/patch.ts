// skiff patch: a strategic, merge or JSON patch given inline (-p) or from a file (--patch-file),
// reported as kubectl does (`patched`, or `patched (no change)` when nothing moved).

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../api/meta.js';
import { resourcePath } from '../../client/paths.js';
import { CliError } from './errors.js';
import { PATCH_TYPES, patchObject, type PatchKind } from './requests.js';
import { objectRef, parseResourceArgs } from './resources.js';
import { openSession, out, type Session } from './session.js';
import { dryRunFlag, dryRunSuffix } from './targets.js';

interface PatchOptions {
  patch?: string;
  patchFile?: string;
  type: string;
  subresource?: string;
  dryRun?: string | boolean;
  fieldManager: string;
}

/** registerPatch adds `patch`. */
export function registerPatch(program: Command): void {
  program
    .command('patch')
    .description('Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch')
    .argument('<resource...>', 'TYPE NAME or TYPE/NAME')
    .option('-p, --patch <patch>', 'the patch, in JSON or YAML')
    .option('--patch-file <file>', 'a file holding the patch')
    .option('--type <type>', 'strategic, merge or json', 'strategic')
    .option('--subresource <name>', 'patch this subresource (status, scale)')
    .option('--dry-run [mode]', 'none, client or server')
    .option('--field-manager <name>', 'the name of the manager making the change', 'kubectl-patch')
    .action(async (args: string[], opts: PatchOptions, cmd: Command) => runPatch(openSession(cmd), args, opts));
}

/** parsePatch reads a patch in JSON or YAML (kubectl accepts both); a JSON patch must be a list. */
export function parsePatch(text: string, type: PatchKind): unknown {
  let body: unknown;
  try {
    body = parseYaml(text);
  } catch (err) {
    throw new CliError(`unable to parse "${text}": ${(err as Error).message}`);
  }
  if (type === 'json' && !Array.isArray(body)) throw new CliError('unable to parse the patch: a JSON patch must be a list of operations');
  if (type !== 'json' && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    throw new CliError(`unable to parse the patch: a ${type} patch must be an object`);
  }
  return body;
}

async function runPatch(s: Session, args: string[], opts: PatchOptions): Promise<void> {
  if (!(opts.type in PATCH_TYPES)) throw new CliError(`--type must be one of [json merge strategic], not "${opts.type}"`);
  const type = opts.type as PatchKind;
  if (opts.patch === undefined && opts.patchFile === undefined) throw new CliError('must specify --patch or --patch-file containing the contents of the patch');
  const text = opts.patchFile !== undefined ? await readFile(opts.patchFile, 'utf8') : (opts.patch as string);
  const body = parsePatch(text, type);
  const dryRun = dryRunFlag(opts.dryRun);
  for (const r of parseResourceArgs(args)) {
    const ns = r.res.namespaced ? s.namespace : undefined;
    for (const name of r.names) {
      const before = await s.client.request<KubeObject>('GET', resourcePath(r.res, ns, name, opts.subresource));
      if (dryRun === 'client') {
        out(s, `${objectRef(r.res, name)} patched${dryRunSuffix(dryRun)}`);
        continue;
      }
      const q = { fieldManager: opts.fieldManager, dryRun: dryRun === 'server' ? 'All' : undefined };
      const after = await patchObject(s.client, r.res, ns, name, type, body, q, opts.subresource);
      const unchanged = dryRun === 'none' && after.metadata.resourceVersion === before.metadata.resourceVersion;
      out(s, `${objectRef(r.res, name)} patched${unchanged ? ' (no change)' : ''}${dryRunSuffix(dryRun)}`);
    }
  }
}

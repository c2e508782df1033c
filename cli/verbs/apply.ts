// skiff apply -f: client-side apply as kubectl does it. Missing objects are created with the
// last-applied annotation; existing ones get a three-way strategic merge patch (three-way.ts);
// an empty patch is `unchanged` and sends nothing.

import type { Command } from 'commander';
import { isStatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import { sortKeys } from '../printers/object.js';
import { formatError } from './errors.js';
import { createObject, patchObject, type Query } from './requests.js';
import { objectRef } from './resources.js';
import { openSession, out, warn, type Session } from './session.js';
import { dryRunFlag, dryRunSuffix, loadTargets, type FileOptions, type Target } from './targets.js';
import { LAST_APPLIED, threeWayPatch } from './three-way.js';

const FIELD_MANAGER = 'kubectl-client-side-apply';

interface ApplyOptions extends FileOptions {
  dryRun?: string | boolean;
}

/** registerApply adds `apply`. */
export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('Apply a configuration to a resource by file name or stdin')
    .option('-f, --filename <path...>', 'files, directories or - for stdin')
    .option('-R, --recursive', 'process directories recursively')
    .option('--dry-run [mode]', 'none|client|server')
    .action(async (opts: ApplyOptions, cmd: Command) => runApply(openSession(cmd), opts));
}

/** runApply applies every object, reporting each; failures set exit code 1 and continue. */
export async function runApply(s: Session, opts: ApplyOptions): Promise<void> {
  const mode = dryRunFlag(opts.dryRun);
  for (const t of await loadTargets(s, opts)) {
    try {
      const verb = await applyOne(s, t, mode);
      out(s, `${objectRef(t.res, t.name)} ${verb}${dryRunSuffix(mode)}`);
    } catch (err) {
      warn(s, formatError(err, `error when ${isStatusError(err) ? 'applying' : 'processing'} "${t.source}": `));
      s.state.exitCode = 1;
    }
  }
}

async function applyOne(s: Session, t: Target, mode: 'none' | 'client' | 'server'): Promise<string> {
  const modified = withLastApplied(t.obj);
  const q: Query = { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', dryRun: mode === 'server' ? 'All' : undefined };
  let current: KubeObject;
  try {
    current = await s.client.get(t.res, t.ns, t.name);
  } catch (err) {
    if (!isStatusError(err, 'NotFound')) throw err;
    if (mode !== 'client') await createObject(s.client, t.res, t.ns, modified, q);
    return 'created';
  }
  const lastText = current.metadata.annotations?.[LAST_APPLIED];
  if (!lastText) {
    warn(
      s,
      `Warning: resource ${t.res.plural}/${t.name} is missing the ${LAST_APPLIED} annotation which is required by skiff apply. skiff apply should only be used on resources created declaratively by either skiff create --save-config or skiff apply. The missing annotation will be patched automatically.`,
    );
  }
  const original = lastText ? (JSON.parse(lastText) as Record<string, unknown>) : undefined;
  const patch = threeWayPatch(original, modified as Record<string, unknown>, current as Record<string, unknown>, t.res.kind);
  if (Object.keys(patch).length === 0) return 'unchanged';
  if (mode !== 'client') await patchObject(s.client, t.res, t.ns, t.name, 'strategic', patch, q);
  return 'configured';
}

/**
 * lastAppliedJSON is the annotation's value: the manifest with keys sorted (kubectl passes it
 * through a Go map), annotations present (maybe `{}`) minus itself, compact, newline-terminated.
 */
export function lastAppliedJSON(obj: KubeObject): string {
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  return `${JSON.stringify(sortKeys({ ...obj, metadata: { ...obj.metadata, annotations } }))}\n`;
}

/** withLastApplied is the manifest carrying its own last-applied annotation. */
export function withLastApplied(obj: KubeObject): KubeObject {
  const annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: lastAppliedJSON(obj) };
  return { ...obj, metadata: { ...obj.metadata, annotations } };
}

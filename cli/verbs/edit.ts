// skiff edit: opens the live object as YAML in $KUBE_EDITOR / $EDITOR (vi by default), then sends
// the difference as a two-way strategic merge patch guarded by the resourceVersion the user saw, so
// an object changed meanwhile gives Conflict instead of silently undoing someone else's write.

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../api/meta.js';
import { toYaml } from '../printers/object.js';
import { CliError, formatError } from './errors.js';
import { patchObject } from './requests.js';
import { apiVersionOf, objectRef, parseResourceArgs } from './resources.js';
import { openSession, out, warn, type Session } from './session.js';
import { threeWayPatch } from './three-way.js';

type Obj = Record<string, unknown>;

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

/** registerEdit adds `edit`. */
export function registerEdit(program: Command): void {
  program
    .command('edit')
    .description('Edit a resource on the server in your editor ($KUBE_EDITOR, $EDITOR, else vi)')
    .argument('<resource...>', 'TYPE NAME or TYPE/NAME')
    .action(async (args: string[], _opts: unknown, cmd: Command) => runEdit(openSession(cmd), args));
}

/** editedObject reads what the user saved: comments dropped; undefined when empty (cancelled). */
export function editedObject(text: string): Obj | undefined {
  const body = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');
  if (body.trim() === '') return undefined;
  let obj: unknown;
  try {
    obj = parseYaml(body);
  } catch (err) {
    throw new CliError(`the edited file is not valid YAML: ${(err as Error).message}`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new CliError('the edited file must hold one object');
  return obj as Obj;
}

/** editPatch is the strategic merge patch from the live object to the edited one; undefined if unchanged. */
export function editPatch(live: Obj, edited: Obj, kind: string): Obj | undefined {
  const patch = threeWayPatch(live, edited, live, kind);
  if (Object.keys(patch).length === 0) return undefined;
  const meta = (live.metadata ?? {}) as Obj;
  const pmeta = (patch.metadata ?? {}) as Obj;
  return { ...patch, metadata: { ...pmeta, resourceVersion: meta.resourceVersion } };
}

async function runEdit(s: Session, args: string[]): Promise<void> {
  const env = s.io.env ?? process.env;
  const editor = env.KUBE_EDITOR || env.EDITOR || 'vi';
  const dir = await mkdtemp(join(tmpdir(), 'skiff-edit-'));
  try {
    for (const r of parseResourceArgs(args)) {
      const ns = r.res.namespaced ? s.namespace : undefined;
      for (const name of r.names) {
        const live = { apiVersion: apiVersionOf(r.res), kind: r.res.kind, ...(await s.client.get<KubeObject>(r.res, ns, name)) } as Obj;
        const file = join(dir, `${name}.yaml`);
        await writeFile(file, HEADER + toYaml(live));
        await runEditor(editor, file);
        const edited = editedObject(await readFile(file, 'utf8'));
        const patch = edited && editPatch(live, edited, r.res.kind);
        if (!patch) {
          out(s, 'Edit cancelled, no changes made.');
          continue;
        }
        try {
          await patchObject(s.client, r.res, ns, name, 'strategic', patch, { fieldManager: 'kubectl-edit' });
        } catch (err) {
          const kept = join(tmpdir(), `skiff-edit-${process.pid}-${name}.yaml`);
          await writeFile(kept, await readFile(file, 'utf8'));
          warn(s, `error: ${objectRef(r.res, name)} could not be saved: ${formatError(err)}`);
          warn(s, `A copy of your changes has been stored to "${kept}"`);
          s.state.exitCode = 1;
          continue;
        }
        out(s, `${objectRef(r.res, name)} edited`);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// The editor string may carry arguments (`code -w`), so it goes through the shell with the file as $1.
function runEditor(editor: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new CliError(`the editor "${editor}" exited with status ${code ?? 'signal'}, no changes made`))));
  });
}

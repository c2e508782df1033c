// skiff set image: a strategic merge patch naming only the changed containers, with
// `$setElementOrder/containers` so the others stay in place (fieldManager=kubectl-set).

import type { Command } from 'commander';
import type { KubeObject } from '../../api/meta.js';
import { CliError } from './errors.js';
import { patchObject } from './requests.js';
import { objectRef, parseResourceArgs } from './resources.js';
import { openSession, out, type Session } from './session.js';

interface Container {
  name: string;
  image?: string;
}

/** registerSetImage adds `set image`. */
export function registerSet(program: Command): void {
  const set = program.command('set').description('Set specific features on objects');
  set
    .command('image')
    .description('Update the image of a pod template')
    .argument('<args...>', 'TYPE NAME CONTAINER=IMAGE ... or TYPE/NAME CONTAINER=IMAGE ...')
    .action(async (args: string[], _opts: unknown, cmd: Command) => runSetImage(openSession(cmd), args));
}

/** imagePatch builds the patch for pod-spec containers; throws on an unknown container. */
export function imagePatch(containers: Container[], images: Record<string, string>): Record<string, unknown> {
  const names = containers.map((c) => c.name);
  for (const n of Object.keys(images)) {
    if (n !== '*' && !names.includes(n)) throw new CliError(`unable to find container named "${n}"`);
  }
  const changed = containers
    .map((c) => ({ name: c.name, image: images[c.name] ?? images['*'] }))
    .filter((c) => c.image !== undefined);
  return { '$setElementOrder/containers': names.map((name) => ({ name })), containers: changed.map((c) => ({ image: c.image, name: c.name })) };
}

async function runSetImage(s: Session, args: string[]): Promise<void> {
  const split = args.findIndex((a) => a.includes('='));
  if (split <= 0) throw new CliError('at least one image update is required');
  const images = Object.fromEntries(args.slice(split).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  for (const r of parseResourceArgs(args.slice(0, split))) {
    const ns = r.res.namespaced ? s.namespace : undefined;
    for (const name of r.names) {
      const obj = await s.client.get(r.res, ns, name);
      const patch = r.res.kind === 'Pod' ? { spec: imagePatch(podContainers(obj, false), images) } : { spec: { template: { spec: imagePatch(podContainers(obj, true), images) } } };
      await patchObject(s.client, r.res, ns, name, 'strategic', patch, { fieldManager: 'kubectl-set' });
      out(s, `${objectRef(r.res, name)} image updated`);
    }
  }
}

function podContainers(obj: KubeObject, template: boolean): Container[] {
  const spec = obj.spec as { template?: { spec?: { containers?: Container[] } }; containers?: Container[] } | undefined;
  const list = template ? spec?.template?.spec?.containers : spec?.containers;
  if (!list) throw new CliError(`${obj.kind ?? 'object'} has no pod template`);
  return list;
}

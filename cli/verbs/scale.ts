// skiff scale: merge-patch on the scale subresource; --current-replicas reads the Scale first and
// PUTs it back with its resourceVersion as a precondition, like kubectl.

import type { Command } from 'commander';
import { resourcePath } from '../../client/paths.js';
import { CliError } from './errors.js';
import { patchObject } from './requests.js';
import { objectRef, parseResourceArgs } from './resources.js';
import { openSession, out, type Session } from './session.js';

interface ScaleOptions {
  replicas: string;
  currentReplicas?: string;
}

interface Scale {
  metadata: { resourceVersion?: string };
  spec: { replicas?: number };
}

/** registerScale adds `scale`. */
export function registerScale(program: Command): void {
  program
    .command('scale')
    .description('Set a new size for a deployment or replica set')
    .argument('<resource...>', 'TYPE NAME or TYPE/NAME')
    .requiredOption('--replicas <n>', 'the new number of replicas')
    .option('--current-replicas <n>', 'precondition: the current size must be this')
    .action(async (args: string[], opts: ScaleOptions, cmd: Command) => runScale(openSession(cmd), args, opts));
}

async function runScale(s: Session, args: string[], opts: ScaleOptions): Promise<void> {
  const replicas = Number(opts.replicas);
  if (!Number.isInteger(replicas) || replicas < 0) throw new CliError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  for (const r of parseResourceArgs(args)) {
    if (!r.res.subresources.includes('scale')) throw new CliError(`cannot scale ${r.res.plural}`);
    const ns = r.res.namespaced ? s.namespace : undefined;
    for (const name of r.names) {
      await s.client.get(r.res, ns, name);
      if (opts.currentReplicas === undefined) {
        await patchObject(s.client, r.res, ns, name, 'merge', { spec: { replicas } }, {}, 'scale');
      } else {
        const path = resourcePath(r.res, ns, name, 'scale');
        const scale = await s.client.request<Scale>('GET', path);
        if (scale.spec.replicas !== Number(opts.currentReplicas)) {
          throw new CliError(`Expected replicas to be ${opts.currentReplicas}, was ${scale.spec.replicas ?? 0}`);
        }
        await s.client.request('PUT', path, { ...scale, spec: { ...scale.spec, replicas } });
      }
      out(s, `${objectRef(r.res, name)} scaled`);
    }
  }
}

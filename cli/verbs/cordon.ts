// skiff cordon / uncordon: strategic merge patches on spec.unschedulable, like kubectl.

import type { Command } from 'commander';
import { resolveType } from './resources.js';
import { patchObject } from './requests.js';
import { openSession, out, type Session } from './session.js';

/** registerCordon adds `cordon` and `uncordon`. */
export function registerCordon(program: Command): void {
  program
    .command('cordon')
    .description('Mark node as unschedulable')
    .argument('<node...>')
    .action(async (nodes: string[], _o: unknown, cmd: Command) => {
      const s = openSession(cmd);
      for (const n of nodes) await setUnschedulable(s, n, true);
    });
  program
    .command('uncordon')
    .description('Mark node as schedulable')
    .argument('<node...>')
    .action(async (nodes: string[], _o: unknown, cmd: Command) => {
      const s = openSession(cmd);
      for (const n of nodes) await setUnschedulable(s, n, false);
    });
}

/** setUnschedulable cordons or uncordons one node, printing what happened. */
export async function setUnschedulable(s: Session, name: string, on: boolean): Promise<void> {
  const nodes = resolveType('nodes');
  const node = await s.client.get(nodes, undefined, name);
  const current = (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
  const verb = on ? 'cordoned' : 'uncordoned';
  if (current === on) {
    out(s, `node/${name} already ${verb}`);
    return;
  }
  await patchObject(s.client, nodes, undefined, name, 'strategic', { spec: { unschedulable: on ? true : null } });
  out(s, `node/${name} ${verb}`);
}

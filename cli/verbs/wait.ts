// skiff wait --for=condition=X[=value] | --for=delete | --for=jsonpath='{...}'=value: list+watch
// the objects by name (as kubectl's informer does) until each satisfies the condition.

import type { Command } from 'commander';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/registry.js';
import { evalPath } from '../printers/jsonpath.js';
import { CliError } from './errors.js';
import { parseDuration } from './rollout.js';
import { kindPrefix, parseResourceArgs } from './resources.js';
import { openSession, out, type Session } from './session.js';
import { waitGone } from './wait-gone.js';

/** WaitFor is a parsed --for. */
export type WaitFor = { kind: 'delete' } | { kind: 'condition'; type: string; value: string } | { kind: 'jsonpath'; path: string; value?: string };

/** parseWaitFor reads --for values like kubectl. */
export function parseWaitFor(v: string): WaitFor {
  if (v === 'delete') return { kind: 'delete' };
  const cond = /^condition=([^=]+)(?:=(.*))?$/.exec(v);
  if (cond) return { kind: 'condition', type: cond[1], value: cond[2] ?? 'True' };
  const jp = /^jsonpath=(\{.*\}|[^=]*)(?:=(.*))?$/.exec(v);
  if (jp) return { kind: 'jsonpath', path: jp[1].replace(/^\{|\}$/g, ''), value: jp[2] };
  throw new CliError(`unrecognized condition: "${v}"`);
}

/** satisfied reports whether obj meets a condition or jsonpath wait. */
export function satisfied(obj: KubeObject, f: WaitFor): boolean {
  if (f.kind === 'condition') {
    const conds = (obj.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
    return conds.some((c) => c.type.toLowerCase() === f.type.toLowerCase() && c.status.toLowerCase() === f.value.toLowerCase());
  }
  if (f.kind === 'jsonpath') {
    const got = evalPath(f.path, obj, obj);
    return f.value === undefined ? got.length > 0 : got.some((g) => String(g) === f.value);
  }
  return false;
}

/** registerWait adds `wait`. */
export function registerWait(program: Command): void {
  program
    .command('wait')
    .description('Wait for a specific condition on one or many resources')
    .argument('<resource...>')
    .requiredOption('--for <condition>', 'delete | condition=NAME[=value] | jsonpath={.path}=value')
    .option('--timeout <duration>', 'give up after this long', '30s')
    .action(async (args: string[], o: { for: string; timeout: string }, cmd: Command) =>
      runWait(openSession(cmd), args, parseWaitFor(o.for), parseDuration(o.timeout)),
    );
}

async function runWait(s: Session, args: string[], f: WaitFor, timeoutMs: number): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    for (const r of parseResourceArgs(args)) {
      const ns = r.res.namespaced ? s.namespace : undefined;
      for (const name of r.names) {
        const ok = f.kind === 'delete' ? await waitGone(s.client, r.res, ns, name, abort.signal).then(() => !abort.signal.aborted) : await waitFor(s, r.res, ns, name, f, abort.signal);
        if (!ok) throw new CliError(`timed out waiting for the condition on ${r.res.plural}/${name}`);
        out(s, `${kindPrefix(r.res)}/${name} condition met`);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

async function waitFor(s: Session, res: ResourceInfo, ns: string | undefined, name: string, f: WaitFor, signal: AbortSignal): Promise<boolean> {
  while (!signal.aborted) {
    const list = await s.client.list(res, ns, { fieldSelector: `metadata.name=${name}`, resourceVersion: '0' });
    if (list.items.length === 0) throw new CliError(`${res.plural} "${name}" not found`);
    if (satisfied(list.items[0], f)) return true;
    const events = s.client.watch(res, ns, { fieldSelector: `metadata.name=${name}`, resourceVersion: list.metadata.resourceVersion, signal });
    for await (const ev of events) {
      if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && satisfied(ev.object, f)) return true;
    }
  }
  return false;
}

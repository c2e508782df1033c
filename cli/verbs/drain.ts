// skiff drain: cordon, then evict every pod on the node through pods/eviction (retrying while a
// disruption budget refuses with 429) and wait for each to be gone.

import type { Command } from 'commander';
import { isStatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import { resourcePath } from '../../client/paths.js';
import { setUnschedulable } from './cordon.js';
import { CliError } from './errors.js';
import { listObjects } from './requests.js';
import { resolveType } from './resources.js';
import { openSession, out, warn, type Session } from './session.js';
import { waitGone } from './wait-gone.js';

interface DrainOptions {
  force?: boolean;
  ignoreDaemonsets?: boolean;
  deleteEmptydirData?: boolean;
}

/** registerDrain adds `drain`. */
export function registerDrain(program: Command): void {
  program
    .command('drain')
    .description('Drain node in preparation for maintenance')
    .argument('<node>')
    .option('--force', 'also evict pods that no controller manages')
    .option('--ignore-daemonsets', 'skip DaemonSet-managed pods')
    .option('--delete-emptydir-data', 'evict pods with emptyDir volumes')
    .action(async (node: string, opts: DrainOptions, cmd: Command) => runDrain(openSession(cmd), node, opts));
}

/** DrainPlan is which pods to evict and what blocks the drain. */
export interface DrainPlan {
  evict: KubeObject[];
  skippedDaemonSet: KubeObject[];
  errors: string[];
}

/** planDrain applies kubectl's filters to the pods of a node. */
export function planDrain(pods: KubeObject[], opts: DrainOptions): DrainPlan {
  const plan: DrainPlan = { evict: [], skippedDaemonSet: [], errors: [] };
  const noController: string[] = [];
  const daemon: string[] = [];
  const emptyDir: string[] = [];
  for (const p of pods) {
    const phase = (p.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      plan.evict.push(p);
      continue;
    }
    const ctrl = p.metadata.ownerReferences?.find((o) => o.controller);
    const key = `${p.metadata.namespace}/${p.metadata.name}`;
    if (ctrl?.kind === 'DaemonSet') {
      if (opts.ignoreDaemonsets) plan.skippedDaemonSet.push(p);
      else daemon.push(key);
      continue;
    }
    if (!ctrl && !opts.force) noController.push(key);
    const volumes = (p.spec as { volumes?: { emptyDir?: unknown }[] } | undefined)?.volumes ?? [];
    if (volumes.some((v) => v.emptyDir) && !opts.deleteEmptydirData) emptyDir.push(key);
    plan.evict.push(p);
  }
  if (noController.length) plan.errors.push(`cannot delete Pods that declare no controller (use --force to override): ${noController.join(', ')}`);
  if (daemon.length) plan.errors.push(`cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${daemon.join(', ')}`);
  if (emptyDir.length) plan.errors.push(`cannot delete Pods with local storage (use --delete-emptydir-data to override): ${emptyDir.join(', ')}`);
  return plan;
}

async function runDrain(s: Session, node: string, opts: DrainOptions): Promise<void> {
  await setUnschedulable(s, node, true);
  const podsRes = resolveType('pods');
  const pods = await listObjects(s.client, podsRes, undefined, { fieldSelector: `spec.nodeName=${node}` });
  const plan = planDrain(pods.items, opts);
  if (plan.errors.length) {
    throw new CliError(`unable to drain node "${node}" due to error: ${plan.errors.join(', ')}, continuing command...`);
  }
  if (plan.skippedDaemonSet.length) {
    warn(s, `Warning: ignoring DaemonSet-managed Pods: ${plan.skippedDaemonSet.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}`);
  }
  await Promise.all(plan.evict.map((p) => evict(s, p)));
  out(s, `node/${node} drained`);
}

async function evict(s: Session, p: KubeObject): Promise<void> {
  const { name = '', namespace = '' } = p.metadata;
  const podsRes = resolveType('pods');
  out(s, `evicting pod ${namespace}/${name}`);
  const body = { kind: 'Eviction', apiVersion: 'policy/v1', metadata: { name, namespace, creationTimestamp: null }, deleteOptions: {} };
  for (;;) {
    try {
      await s.client.request('POST', resourcePath(podsRes, namespace, name, 'eviction'), body);
      break;
    } catch (err) {
      if (isStatusError(err, 'NotFound')) break;
      if (!isStatusError(err, 'TooManyRequests')) throw err;
      warn(s, `error when evicting pods/"${name}" -n "${namespace}" (will retry after 5s): ${err.message}`);
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
  await waitGone(s.client, podsRes, namespace, name, s.io.signal);
  out(s, `pod/${name} evicted`);
}

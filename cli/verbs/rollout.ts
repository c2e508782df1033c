// skiff rollout status|history|undo|pause|resume|restart for Deployments, with kubectl's requests
// (SMP with fieldManager=kubectl-rollout, json-patch undo, RS listed by the selector).

import type { Command } from 'commander';
import type { KubeObject } from '../../api/meta.js';
import { formatLabelSelector, type LabelSelector } from '../../api/labels.js';
import { rfc3339 } from '../../api/time.js';
import { resolveType } from './resources.js';
import { CliError } from './errors.js';
import { listObjects, patchObject } from './requests.js';
import { objectRef, parseTypeName } from './resources.js';
import { rolloutStatus, type DeploymentLike } from './rollout-status.js';
import { openSession, out, type Session } from './session.js';
import { toYaml } from '../printers/object.js';
import { alignColumns } from '../printers/columns.js';

const REVISION = 'deployment.kubernetes.io/revision';

interface Deployment extends KubeObject {
  spec: { selector?: LabelSelector; paused?: boolean; template?: PodTemplate; replicas?: number };
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

/** registerRollout adds `rollout` and its subcommands. */
export function registerRollout(program: Command): void {
  const r = program.command('rollout').description('Manage the rollout of a deployment');
  r.command('status')
    .argument('<resource...>')
    .option('-w, --watch [bool]', 'watch until the rollout finishes', 'true')
    .option('--timeout <duration>', 'give up after this long (0 = never)', '0')
    .action(async (args: string[], o: { watch: string | boolean; timeout: string }, cmd: Command) =>
      rolloutStatusCmd(openSession(cmd), args, String(o.watch) !== 'false', parseDuration(o.timeout)),
    );
  r.command('history')
    .argument('<resource...>')
    .option('--revision <n>', 'show the pod template of this revision')
    .action(async (args: string[], o: { revision?: string }, cmd: Command) => history(openSession(cmd), args, o.revision));
  r.command('undo')
    .argument('<resource...>')
    .option('--to-revision <n>', 'the revision to roll back to (default: the previous one)', '0')
    .action(async (args: string[], o: { toRevision: string }, cmd: Command) => undo(openSession(cmd), args, Number(o.toRevision)));
  for (const [verb, done] of [
    ['pause', 'paused'],
    ['resume', 'resumed'],
    ['restart', 'restarted'],
  ] as const) {
    r.command(verb)
      .argument('<resource...>')
      .action(async (args: string[], _o: unknown, cmd: Command) => simplePatch(openSession(cmd), args, verb, done));
  }
}

/** parseDuration reads `30s`, `5m`, `1h`, plain seconds; returns milliseconds. */
export function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new CliError(`invalid duration "${v}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000;
  return Number(m[1]) * unit;
}

function target(s: Session, args: string[]): { name: string; ns: string } {
  const { res, name } = parseTypeName(args);
  if (res.kind !== 'Deployment') throw new CliError(`no status viewer has been implemented for ${res.kind}`);
  return { name, ns: s.namespace };
}

async function rolloutStatusCmd(s: Session, args: string[], watch: boolean, timeoutMs: number): Promise<void> {
  const { name, ns } = target(s, args);
  const deploys = resolveType('deployments');
  await s.client.get(deploys, ns, name);
  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  s.io.signal?.addEventListener('abort', onAbort);
  const timer = timeoutMs > 0 ? setTimeout(() => abort.abort(), timeoutMs) : undefined;
  let last = '';
  try {
    for (;;) {
      const list = await s.client.list<Deployment>(deploys, ns, { fieldSelector: `metadata.name=${name}`, resourceVersion: '0' });
      const check = (d: DeploymentLike): boolean => {
        const st = rolloutStatus(d);
        if (st.failed) throw new CliError(st.message);
        if (st.message !== last) out(s, st.message);
        last = st.message;
        return st.done || !watch;
      };
      if (list.items[0] && check(list.items[0])) return;
      const events = s.client.watch<Deployment>(deploys, ns, {
        fieldSelector: `metadata.name=${name}`,
        resourceVersion: list.metadata.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: 300,
        signal: abort.signal,
      });
      for await (const ev of events) {
        if (ev.type === 'DELETED') throw new CliError(`object has been deleted`);
        if ((ev.type === 'ADDED' || ev.type === 'MODIFIED') && check(ev.object)) return;
      }
      if (abort.signal.aborted) throw new CliError('timed out waiting for the condition');
    }
  } finally {
    clearTimeout(timer);
    s.io.signal?.removeEventListener('abort', onAbort);
  }
}

/** ownedReplicaSets lists the deployment's ReplicaSets (controller ref to its uid), by revision. */
async function ownedReplicaSets(s: Session, d: Deployment): Promise<KubeObject[]> {
  const rsets = await listObjects(s.client, resolveType('replicasets'), s.namespace, { labelSelector: formatLabelSelector(d.spec.selector) });
  return rsets.items
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid))
    .sort((a, b) => revisionOf(a) - revisionOf(b));
}

function revisionOf(o: KubeObject): number {
  return Number(o.metadata.annotations?.[REVISION] ?? 0);
}

async function history(s: Session, args: string[], revision?: string): Promise<void> {
  const { name, ns } = target(s, args);
  const d = await s.client.get<Deployment>(resolveType('deployments'), ns, name);
  const rsets = await ownedReplicaSets(s, d);
  const ref = objectRef(resolveType('deployments'), name);
  if (revision) {
    const rs = rsets.find((r) => revisionOf(r) === Number(revision));
    if (!rs) throw new CliError(`unable to find the specified revision`);
    out(s, `${ref} with revision #${revision}`);
    out(s, 'Pod Template:');
    const tpl = (rs.spec as { template?: unknown }).template;
    s.io.stdout.write(toYaml(tpl).replace(/^/gm, '  '));
    return;
  }
  out(s, `${ref} `);
  const rows = [['REVISION', 'CHANGE-CAUSE'], ...rsets.map((r) => [String(revisionOf(r)), r.metadata.annotations?.['kubernetes.io/change-cause'] ?? '<none>'])];
  for (const line of alignColumns(rows, [], 2)) out(s, line);
  out(s, '');
}

async function undo(s: Session, args: string[], toRevision: number): Promise<void> {
  const { name, ns } = target(s, args);
  const deploys = resolveType('deployments');
  const d = await s.client.get<Deployment>(deploys, ns, name);
  if (d.spec.paused) throw new CliError(`you cannot rollback a paused deployment; resume it first with 'skiff rollout resume' and try again`);
  const rsets = await ownedReplicaSets(s, d);
  const current = revisionOf(d);
  const rs = toRevision > 0 ? rsets.find((r) => revisionOf(r) === toRevision) : [...rsets].reverse().find((r) => revisionOf(r) < current);
  if (!rs) throw new CliError(toRevision > 0 ? `unable to find specified revision ${toRevision} in history` : 'no rollout history found');
  const tpl = structuredClone((rs.spec as { template: PodTemplate }).template);
  if (tpl.metadata?.labels) delete tpl.metadata.labels['pod-template-hash'];
  const ref = objectRef(deploys, name);
  if (JSON.stringify(sortDeep(tpl)) === JSON.stringify(sortDeep(d.spec.template))) {
    out(s, `${ref} skipped rollback (current template already matches revision ${revisionOf(rs)})`);
    return;
  }
  const patch = [
    { op: 'replace', path: '/spec/template', value: tpl },
    { op: 'replace', path: '/metadata/annotations', value: d.metadata.annotations ?? {} },
  ];
  await patchObject(s.client, deploys, ns, name, 'json', patch);
  out(s, `${ref} rolled back`);
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => k !== 'creationTimestamp')
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, x]) => [k, sortDeep(x)]),
  );
}

async function simplePatch(s: Session, args: string[], verb: 'pause' | 'resume' | 'restart', done: string): Promise<void> {
  const { name, ns } = target(s, args);
  const deploys = resolveType('deployments');
  const d = await s.client.get<Deployment>(deploys, ns, name);
  const paused = d.spec.paused === true;
  if (verb === 'pause' && paused) throw new CliError(`deployments.apps "${name}" is already paused`);
  if (verb === 'resume' && !paused) throw new CliError(`deployments.apps "${name}" is not paused`);
  if (verb === 'restart' && paused) throw new CliError(`can't restart paused deployment (run rollout resume first)`);
  const patch =
    verb === 'pause'
      ? { spec: { paused: true } }
      : verb === 'resume'
        ? { spec: { paused: null } }
        : { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': rfc3339(Date.now()) } } } } };
  await patchObject(s.client, deploys, ns, name, 'strategic', patch, { fieldManager: 'kubectl-rollout' });
  out(s, `${objectRef(deploys, name)} ${done}`);
}

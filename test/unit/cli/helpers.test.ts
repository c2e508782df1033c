// Small pure parts of the CLI: error wording, ages, rollout status messages, output flags,
// label changes, drain planning, wait conditions, table printing, generators.
import { describe, expect, it } from 'vitest';
import { invalid, notFound, StatusError } from '../../../api/errors.js';
import { humanDuration } from '../../../cli/printers/age.js';
import { alignColumns } from '../../../cli/printers/columns.js';
import { parseOutput } from '../../../cli/printers/output.js';
import { tableRows } from '../../../cli/printers/table.js';
import { lastAppliedJSON } from '../../../cli/verbs/apply.js';
import { collectData } from '../../../cli/verbs/create-generic.js';
import { cascadePolicy } from '../../../cli/verbs/delete.js';
import { planDrain } from '../../../cli/verbs/drain.js';
import { formatError } from '../../../cli/verbs/errors.js';
import { parseChanges } from '../../../cli/verbs/label.js';
import { logQuery } from '../../../cli/verbs/logs.js';
import { rolloutStatus } from '../../../cli/verbs/rollout-status.js';
import { imagePatch } from '../../../cli/verbs/set-image.js';
import { parseWaitFor, satisfied } from '../../../cli/verbs/wait.js';

describe('formatError', () => {
  const cases: { name: string; err: unknown; want: string }[] = [
    { name: 'NotFound', err: notFound({ group: 'apps', resource: 'deployments' }, 'web'), want: 'Error from server (NotFound): deployments.apps "web" not found' },
    {
      name: 'Invalid rebuilt from causes',
      err: invalid('apps', 'Deployment', 'web', [{ type: 'FieldValueInvalid', field: 'spec.replicas', badValue: -1, detail: 'must be greater than or equal to 0' }]),
      want: 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    },
    { name: 'Unauthorized', err: new StatusError(401, 'Unauthorized', 'Unauthorized'), want: 'error: You must be logged in to the server (Unauthorized)' },
    { name: 'client error', err: new Error('boom'), want: 'error: boom' },
  ];
  for (const tc of cases) it(tc.name, () => expect(formatError(tc.err)).toBe(tc.want));
});

describe('humanDuration', () => {
  const cases: [number, string][] = [
    [5_000, '5s'],
    [119_000, '119s'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [3 * 3600_000 + 5 * 60_000, '3h5m'],
    [10 * 3600_000, '10h'],
    [2 * 86400_000, '2d'],
    [3 * 86400_000 + 4 * 3600_000, '3d4h'],
    [-1000, '<invalid>'],
  ];
  for (const [ms, want] of cases) it(`${ms}ms → ${want}`, () => expect(humanDuration(ms)).toBe(want));
});

describe('rolloutStatus', () => {
  const d = (gen: number, status: Record<string, unknown>, replicas = 3) => ({ metadata: { name: 'web', generation: gen }, spec: { replicas }, status });
  const cases: { name: string; dep: ReturnType<typeof d>; msg: string; done?: boolean; failed?: boolean }[] = [
    { name: 'spec not observed', dep: d(2, { observedGeneration: 1 }), msg: 'Waiting for deployment spec update to be observed...' },
    { name: 'updating', dep: d(1, { observedGeneration: 1, updatedReplicas: 1 }), msg: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...' },
    { name: 'old pending', dep: d(1, { observedGeneration: 1, updatedReplicas: 3, replicas: 4 }), msg: 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...' },
    {
      name: 'availability',
      dep: d(1, { observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 2 }),
      msg: 'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...',
    },
    { name: 'done', dep: d(1, { observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }), msg: 'deployment "web" successfully rolled out', done: true },
    {
      name: 'deadline exceeded',
      dep: d(1, { observedGeneration: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
      msg: 'deployment "web" exceeded its progress deadline',
      failed: true,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(rolloutStatus(tc.dep)).toEqual({ message: tc.msg, done: tc.done ?? false, failed: tc.failed ?? false }));
  }
});

describe('flags', () => {
  it('parseOutput', () => {
    expect(parseOutput(undefined)).toEqual({ kind: 'table', wide: false });
    expect(parseOutput('wide')).toEqual({ kind: 'table', wide: true });
    expect(parseOutput('jsonpath={.a}')).toEqual({ kind: 'jsonpath', template: '{.a}' });
    expect(() => parseOutput('xml')).toThrow(/allowed formats/);
  });
  it('cascadePolicy', () => {
    expect(cascadePolicy(undefined)).toBe('Background');
    expect(cascadePolicy('foreground')).toBe('Foreground');
    expect(cascadePolicy('orphan')).toBe('Orphan');
    expect(() => cascadePolicy('sideways')).toThrow(/invalid cascade/);
  });
  it('parseChanges', () => {
    expect(parseChanges(['a=1', 'b-', 'c='])).toEqual({ a: '1', b: null, c: '' });
    expect(() => parseChanges(['bad'])).toThrow(/invalid label spec/);
  });
  it('logQuery', () => {
    expect(logQuery('c', { follow: true, tail: '10', since: '2m', previous: true })).toEqual({
      container: 'c',
      follow: 'true',
      previous: 'true',
      sinceSeconds: 120,
      tailLines: 10,
      timestamps: undefined,
    });
  });
  it('parseWaitFor and satisfied', () => {
    const obj = { metadata: {}, status: { phase: 'Running', conditions: [{ type: 'Available', status: 'True' }] } };
    expect(satisfied(obj, parseWaitFor('condition=Available'))).toBe(true);
    expect(satisfied(obj, parseWaitFor('condition=available=false'))).toBe(false);
    expect(satisfied(obj, parseWaitFor('jsonpath={.status.phase}=Running'))).toBe(true);
    expect(parseWaitFor('delete')).toEqual({ kind: 'delete' });
    expect(() => parseWaitFor('ready')).toThrow(/unrecognized condition/);
  });
});

describe('patches and objects', () => {
  it('imagePatch names changed containers only and keeps order', () => {
    expect(imagePatch([{ name: 'a' }, { name: 'b' }], { b: 'img:2' })).toEqual({
      '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }],
      containers: [{ image: 'img:2', name: 'b' }],
    });
    expect(imagePatch([{ name: 'a' }], { '*': 'x' }).containers).toEqual([{ image: 'x', name: 'a' }]);
    expect(() => imagePatch([{ name: 'a' }], { z: 'x' })).toThrow('unable to find container named "z"');
  });
  it('lastAppliedJSON is sorted compact JSON with annotations and a newline', () => {
    const obj = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', namespace: 'default' }, data: { b: '1', a: '2' } };
    expect(lastAppliedJSON(obj)).toBe('{"apiVersion":"v1","data":{"a":"2","b":"1"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"c","namespace":"default"}}\n');
  });
  it('collectData reads literals and files, refusing duplicate keys', () => {
    const read = (p: string): string => `content of ${p}`;
    expect(collectData(['a=1=2'], ['k=/x/f'], read)).toEqual({ a: '1=2', k: 'content of /x/f' });
    expect(() => collectData(['a=1', 'a=2'], [], read)).toThrow(/cannot add key a/);
  });
  it('planDrain refuses unmanaged and DaemonSet pods unless told', () => {
    const pod = (name: string, owner?: string) => ({
      metadata: { name, namespace: 'd', ownerReferences: owner ? [{ kind: owner, name: 'o', uid: 'u', apiVersion: 'apps/v1', controller: true }] : [] },
    });
    const pods = [pod('rs', 'ReplicaSet'), pod('ds', 'DaemonSet'), pod('bare')];
    expect(planDrain(pods, {}).errors).toHaveLength(2);
    const plan = planDrain(pods, { force: true, ignoreDaemonsets: true });
    expect(plan.errors).toEqual([]);
    expect(plan.evict.map((p) => p.metadata.name)).toEqual(['rs', 'bare']);
    expect(plan.skippedDaemonSet.map((p) => p.metadata.name)).toEqual(['ds']);
  });
});

describe('table printing', () => {
  const table = {
    kind: 'Table' as const,
    metadata: {},
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', priority: 0 },
      { name: 'Ready', type: 'string', priority: 0 },
      { name: 'IP', type: 'string', priority: 1 },
    ],
    rows: [{ cells: ['web-1', '1/1', null], object: { metadata: { name: 'web-1', namespace: 'ns1', labels: { b: '2', a: '1' } } } }],
  };
  it('hides priority columns unless wide; adds namespace and labels', () => {
    expect(alignColumns(tableRows(table, {}))).toEqual(['NAME    READY', 'web-1   1/1']);
    expect(alignColumns(tableRows(table, { wide: true }))).toEqual(['NAME    READY   IP', 'web-1   1/1     <none>']);
    expect(alignColumns(tableRows(table, { withNamespace: true, showLabels: true, kindPrefix: 'pod' }))).toEqual([
      'NAMESPACE   NAME        READY   LABELS',
      'ns1         pod/web-1   1/1     a=1,b=2',
    ]);
  });
});

describe('completion', () => {
  it('lists verbs and resource types', async () => {
    const { runCli } = await import('../../../cli/cli.js');
    let out = '';
    const code = await runCli(['completion', 'bash'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => {} } });
    expect(code).toBe(0);
    expect(out).toContain('complete -F _skiff skiff');
    expect(out).toMatch(/rollout\) words="status history undo pause resume restart /);
    expect(out).toContain('deploy');
  });
});

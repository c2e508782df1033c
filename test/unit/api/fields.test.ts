import { describe, expect, it } from 'vitest';
import { isStatusError } from '../../../api/errors.js';
import {
  escapeFieldValue,
  fieldSelectorMatches,
  parseFieldSelector,
  selectableFields,
  supportedFieldLabels,
  unescapeFieldValue,
  validateFieldSelector,
} from '../../../api/fields.js';
import type { KubeObject } from '../../../api/meta.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('parseFieldSelector', () => {
  it.each([
    { input: '', reqs: [] },
    { input: 'a=b', reqs: [{ field: 'a', op: '=', value: 'b' }] },
    { input: 'a==b', reqs: [{ field: 'a', op: '=', value: 'b' }] },
    { input: 'a!=b', reqs: [{ field: 'a', op: '!=', value: 'b' }] },
    { input: 'a=', reqs: [{ field: 'a', op: '=', value: '' }] },
    {
      input: 'status.phase!=Running,spec.nodeName=n1',
      reqs: [
        { field: 'spec.nodeName', op: '=', value: 'n1' },
        { field: 'status.phase', op: '!=', value: 'Running' },
      ],
    },
    { input: ',a=b,', reqs: [{ field: 'a', op: '=', value: 'b' }] },
    { input: 'a=b\\,c', reqs: [{ field: 'a', op: '=', value: 'b,c' }] },
    { input: 'a=x\\=y\\\\', reqs: [{ field: 'a', op: '=', value: 'x=y\\' }] },
  ])('$input', ({ input, reqs }) => {
    const sel = parseFieldSelector(input);
    expect(sel.requirements).toEqual(reqs);
    expect(sel.empty()).toBe(reqs.length === 0);
  });

  it.each([
    { input: 'a', message: "invalid selector: 'a'; can't understand 'a'" },
    { input: 'a=b,c', message: "invalid selector: 'a=b,c'; can't understand 'c'" },
    { input: 'a=b=c', message: 'invalid field selector: unescaped character in value: 61' },
    { input: 'a=\\x', message: 'invalid field selector: invalid escape sequence: \\x' },
    { input: 'a=b\\', message: 'invalid field selector: invalid escape sequence: \\' },
  ])('rejects $input', ({ input, message }) => {
    const err = thrown(() => parseFieldSelector(input));
    expect(isStatusError(err, 'BadRequest')).toBe(true);
    expect((err as Error).message).toBe(message);
  });

  it.each(['plain', 'a,b', 'x=y', 'back\\slash', ''])('escape/unescape round-trips %j', (v) => {
    expect(unescapeFieldValue(escapeFieldValue(v))).toBe(v);
  });

  it.each<{ sel: string; fields: Record<string, string>; want: boolean }>([
    { sel: 'a=1', fields: { a: '1' }, want: true },
    { sel: 'a=1', fields: { a: '2' }, want: false },
    { sel: 'a!=1', fields: { a: '2' }, want: true },
    { sel: 'a=', fields: {}, want: true },
    { sel: 'a!=', fields: {}, want: false },
    { sel: 'a=1,b!=2', fields: { a: '1', b: '2' }, want: false },
    { sel: '', fields: {}, want: true },
  ])('$sel matches $fields -> $want', ({ sel, fields, want }) => {
    expect(parseFieldSelector(sel).matches(fields)).toBe(want);
  });
});

const pod: KubeObject = {
  metadata: { name: 'p1', namespace: 'ns1' },
  spec: { nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'sa', hostNetwork: true },
  status: { phase: 'Running', podIP: '10.0.0.1', nominatedNodeName: 'n2' },
};
const event: KubeObject = {
  metadata: { name: 'e1', namespace: 'ns1' },
  involvedObject: { kind: 'Pod', namespace: 'ns1', name: 'p1', uid: 'u1', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{c}' },
  reason: 'Scheduled',
  reportingComponent: 'scheduler',
  source: { component: 'default-scheduler' },
  type: 'Normal',
};

describe('selectableFields', () => {
  it.each<{ plural: string; obj: KubeObject; want: Record<string, string> }>([
    {
      plural: 'pods',
      obj: pod,
      want: {
        'metadata.name': 'p1',
        'metadata.namespace': 'ns1',
        'spec.nodeName': 'n1',
        'spec.restartPolicy': 'Always',
        'spec.schedulerName': 'default-scheduler',
        'spec.serviceAccountName': 'sa',
        'spec.hostNetwork': 'true',
        'status.phase': 'Running',
        'status.podIP': '10.0.0.1',
        'status.nominatedNodeName': 'n2',
      },
    },
    {
      plural: 'pods',
      obj: { metadata: { name: 'bare', namespace: 'd' } },
      want: {
        'metadata.name': 'bare',
        'metadata.namespace': 'd',
        'spec.nodeName': '',
        'spec.restartPolicy': '',
        'spec.schedulerName': '',
        'spec.serviceAccountName': '',
        'spec.hostNetwork': 'false',
        'status.phase': '',
        'status.podIP': '',
        'status.nominatedNodeName': '',
      },
    },
    {
      plural: 'events',
      obj: event,
      want: {
        'metadata.name': 'e1',
        'metadata.namespace': 'ns1',
        'involvedObject.kind': 'Pod',
        'involvedObject.namespace': 'ns1',
        'involvedObject.name': 'p1',
        'involvedObject.uid': 'u1',
        'involvedObject.apiVersion': 'v1',
        'involvedObject.resourceVersion': '7',
        'involvedObject.fieldPath': 'spec.containers{c}',
        reason: 'Scheduled',
        reportingComponent: 'scheduler',
        source: 'default-scheduler',
        type: 'Normal',
      },
    },
    {
      plural: 'secrets',
      obj: { metadata: { name: 's', namespace: 'n' }, type: 'Opaque' },
      want: { 'metadata.name': 's', 'metadata.namespace': 'n', type: 'Opaque' },
    },
    { plural: 'nodes', obj: { metadata: { name: 'n1' }, spec: { unschedulable: true } }, want: { 'metadata.name': 'n1', 'spec.unschedulable': 'true' } },
    { plural: 'nodes', obj: { metadata: { name: 'n2' } }, want: { 'metadata.name': 'n2', 'spec.unschedulable': 'false' } },
    { plural: 'namespaces', obj: { metadata: { name: 'x' }, status: { phase: 'Active' } }, want: { 'metadata.name': 'x', 'status.phase': 'Active' } },
    {
      plural: 'replicasets',
      obj: { metadata: { name: 'r', namespace: 'n' }, status: { replicas: 3 } },
      want: { 'metadata.name': 'r', 'metadata.namespace': 'n', 'status.replicas': '3' },
    },
    { plural: 'deployments', obj: { metadata: { name: 'd', namespace: 'n' } }, want: { 'metadata.name': 'd', 'metadata.namespace': 'n' } },
  ])('$plural $obj.metadata.name', ({ plural, obj, want }) => {
    expect(selectableFields(plural, obj)).toEqual(want);
  });
});

describe('validateFieldSelector', () => {
  it.each([
    { plural: 'pods', sel: 'spec.nodeName=n1,metadata.namespace=x,status.phase!=Failed' },
    { plural: 'events', sel: 'involvedObject.name=p1,reason=Scheduled,type=Normal' },
    { plural: 'nodes', sel: 'spec.unschedulable=false,metadata.name=n1' },
    { plural: 'deployments', sel: 'metadata.name=d,metadata.namespace=n' },
    { plural: 'secrets', sel: 'type=Opaque' },
    { plural: 'configmaps', sel: '' },
  ])('accepts $plural $sel', ({ plural, sel }) => {
    expect(() => validateFieldSelector(plural, parseFieldSelector(sel))).not.toThrow();
  });

  it.each([
    { plural: 'pods', sel: 'spec.bogus=1', message: 'field label not supported: spec.bogus' },
    { plural: 'nodes', sel: 'metadata.namespace=x', message: 'field label not supported: metadata.namespace' },
    { plural: 'secrets', sel: 'status.phase=x', message: 'field label not supported: status.phase' },
    {
      plural: 'deployments',
      sel: 'spec.replicas=1',
      message: '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
    },
  ])('rejects $plural $sel', ({ plural, sel, message }) => {
    const err = thrown(() => validateFieldSelector(plural, parseFieldSelector(sel)));
    expect(isStatusError(err, 'BadRequest')).toBe(true);
    expect((err as Error).message).toBe(message);
  });

  it.each([
    { plural: 'pods', want: ['metadata.name', 'metadata.namespace', 'spec.nodeName'] },
    { plural: 'nodes', want: ['metadata.name', 'spec.unschedulable'] },
    { plural: 'configmaps', want: ['metadata.name', 'metadata.namespace'] },
  ])('supportedFieldLabels($plural) includes $want', ({ plural, want }) => {
    expect(supportedFieldLabels(plural)).toEqual(expect.arrayContaining(want));
  });
});

describe('fieldSelectorMatches', () => {
  it.each([
    { sel: 'spec.nodeName=n1', want: true },
    { sel: 'spec.nodeName=', want: false },
    { sel: 'status.phase!=Running', want: false },
    { sel: 'metadata.namespace=ns1,metadata.name=p1', want: true },
    { sel: 'spec.hostNetwork=true', want: true },
  ])('pod p1 against $sel -> $want', ({ sel, want }) => {
    expect(fieldSelectorMatches('pods', parseFieldSelector(sel), pod)).toBe(want);
  });
});

import { describe, expect, it } from 'vitest';
import { fieldErrorMessage } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/meta.js';
import { mustResource } from '../../../api/registry.js';
import { SUBRESOURCE_BODIES, validateCreate, validateUpdate } from '../../../api/validate.js';

const create = (plural: string, obj: object): string[] =>
  validateCreate(mustResource(plural), obj as KubeObject).map(fieldErrorMessage);
const update = (plural: string, next: object, old: object): string[] =>
  validateUpdate(mustResource(plural), next as KubeObject, old as KubeObject).map(fieldErrorMessage);
const meta = (name = 'x', namespace: string | undefined = 'default') => ({ name, namespace });

describe('object metadata', () => {
  const cases = [
    { name: 'namespace forbidden on cluster-scoped', plural: 'nodes', obj: { metadata: meta('n1') }, want: ['metadata.namespace: Forbidden: not allowed on this type'] },
    { name: 'namespace name is a DNS label', plural: 'namespaces', obj: { metadata: { name: 'a.b' } }, want: [/^metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label/] },
    { name: 'configmap name may be a subdomain', plural: 'configmaps', obj: { metadata: meta('a.b') }, want: [] },
    { name: 'generateName prefix with trailing dash', plural: 'configmaps', obj: { metadata: { generateName: 'web-', namespace: 'default' } }, want: [] },
    { name: 'bad generateName', plural: 'configmaps', obj: { metadata: { generateName: 'Web-', namespace: 'default' } }, want: [/^metadata.generateName: Invalid value: "Web-"/] },
    { name: 'bad label value', plural: 'configmaps', obj: { metadata: { ...meta(), labels: { app: 'a b' } } }, want: [/^metadata.labels: Invalid value: "a b"/] },
    { name: 'bad annotation key', plural: 'configmaps', obj: { metadata: { ...meta(), annotations: { 'a/b/c': '' } } }, want: [/^metadata.annotations: Invalid value: "a\/b\/c"/] },
  ];
  it.each(cases)('$name', ({ plural, obj, want }) => {
    const got = create(plural, obj);
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => (typeof w === 'string' ? expect(got[i]).toBe(w) : expect(got[i]).toMatch(w)));
  });

  it('keeps name, namespace, uid and creationTimestamp', () => {
    const old = { metadata: { ...meta(), uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z' } };
    const next = { metadata: { ...meta('y', 'other'), uid: 'u2', creationTimestamp: '2025-01-01T00:00:00Z' } };
    expect(update('configmaps', next, old)).toEqual([
      'metadata.name: Invalid value: "y": field is immutable',
      'metadata.namespace: Invalid value: "other": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
      'metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable',
    ]);
  });
});

describe('configmaps and secrets', () => {
  const cases = [
    { name: 'valid keys', plural: 'configmaps', obj: { metadata: meta(), data: { 'a.conf': 'x', A_B: 'y' } }, want: [] },
    {
      name: 'bad key',
      plural: 'configmaps',
      obj: { metadata: meta(), data: { 'a b': 'x' } },
      want: [`data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`],
    },
    { name: 'dot-dot key', plural: 'configmaps', obj: { metadata: meta(), data: { '..': 'x' } }, want: ['data[..]: Invalid value: "..": must not be \'..\''] },
    {
      name: 'key in data and binaryData',
      plural: 'configmaps',
      obj: { metadata: meta(), data: { k: 'x' }, binaryData: { k: 'eA==' } },
      want: ['binaryData[k]: Invalid value: "k": duplicate of key present in data'],
    },
    { name: 'configmap over 1 MiB', plural: 'configmaps', obj: { metadata: meta(), data: { k: 'x'.repeat(1024 * 1024 + 1) } }, want: [': Too long: may not be more than 1048576 bytes'] },
    { name: 'secret over 1 MiB', plural: 'secrets', obj: { metadata: meta(), data: { k: Buffer.alloc(1024 * 1024 + 1).toString('base64') } }, want: ['data: Too long: may not be more than 1048576 bytes'] },
    { name: 'tls secret needs its keys', plural: 'secrets', obj: { metadata: meta(), type: 'kubernetes.io/tls', data: { 'tls.crt': '' } }, want: ['data[tls.key]: Required value'] },
  ];
  it.each(cases)('$name', ({ plural, obj, want }) => expect(create(plural, obj)).toEqual(want));

  it.each([
    { name: 'data change', next: { immutable: true, data: { k: 'y' } }, want: ['data: Forbidden: field is immutable when `immutable` is set'] },
    { name: 'unsetting immutable', next: { immutable: false, data: { k: 'x' } }, want: ['immutable: Forbidden: field is immutable when `immutable` is set'] },
    { name: 'no change', next: { immutable: true, data: { k: 'x' } }, want: [] },
  ])('immutable configmap: $name', ({ next, want }) => {
    const old = { metadata: meta(), immutable: true, data: { k: 'x' } };
    expect(update('configmaps', { metadata: meta(), ...next }, old)).toEqual(want);
  });

  it('secret type is immutable', () => {
    const old = { metadata: meta(), type: 'Opaque' };
    expect(update('secrets', { metadata: meta(), type: 'kubernetes.io/basic-auth' }, old)).toEqual([
      'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
    ]);
  });
});

describe('small kinds', () => {
  const cases = [
    {
      name: 'event namespace mismatch',
      plural: 'events',
      obj: { metadata: meta('e'), involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' } },
      want: ['involvedObject.namespace: Invalid value: "other": does not match event.namespace'],
    },
    { name: 'event ok', plural: 'events', obj: { metadata: meta('e'), involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, type: 'Normal' }, want: [] },
    { name: 'lease duration', plural: 'leases', obj: { metadata: meta('l'), spec: { leaseDurationSeconds: 0 } }, want: ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'] },
    {
      name: 'node taint effect',
      plural: 'nodes',
      obj: { metadata: { name: 'n1' }, spec: { taints: [{ key: 'k', effect: 'Sometimes' }, { key: 'k', effect: 'NoSchedule' }] } },
      want: ['spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
    },
    {
      name: 'namespace finalizer',
      plural: 'namespaces',
      obj: { metadata: { name: 'n' }, spec: { finalizers: ['a/b/c'] } },
      want: [expect.stringMatching(/^spec.finalizers\[0\]: Invalid value: "a\/b\/c"/)],
    },
    {
      name: 'endpoints address and port',
      plural: 'endpoints',
      obj: { metadata: meta('ep'), subsets: [{ addresses: [{ ip: 'nope' }], ports: [{ port: 0, protocol: 'TCP' }] }] },
      want: [
        'subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        'subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      ],
    },
  ];
  it.each(cases)('$name', ({ plural, obj, want }) => expect(create(plural, obj)).toEqual(want));

  it('scale and binding bodies', () => {
    const scale = { metadata: meta('web'), spec: { replicas: -1 } };
    expect(validateCreate(SUBRESOURCE_BODIES.Scale, scale).map(fieldErrorMessage)).toEqual([
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ]);
    const binding = { metadata: meta('p'), target: { kind: 'Pod' } };
    expect(validateCreate(SUBRESOURCE_BODIES.Binding, binding).map(fieldErrorMessage)).toEqual([
      'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
      'target.name: Required value',
    ]);
  });
});

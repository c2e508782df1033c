// The pieces under server-side apply: FieldsV1 round trips, printed paths, list merge order.
import { describe, expect, it } from 'vitest';
import { FieldSet } from '../../../apiserver/apply/field-set.js';
import { fromFieldsV1, toFieldsV1 } from '../../../apiserver/apply/fields-v1.js';
import { mergeApplied } from '../../../apiserver/apply/merge.js';
import { printPath } from '../../../apiserver/apply/path-element.js';
import { schemaForKind } from '../../../apiserver/apply/schema.js';

describe('FieldsV1', () => {
  const cases: { name: string; fields: Record<string, unknown> }[] = [
    { name: 'leaves', fields: { 'f:spec': { 'f:replicas': {}, 'f:selector': {} } } },
    { name: 'owned node with children', fields: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } } },
    {
      name: 'keyed and set items',
      fields: {
        'f:metadata': { 'f:finalizers': { 'v:"a"': {} } },
        'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } } },
      },
    },
  ];
  it.each(cases)('round trips $name', ({ fields }) => {
    expect(toFieldsV1(fromFieldsV1(fields))).toEqual(fields);
  });

  it('canonicalises key order inside k: tokens', () => {
    const set = fromFieldsV1({ 'k:{"protocol":"TCP","port":80}': {} });
    expect([...set.members]).toEqual(['k:{"port":80,"protocol":"TCP"}']);
  });
});

describe('printPath', () => {
  const cases: { path: string[]; want: string }[] = [
    { path: ['f:spec', 'f:replicas'], want: '.spec.replicas' },
    { path: ['f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'], want: '.spec.containers[name="web"].image' },
    { path: ['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}'], want: '.ports[containerPort=80,protocol="TCP"]' },
    { path: ['f:metadata', 'f:finalizers', 'v:"x"'], want: '.metadata.finalizers[="x"]' },
  ];
  it.each(cases)('$want', ({ path, want }) => expect(printPath(path)).toBe(want));
});

describe('FieldSet', () => {
  it('lists leaves level by level, fields before keys', () => {
    const set = new FieldSet();
    set.insert(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"a"}', 'f:image']);
    set.insert(['f:spec', 'f:replicas']);
    set.insert(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"a"}']);
    expect(set.leaves().map(printPath)).toEqual(['.spec.replicas', '.spec.template.spec.containers[name="a"].image']);
  });

  it('difference keeps the descendants of a removed node, as upstream', () => {
    const a = fromFieldsV1({ 'f:x': { '.': {}, 'f:y': {} } });
    const b = fromFieldsV1({ 'f:x': {} });
    expect(toFieldsV1(a.difference(b))).toEqual({ 'f:x': { 'f:y': {} } });
  });
});

describe('mergeApplied list order', () => {
  const pod = (...names: string[]) => ({ spec: { containers: names.map((name) => ({ name })) } });
  const cases: { name: string; live: string[]; config: string[]; want: string[] }[] = [
    { name: 'appends new items', live: ['a'], config: ['b'], want: ['a', 'b'] },
    { name: 'config order for shared items', live: ['a', 'x', 'b'], config: ['b', 'a', 'c'], want: ['x', 'b', 'a', 'c'] },
    { name: 'same order unchanged', live: ['a', 'b'], config: ['a', 'b'], want: ['a', 'b'] },
  ];
  it.each(cases)('$name', ({ live, config, want }) => {
    const merged = mergeApplied(pod(...live), pod(...config), schemaForKind('Pod')) as ReturnType<typeof pod>;
    expect(merged.spec.containers.map((c) => c.name)).toEqual(want);
  });
});

// Resource arguments: short names, group-qualified names, TYPE/NAME, comma lists, all.
import { describe, expect, it } from 'vitest';
import { objectRef, parseResourceArgs, parseTypeName, qualified, resolveType } from '../../../cli/verbs/resources.js';

describe('resolveType', () => {
  const cases: [string, string][] = [
    ['deploy', 'deployments'],
    ['deployment', 'deployments'],
    ['Deployment', 'deployments'],
    ['deployments.apps', 'deployments'],
    ['deployments.v1.apps', 'deployments'],
    ['po', 'pods'],
    ['svc', 'services'],
    ['cm', 'configmaps'],
    ['no', 'nodes'],
    ['leases.coordination.k8s.io', 'leases'],
  ];
  for (const [arg, plural] of cases) it(`${arg} → ${plural}`, () => expect(resolveType(arg).plural).toBe(plural));
  it('unknown type is kubectl’s error', () => expect(() => resolveType('foo')).toThrow('the server doesn\'t have a resource type "foo"'));
  it('wrong group does not match', () => expect(() => resolveType('deployments.batch')).toThrow(/resource type/));
});

describe('parseResourceArgs', () => {
  const cases: { name: string; args: string[]; want: [string, string[]][] }[] = [
    { name: 'type only', args: ['po'], want: [['pods', []]] },
    { name: 'type and names', args: ['deploy', 'a', 'b'], want: [['deployments', ['a', 'b']]] },
    { name: 'comma list', args: ['po,svc'], want: [['pods', []], ['services', []]] },
    { name: 'slash form, grouped by type', args: ['deploy/a', 'po/b', 'deployments.apps/c'], want: [['deployments', ['a', 'c']], ['pods', ['b']]] },
    { name: 'all', args: ['all'], want: [['pods', []], ['services', []], ['deployments', []], ['replicasets', []]] },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(parseResourceArgs(tc.args).map((r) => [r.res.plural, r.names])).toEqual(tc.want));
  }
  it('mixing forms is refused', () => expect(() => parseResourceArgs(['po', 'deploy/a'])).toThrow(/resource\/name form/));
  it('TYPE/ without a name is refused', () => expect(() => parseResourceArgs(['deploy/'])).toThrow(/single resource and name/));
});

describe('names', () => {
  it('parseTypeName takes one object, with a default type', () => {
    expect(parseTypeName(['deploy/web'])).toMatchObject({ name: 'web' });
    expect(parseTypeName(['mypod'], 'pods').res.plural).toBe('pods');
    expect(() => parseTypeName(['deploy', 'a', 'b'])).toThrow(/exactly one NAME/);
  });
  it('refs and qualified names follow kubectl', () => {
    expect(objectRef(resolveType('deploy'), 'web')).toBe('deployment.apps/web');
    expect(objectRef(resolveType('cm'), 'c')).toBe('configmap/c');
    expect(qualified(resolveType('deploy'))).toBe('deployments.apps');
    expect(qualified(resolveType('po'))).toBe('pods');
  });
});

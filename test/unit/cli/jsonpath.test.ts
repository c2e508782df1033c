// The kubectl JSONPath subset behind -o jsonpath= and wait --for=jsonpath.
import { describe, expect, it } from 'vitest';
import { renderJsonPath } from '../../../cli/printers/jsonpath.js';

const list = {
  kind: 'List',
  items: [
    { metadata: { name: 'a', labels: { app: 'web' } }, status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'X', status: 'False' }] }, spec: { replicas: 2 } },
    { metadata: { name: 'b', labels: { 'app.kubernetes.io/name': 'db' } }, status: { conditions: [{ type: 'Ready', status: 'False' }] }, spec: { replicas: 0 } },
  ],
};

const cases: { name: string; template: string; want: string }[] = [
  { name: 'field', template: '{.kind}', want: 'List' },
  { name: 'braces optional', template: '.kind', want: 'List' },
  { name: 'index', template: '{.items[0].metadata.name}', want: 'a' },
  { name: 'negative index', template: '{.items[-1].metadata.name}', want: 'b' },
  { name: 'wildcard joins with spaces', template: '{.items[*].metadata.name}', want: 'a b' },
  { name: 'slice', template: '{.items[0:1].metadata.name}', want: 'a' },
  { name: 'quoted key with dots', template: "{.items[1].metadata.labels['app.kubernetes.io/name']}", want: 'db' },
  { name: 'map prints as JSON', template: '{.items[0].metadata.labels}', want: '{"app":"web"}' },
  { name: 'number', template: '{.items[0].spec.replicas}', want: '2' },
  { name: 'filter', template: '{.items[0].status.conditions[?(@.type=="Ready")].status}', want: 'True' },
  { name: 'numeric filter', template: '{.items[?(@.spec.replicas>1)].metadata.name}', want: 'a' },
  { name: 'range with literal newline', template: '{range .items[*]}{.metadata.name}{"\\n"}{end}', want: 'a\nb\n' },
  { name: 'text around actions', template: 'n={.items[0].metadata.name};', want: 'n=a;' },
  { name: 'missing field is empty', template: '{.nope.deeper}', want: '' },
  { name: 'root $', template: '{$.kind}', want: 'List' },
];

describe('renderJsonPath', () => {
  for (const tc of cases) {
    it(tc.name, () => expect(renderJsonPath(tc.template, list)).toBe(tc.want));
  }
  it('rejects an unclosed action', () => expect(() => renderJsonPath('{.kind', list)).toThrow(/unclosed/));
  it('rejects range without end', () => expect(() => renderJsonPath('{range .items[*]}{.x}', list)).toThrow(/range without end/));
});

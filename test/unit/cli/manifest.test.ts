// Manifest reading for -f: documents, List kinds, and errors that name file, document and field.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandPath, parseManifestText } from '../../../cli/verbs/manifest.js';

const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('parseManifestText', () => {
  const ok: { name: string; text: string; names: string[]; docs: number[] }[] = [
    { name: 'one document', text: cm('a'), names: ['a'], docs: [1] },
    { name: 'several documents, empty ones skipped', text: `${cm('a')}---\n---\n${cm('b')}`, names: ['a', 'b'], docs: [1, 3] },
    {
      name: 'a List is expanded',
      text: 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: y}}\n',
      names: ['x', 'y'],
      docs: [1, 1],
    },
    { name: 'JSON', text: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}}', names: ['j'], docs: [1] },
  ];
  for (const tc of ok) {
    it(tc.name, () => {
      const objs = parseManifestText(tc.text, 'm.yaml');
      expect(objs.map((o) => o.obj.metadata.name)).toEqual(tc.names);
      expect(objs.map((o) => o.doc)).toEqual(tc.docs);
    });
  }

  const bad: { name: string; text: string; error: RegExp }[] = [
    { name: 'missing kind in document 2', text: `${cm('a')}---\napiVersion: v1\nmetadata: {name: b}\n`, error: /"m\.yaml" \(document 2\): kind: Required value/ },
    { name: 'missing name', text: 'apiVersion: v1\nkind: ConfigMap\n', error: /"m\.yaml" \(document 1\): metadata\.name: Required value/ },
    { name: 'missing apiVersion', text: 'kind: ConfigMap\nmetadata: {name: a}\n', error: /apiVersion: Required value/ },
    { name: 'not an object', text: '- a\n- b\n', error: /document 1\): the document is not an object/ },
    { name: 'YAML syntax error', text: `${cm('a')}---\nkind: [unclosed\n`, error: /error parsing m\.yaml \(document 2\)/ },
  ];
  for (const tc of bad) {
    it(`rejects: ${tc.name}`, () => {
      expect(() => parseManifestText(tc.text, 'm.yaml')).toThrow(tc.error);
    });
  }
});

describe('expandPath', () => {
  it('lists manifests of a directory, descending only with -R', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-manifests-'));
    try {
      mkdirSync(join(dir, 'sub'));
      for (const f of ['a.yaml', 'b.json', 'notes.txt', 'sub/c.yml']) writeFileSync(join(dir, f), cm('x'));
      expect(expandPath(dir, false)).toEqual([join(dir, 'a.yaml'), join(dir, 'b.json')]);
      expect(expandPath(dir, true)).toEqual([join(dir, 'a.yaml'), join(dir, 'b.json'), join(dir, 'sub/c.yml')]);
      expect(() => expandPath(join(dir, 'nope'), false)).toThrow(/does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { editedObject, editPatch } from '../../../cli/verbs/edit.js';
import { execQuery, exitCodeOf } from '../../../cli/verbs/exec.js';
import { parsePatch } from '../../../cli/verbs/patch.js';

describe('parsePatch', () => {
  it.each([
    ['{"spec":{"replicas":3}}', 'strategic', { spec: { replicas: 3 } }],
    ['spec: {replicas: 3}', 'merge', { spec: { replicas: 3 } }],
    ['[{"op":"replace","path":"/spec/replicas","value":2}]', 'json', [{ op: 'replace', path: '/spec/replicas', value: 2 }]],
  ] as const)('reads %s as a %s patch', (text, type, want) => {
    expect(parsePatch(text, type)).toEqual(want);
  });

  it.each([
    ['{"op":"add"}', 'json', 'a JSON patch must be a list of operations'],
    ['[1]', 'merge', 'a merge patch must be an object'],
    ['{"a": [}', 'strategic', 'unable to parse'],
  ] as const)('refuses %s as %s', (text, type, msg) => {
    expect(() => parsePatch(text, type)).toThrow(msg);
  });
});

describe('edit', () => {
  const live = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', resourceVersion: '42', labels: { app: 'web' } },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'a:1' }] } } },
  };

  it('drops comment lines and treats an empty file as cancelled', () => {
    expect(editedObject('# header\n#\n\n')).toBeUndefined();
    expect(editedObject('# header\nkind: ConfigMap\n')).toEqual({ kind: 'ConfigMap' });
    expect(() => editedObject('- a\n- b\n')).toThrow('must hold one object');
  });

  it.each([
    ['no change', live, undefined],
    [
      'a field changed',
      { ...live, spec: { ...live.spec, replicas: 3 } },
      { spec: { replicas: 3 }, metadata: { resourceVersion: '42' } },
    ],
    [
      'a label removed',
      { ...live, metadata: { name: 'web', resourceVersion: '42' } },
      { metadata: { labels: null, resourceVersion: '42' } },
    ],
    [
      'a container image changed, by merge key',
      { ...live, spec: { ...live.spec, template: { spec: { containers: [{ name: 'c', image: 'a:2' }] } } } },
      {
        spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }], containers: [{ name: 'c', image: 'a:2' }] } } },
        metadata: { resourceVersion: '42' },
      },
    ],
  ])('patch for %s', (_name, edited, want) => {
    expect(editPatch(live, edited as Record<string, unknown>, 'Deployment')).toEqual(want);
  });
});

describe('exec', () => {
  it.each([
    [{ status: 'Success' }, 0],
    [{ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '7' }] } }, 7],
    [{ status: 'Failure', reason: 'InternalError', message: 'no such container' }, undefined],
  ])('reads the exit code from %j', (status, code) => {
    expect(exitCodeOf(status)).toBe(code);
  });

  it('sends one command parameter per argument, stderr only without a tty', () => {
    expect(execQuery(['sh', '-c', 'echo a b'], 'web', {})).toBe('command=sh&command=-c&command=echo+a+b&container=web&stdout=true&stderr=true');
    expect(execQuery(['sh'], 'web', { stdin: true, tty: true })).toBe('command=sh&container=web&stdin=true&stdout=true&stderr=false&tty=true');
  });
});

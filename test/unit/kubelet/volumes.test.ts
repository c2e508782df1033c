import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigMap } from '../../../api/types/core.js';
import type { Pod } from '../../../api/types/pod.js';
import { setUpVolumes, VolumeError } from '../../../kubelet/volumes.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const pod: Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'uid-1' },
  spec: { containers: [{ name: 'a', image: 'i' }], volumes: [{ name: 'conf', configMap: { name: 'cm', defaultMode: 0o600 } }] },
};

function cm(data: Record<string, string>): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data };
}

describe('setUpVolumes (configMap)', () => {
  it('writes the keys as files, rewrites changed ones in place and removes keys that went away', () => {
    const root = mkdtempSync(join(tmpdir(), 'skiff-volumes-'));
    dirs.push(root);
    const src = (c: ConfigMap | undefined) => ({ configMap: () => c, secret: () => undefined, podIP: '', hostIP: '' });
    const dir = setUpVolumes(pod, root, src(cm({ a: '1', b: '2' }))).get('conf')!;
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o600);
    expect(setUpVolumes(pod, root, src(cm({ a: 'changed' }))).get('conf')).toBe(dir);
    expect(readdirSync(dir)).toEqual(['a']);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('changed');
    expect(() => setUpVolumes(pod, root, src(undefined))).toThrow(VolumeError);
  });
});

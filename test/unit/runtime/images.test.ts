import { describe, expect, it } from 'vitest';
import { summarizeImageConfig } from '../../../runtime/images/config.js';
import { layoutName } from '../../../runtime/images/import.js';
import { chainId, cleanEntry, parseTarListing, planWhiteouts } from '../../../runtime/images/layers.js';
import { nodePlatform, selectManifest } from '../../../runtime/images/manifest.js';
import { normalizeImageName, parseReference } from '../../../runtime/images/reference.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

describe('normalizeImageName', () => {
  it.each([
    ['bare name gets library/ and latest', 'nginx', 'docker.io/library/nginx:latest'],
    ['user repo keeps its tag', 'demo/web:v1', 'docker.io/demo/web:v1'],
    ['registry with port', 'localhost:5000/demo/web:v2', 'localhost:5000/demo/web:v2'],
    ['localhost registry without port', 'localhost/x', 'localhost/x:latest'],
    ['dotted host', 'quay.io/a/b', 'quay.io/a/b:latest'],
    ['digest only', `busybox@${D1}`, `docker.io/library/busybox@${D1}`],
    ['tag and digest', `busybox:1@${D1}`, `docker.io/library/busybox:1@${D1}`],
    ['already canonical', 'docker.io/library/nginx:1.25', 'docker.io/library/nginx:1.25'],
  ])('%s', (_name, input, want) => {
    expect(normalizeImageName(input)).toBe(want);
  });

  it.each([['empty', ''], ['upper case', 'Demo/web'], ['bad digest', 'x@sha256:abc'], ['bad tag', 'x:-y']])('refuses %s', (_n, input) => {
    expect(() => parseReference(input)).toThrow();
  });
});

describe('chainId', () => {
  it('is the diff id for one layer', () => expect(chainId([D1])).toBe(D1));
  it('hashes "chain diffid" for the next', () => {
    expect(chainId([D1, D2])).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(chainId([D1, D2])).not.toBe(chainId([D2, D1]));
  });
  it('refuses no layers', () => expect(() => chainId([])).toThrow());
});

describe('planWhiteouts', () => {
  it.each([
    ['plain files', ['bin/', 'bin/sh'], { remove: [], opaque: [] }],
    ['file whiteout', ['etc/.wh.passwd'], { remove: ['etc/passwd'], opaque: [] }],
    ['root-level whiteout with ./', ['./.wh.tmp'], { remove: ['tmp'], opaque: [] }],
    ['opaque dir', ['var/lib/.wh..wh..opq'], { remove: [], opaque: ['var/lib'] }],
    ['escaping entries are ignored', ['../.wh.x', '/../../.wh.y'], { remove: [], opaque: [] }],
    ['whiteouts naming . or .. are ignored', ['.wh...', './.wh..', 'a/.wh...', 'a/b/.wh..'], { remove: [], opaque: [] }],
    ['whiteout with .. inside the root stays inside', ['a/../b/.wh.c'], { remove: ['b/c'], opaque: [] }],
    ['opaque marker through .. is cleaned', ['a/b/../.wh..wh..opq'], { remove: [], opaque: ['a'] }],
  ])('%s', (_n, entries, want) => {
    expect(planWhiteouts(entries)).toEqual(want);
  });
  it('cleanEntry strips leading slashes and refuses ..', () => {
    expect(cleanEntry('/a/b/')).toBe('a/b');
    expect(cleanEntry('a/../../b')).toBeUndefined();
  });
});

describe('parseTarListing', () => {
  it.each([
    ['drwxr-xr-x 0/0               0 2026-11-26 04:37 "./"', { type: 'd', name: './' }],
    ['-rw-r--r-- 0/0               3 2026-11-26 04:37 "./f \\"x\\\\y"', { type: '-', name: './f "x\\y' }],
    ['hrw-r--r-- 0/0               0 2026-11-26 04:37 "./g h" link to "./f \\"x\\\\y"', { type: 'h', name: './g h', link: './f "x\\y' }],
    ['-rw-r--r-- 0/0               2 2026-11-26 04:37 "./n\\303\\251w\\nl"', { type: '-', name: './néw\nl' }],
    ['crw-r--r-- 0/0             1,3 2026-11-26 04:37 "./c"', { type: 'c', name: './c' }],
    ['lrwxrwxrwx 0/0               0 2026-11-26 04:37 "./sym" -> "g link to h"', { type: 'l', name: './sym', link: 'g link to h' }],
  ])('reads %s', (line, member) => {
    expect(parseTarListing(`${line}\n`)).toEqual([member]);
  });
});

describe('summarizeImageConfig', () => {
  it('maps the config and sorts exposed ports', () => {
    const s = summarizeImageConfig({
      config: { Entrypoint: ['/e'], Cmd: null, Env: ['A=1'], WorkingDir: '/w', User: '1000', ExposedPorts: { '9090/tcp': {}, '8080/tcp': {} }, StopSignal: 'SIGQUIT' },
    });
    expect(s).toEqual({ entrypoint: ['/e'], cmd: [], env: ['A=1'], workingDir: '/w', user: '1000', exposedPorts: ['8080/tcp', '9090/tcp'], stopSignal: 'SIGQUIT' });
  });
  it('defaults an empty config', () => {
    expect(summarizeImageConfig({})).toEqual({ entrypoint: [], cmd: [], env: [], workingDir: '', user: '', exposedPorts: [] });
  });
});

describe('selectManifest', () => {
  const m = (digest: string, architecture?: string) => ({ mediaType: 'x', digest, size: 1, ...(architecture ? { platform: { os: 'linux', architecture } } : {}) });
  it('picks the node platform', () => {
    expect(selectManifest({ schemaVersion: 2, manifests: [m(D1, 'arm64'), m(D2, 'amd64')] }, { os: 'linux', architecture: 'amd64' })?.digest).toBe(D2);
  });
  it('takes an entry without platform', () => {
    expect(selectManifest({ schemaVersion: 2, manifests: [m(D1)] })?.digest).toBe(D1);
  });
  it('finds nothing for a foreign-only index', () => {
    expect(selectManifest({ schemaVersion: 2, manifests: [m(D1, 's390x')] }, { os: 'linux', architecture: 'amd64' })).toBeUndefined();
  });
  it('maps node arch names', () => expect(nodePlatform('x64').architecture).toBe('amd64'));
});

describe('layoutName', () => {
  const e = (annotations: Record<string, string>) => ({ mediaType: 'x', digest: D1, size: 1, annotations });
  it.each([
    ['containerd full name wins', e({ 'io.containerd.image.name': 'docker.io/demo/web:v1', 'org.opencontainers.image.ref.name': 'v1' }), undefined, 'docker.io/demo/web:v1'],
    ['full ref.name', e({ 'org.opencontainers.image.ref.name': 'demo/web:v1' }), undefined, 'demo/web:v1'],
    ['bare tag plus fallback name', e({ 'org.opencontainers.image.ref.name': 'v2' }), 'demo/web', 'demo/web:v2'],
    ['bare tag, no fallback', e({ 'org.opencontainers.image.ref.name': 'v2' }), undefined, undefined],
    ['no annotations, fallback', e({}), 'x:1', 'x:1'],
  ])('%s', (_n, entry, fallback, want) => {
    expect(layoutName(entry, fallback)).toBe(want);
  });
});

// The image store with real archives: a `docker save` archive of two layers whose second layer
// deletes with whiteouts (file and opaque directory), unpacked once into a snapshot; removal; a
// layer whose hard link names a file of the layer below.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArchive } from '../../runtime/images/import.js';
import { ImageStore, listSnapshots } from '../../runtime/images/store.js';
import { connectRuntime } from '../../runtime/service/client.js';
import { startRuntimeService } from '../../runtime/service/server.js';

const dir = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-images-`));

function files(root: string, tree: Record<string, string>): void {
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

function layer(name: string, tree: Record<string, string>): { file: string; diffId: string } {
  const src = join(dir, `src-${name}`);
  files(src, tree);
  const file = join(dir, 'save', `${name}.tar`);
  execFileSync('tar', ['-cf', file, '-C', src, '.']);
  return { file: `${name}.tar`, diffId: `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}` };
}

beforeAll(() => {
  mkdirSync(join(dir, 'save'));
  const l1 = layer('l1', { 'a/x': 'x', 'a/y': 'y', 'd/z': 'z', 'keep': 'k' });
  const l2 = layer('l2', { 'a/.wh.x': '', 'd/.wh..wh..opq': '', 'd/new': 'n' });
  const config = { architecture: 'amd64', os: 'linux', config: { Cmd: ['/bin/sh'], Env: ['A=1'] }, rootfs: { type: 'layers', diff_ids: [l1.diffId, l2.diffId] } };
  writeFileSync(join(dir, 'save', 'config.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'save', 'manifest.json'), JSON.stringify([{ Config: 'config.json', RepoTags: ['test/wh:v1'], Layers: [l1.file, l2.file] }]));
  execFileSync('tar', ['-cf', join(dir, 'saved.tar'), '-C', join(dir, 'save'), '.']);

  // Hard links: the upper layer links to bin/tool, which only the lower layer holds (made by
  // archiving both names and deleting the first, as a build that added only the link would).
  mkdirSync(join(dir, 'save-hl'));
  const h1 = layer('h1', { 'bin/tool': 'payload', 'etc/keep': 'k' });
  const src = join(dir, 'src-h2');
  files(src, { 'bin/tool': 'payload' });
  linkSync(join(src, 'bin/tool'), join(src, 'bin/alias'));
  execFileSync('tar', ['-cf', join(dir, 'save', 'h2.tar'), '-C', src, './bin/tool', './bin/alias']);
  execFileSync('tar', ['--delete', '-f', join(dir, 'save', 'h2.tar'), './bin/tool']);
  const h2 = { file: 'h2.tar', diffId: `sha256:${createHash('sha256').update(readFileSync(join(dir, 'save', 'h2.tar'))).digest('hex')}` };
  for (const l of [h1, h2]) renameSync(join(dir, 'save', l.file), join(dir, 'save-hl', l.file));
  const hlConfig = { architecture: 'amd64', os: 'linux', config: { Cmd: ['/bin/tool'] }, rootfs: { type: 'layers', diff_ids: [h1.diffId, h2.diffId] } };
  writeFileSync(join(dir, 'save-hl', 'config.json'), JSON.stringify(hlConfig));
  writeFileSync(join(dir, 'save-hl', 'manifest.json'), JSON.stringify([{ Config: 'config.json', RepoTags: ['test/hardlink:v1'], Layers: [h1.file, h2.file] }]));
  execFileSync('tar', ['-cf', join(dir, 'saved-hl.tar'), '-C', join(dir, 'save-hl'), '.']);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docker save import and layer snapshots', () => {
  it('imports, applies whiteouts and unpacks once', async () => {
    const store = new ImageStore(join(dir, 'store'));
    const imported = await importArchive(store, join(dir, 'saved.tar'));
    expect(imported.map((i) => i.name)).toEqual(['test/wh:v1']);
    const img = await store.resolve('docker.io/test/wh:v1');
    expect(img?.config.config?.Cmd).toEqual(['/bin/sh']);
    const snap = await store.snapshot(img!);
    expect(readdirSync(join(snap, 'a'))).toEqual(['y']);
    expect(readdirSync(join(snap, 'd'))).toEqual(['new']);
    expect(readFileSync(join(snap, 'keep'), 'utf8')).toBe('k');
    expect(existsSync(join(snap, 'a', '.wh.x'))).toBe(false);
    expect(await store.snapshot(img!)).toBe(snap);
    expect(await listSnapshots(store.root)).toHaveLength(1);
    const api = await store.toApiImage(img!);
    expect(api.repoTags).toEqual(['docker.io/test/wh:v1']);
    expect(api.spec?.env).toEqual(['A=1']);
  });

  it('removes the image, its blobs and its snapshot; removing again is fine', async () => {
    const store = new ImageStore(join(dir, 'store2'));
    await importArchive(store, join(dir, 'saved.tar'));
    const img = (await store.resolve('test/wh:v1'))!;
    await store.snapshot(img);
    await store.remove('test/wh:v1');
    await store.remove('test/wh:v1');
    expect(await store.resolve('test/wh:v1')).toBeUndefined();
    expect(await store.list()).toEqual([]);
    expect(readdirSync(join(store.root, 'blobs', 'sha256'))).toEqual([]);
    expect(readdirSync(join(store.root, 'snapshots'))).toEqual([]);
  });

  it('imports over gRPC (ImportImage) and lists and removes through the runtime API', async () => {
    const socketPath = join(dir, 'rt.sock');
    const svc = await startRuntimeService({ root: join(dir, 'rt'), socketPath });
    const client = connectRuntime(socketPath);
    try {
      const imported = await client.importImage(join(dir, 'saved.tar'));
      expect(imported.map((i) => i.name)).toEqual(['test/wh:v1']);
      const images = await client.listImages();
      expect(images.map((i) => i.repoTags)).toEqual([['docker.io/test/wh:v1']]);
      expect((await client.imageStatus('test/wh:v1'))?.spec?.cmd).toEqual(['/bin/sh']);
      await client.removeImage('test/wh:v1');
      await client.removeImage('test/wh:v1');
      expect(await client.imageStatus('test/wh:v1')).toBeUndefined();
    } finally {
      client.close();
      await svc.stop();
    }
  });

  it('imports an image whose upper layer hard-links a file of the lower layer', async () => {
    expect(execFileSync('tar', ['-tvf', join(dir, 'save-hl', 'h2.tar')]).toString()).toMatch(/alias link to \.\/bin\/tool/);
    const store = new ImageStore(join(dir, 'store-hl'));
    await importArchive(store, join(dir, 'saved-hl.tar'));
    const img = (await store.resolve('test/hardlink:v1'))!;
    const snap = await store.snapshot(img);
    expect(readFileSync(join(snap, 'bin/alias'), 'utf8')).toBe('payload');
    expect(readFileSync(join(snap, 'bin/tool'), 'utf8')).toBe('payload');
    expect(lstatSync(join(snap, 'bin/alias')).ino).toBe(lstatSync(join(snap, 'bin/tool')).ino);
    expect(readFileSync(join(snap, 'etc/keep'), 'utf8')).toBe('k');
    expect(readdirSync(join(store.root, 'snapshots')).filter((n) => n.includes('.stage-') || n.includes('.tmp-'))).toEqual([]);
  });
});

// The image store with real archives: a `docker save` archive of two layers whose second layer
// deletes with whiteouts (file and opaque directory), unpacked once into a snapshot; removal.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
});

// Image pulls from a registry v2 server (a small one served by this test from an OCI layout built
// by hack/images/build.sh; Debian's docker-registry is not installed here), digest verification,
// bearer-token auth, and a pulled image running under runc (root only).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeCgroup } from '../../runtime/containers/cgroup-remove.js';
import { EXIT_FILE } from '../../runtime/containers/exit-record.js';
import { waitForFile } from '../../runtime/containers/wait-file.js';
import { importArchive } from '../../runtime/images/import.js';
import { pullImage } from '../../runtime/images/registry.js';
import { ImageStore } from '../../runtime/images/store.js';
import { RuncRuntime } from '../../runtime/service/runc-runtime.js';

const dir = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-registry-`));
const layout = join(dir, 'layout');
const state = { requireToken: false, corrupt: new Set<string>(), tokenRequests: 0 };
let server: Server;
let host = '';
let manifestDigest = '';
let configDigest = '';
let layerDigest = '';

function blobPath(digest: string): string {
  return join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', `http://${host}`);
  if (url.pathname === '/token') {
    state.tokenRequests++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: 't0k' }));
    return;
  }
  if (state.requireToken && req.headers.authorization !== 'Bearer t0k') {
    const challenge = `Bearer realm="http://${host}/token",service="test",scope="repository:demo/web:pull"`;
    res.writeHead(401, { 'WWW-Authenticate': challenge }).end();
    return;
  }
  const m = /^\/v2\/demo\/web\/(manifests|blobs)\/(.+)$/.exec(url.pathname);
  if (!m) return void res.writeHead(404).end();
  const digest = m[1] === 'manifests' && m[2] === 'v1' ? manifestDigest : m[2]!;
  if (!existsSync(blobPath(digest))) return void res.writeHead(404).end();
  const body = readFileSync(blobPath(digest));
  if (state.corrupt.has(digest)) body[body.length - 1] ^= 0xff;
  const type = m[1] === 'manifests' ? 'application/vnd.oci.image.manifest.v1+json' : 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type, 'Docker-Content-Digest': digest }).end(body);
}

function freshStore(): ImageStore {
  return new ImageStore(join(dir, `store-${randomBytes(4).toString('hex')}`));
}

beforeAll(async () => {
  execFileSync('sh', [join(process.cwd(), 'hack/images/build.sh'), join(dir, 'tars')], { stdio: 'ignore' });
  mkdirSync(layout);
  execFileSync('tar', ['-xf', join(dir, 'tars', 'demo-web-v1.tar'), '-C', layout]);
  manifestDigest = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')).manifests[0].digest;
  const manifest = JSON.parse(readFileSync(blobPath(manifestDigest), 'utf8'));
  configDigest = manifest.config.digest;
  layerDigest = manifest.layers[0].digest;
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('registry pulls', () => {
  it('pulls by tag and names the image with its repo digest', async () => {
    const store = freshStore();
    const progress: number[] = [];
    const id = await pullImage(store, `${host}/demo/web:v1`, { onProgress: (e) => progress.push(e.bytes) });
    expect(id).toBe(configDigest);
    const img = await store.resolve(`${host}/demo/web:v1`);
    expect(img?.manifestDigest).toBe(manifestDigest);
    const api = await store.toApiImage(img!);
    expect(api.repoTags).toEqual([`${host}/demo/web:v1`]);
    expect(api.repoDigests).toEqual([`${host}/demo/web@${manifestDigest}`]);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('pulls by digest', async () => {
    const store = freshStore();
    expect(await pullImage(store, `${host}/demo/web@${manifestDigest}`)).toBe(configDigest);
    expect(await store.resolve(`${host}/demo/web@${manifestDigest}`)).toBeDefined();
  });

  it('refuses a corrupt blob and keeps nothing of it', async () => {
    const store = freshStore();
    state.corrupt.add(layerDigest);
    try {
      await expect(pullImage(store, `${host}/demo/web:v1`)).rejects.toThrow(/digest mismatch/);
    } finally {
      state.corrupt.clear();
    }
    expect(await store.blobs.has(layerDigest)).toBe(false);
    expect(await store.resolve(`${host}/demo/web:v1`)).toBeUndefined();
    // The same store resumes: blobs that arrived are kept, the rest is fetched.
    expect(await pullImage(store, `${host}/demo/web:v1`)).toBe(configDigest);
  });

  it('refuses a manifest whose digest does not match the one asked for', async () => {
    state.corrupt.add(manifestDigest);
    try {
      await expect(pullImage(freshStore(), `${host}/demo/web@${manifestDigest}`)).rejects.toThrow(/digest mismatch/);
    } finally {
      state.corrupt.clear();
    }
  });

  it('gets an anonymous bearer token when the registry asks for one', async () => {
    state.requireToken = true;
    try {
      expect(await pullImage(freshStore(), `${host}/demo/web:v1`)).toBe(configDigest);
      expect(state.tokenRequests).toBeGreaterThan(0);
    } finally {
      state.requireToken = false;
    }
  });

  it('refuses an OCI layout archive with a corrupt blob on import', async () => {
    const bad = join(dir, 'bad-layout');
    execFileSync('cp', ['-a', layout, bad]);
    const cfg = join(bad, 'blobs', 'sha256', configDigest.slice(7));
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('VERSION=v1', 'VERSION=v9'));
    execFileSync('tar', ['-cf', join(dir, 'bad.tar'), '-C', bad, '.']);
    const store = freshStore();
    await expect(importArchive(store, join(dir, 'bad.tar'))).rejects.toThrow(/digest mismatch/);
    expect(await store.list()).toEqual([]);
  });
});

const canRun = process.getuid?.() === 0 && (existsSync('/usr/sbin/runc') || existsSync('/usr/bin/runc'));

describe.skipIf(!canRun)('a pulled image runs (skipped unless root with runc)', () => {
  it('runs a container from an image pulled by digest', async () => {
    const cgroupRoot = `/skiff-reg-${process.pid}${randomBytes(2).toString('hex')}`;
    const rt = await new RuncRuntime({ root: join(dir, 'rt'), cgroupRoot }).open();
    try {
      const image = `${host}/demo/web@${manifestDigest}`;
      expect(await rt.pullImage(image)).toBe(configDigest);
      const cfg = {
        metadata: { name: 'p', namespace: 'd', uid: 'u', attempt: 0 }, hostname: 'p', logDirectory: join(dir, 'logs'),
        portMappings: [], labels: {}, annotations: {}, hostNetwork: true,
      };
      const pod = await rt.runPodSandbox(cfg);
      const c = { metadata: { name: 'c', attempt: 0 }, image: { image }, command: ['cat', '/www/healthz'], args: [], envs: [], mounts: [], labels: {}, annotations: {}, logPath: 'c.log' };
      const id = await rt.createContainer(pod, c, cfg);
      await rt.startContainer(id);
      expect(await waitForFile(rt.containers.dir(id), EXIT_FILE, 20_000)).toBe(true);
      const st = await rt.containerStatus(id);
      expect(st.exitCode).toBe(0);
      expect(readFileSync(st.logPath, 'utf8')).toMatch(/stdout F ok$/m);
    } finally {
      for (const s of await rt.listPodSandbox()) await rt.removePodSandbox(s.id);
      await removeCgroup(cgroupRoot);
      rt.close();
    }
  });
});

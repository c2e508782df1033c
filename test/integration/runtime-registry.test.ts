// Image pulls from Debian's `docker-registry` run on loopback (its own config, port and storage
// per registry), with the demo images pushed into it by skopeo: pull by tag and by digest, an
// OCI index resolved to this node's platform, basic auth (htpasswd) and bearer tokens (the real
// registry verifying tokens signed by a token endpoint of this test), digest verification against
// blobs tampered with in the registry's storage, a failed pull resumed (also mid-blob, through a
// proxy that cuts the connection), and a pulled image running
// under runc (root only). Skipped only when docker-registry, skopeo or htpasswd is not installed.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, createSign, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeCgroup } from '../../runtime/containers/cgroup-remove.js';
import { EXIT_FILE } from '../../runtime/containers/exit-record.js';
import { waitForFile } from '../../runtime/containers/wait-file.js';
import { importArchive } from '../../runtime/images/import.js';
import { nodePlatform } from '../../runtime/images/manifest.js';
import { pullImage } from '../../runtime/images/registry.js';
import { ImageStore } from '../../runtime/images/store.js';
import { RuncRuntime } from '../../runtime/service/runc-runtime.js';

const onPath = (bin: string) => ['/usr/bin', '/usr/sbin', '/bin', '/usr/local/bin'].some((d) => existsSync(join(d, bin)));
const haveTools = onPath('docker-registry') && onPath('skopeo') && onPath('htpasswd');
const canRun = process.getuid?.() === 0 && onPath('runc');

const dir = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-registry-`));
const registries: Registry[] = [];
let tokenServer: Server | undefined;

/** A docker-registry child process serving one storage directory on 127.0.0.1. */
interface Registry {
  host: string;
  storage: string;
  child: ChildProcess;
}

type AuthSection = { htpasswd: { realm: string; path: string } } | { token: Record<string, string> };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** until retries check every 100 ms until it returns true, failing after timeoutMs. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** startRegistry writes a config of its own and serves it; a port taken meanwhile gets a retry. */
async function startRegistry(name: string, auth?: AuthSection, storage = join(dir, `storage-${name}`)): Promise<Registry> {
  mkdirSync(storage, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    const host = `127.0.0.1:${await freePort()}`;
    const config = {
      version: 0.1,
      log: { level: 'error', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: storage }, delete: { enabled: true } },
      http: { addr: host },
      ...(auth ? { auth } : {}),
    };
    const file = join(dir, `registry-${name}.yml`);
    writeFileSync(file, JSON.stringify(config)); // YAML is a superset of JSON
    const child = spawn('docker-registry', ['serve', file], { stdio: ['ignore', 'ignore', 'ignore'] });
    const reg = { host, storage, child };
    registries.push(reg);
    let exited = false;
    child.on('exit', () => (exited = true));
    try {
      await until(`registry ${name}`, async () => {
        if (exited) throw new Error(`docker-registry ${name} exited`);
        return (await fetch(`http://${host}/v2/`)).status < 500;
      });
      return reg;
    } catch (err) {
      child.kill();
      if (attempt >= 2) throw err;
    }
  }
}

/** push copies an OCI layout (archive or directory reference) into the registry with skopeo. */
function push(source: string, reg: Registry, repoTag: string, extra: string[] = []): void {
  execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', ...extra, source, `docker://${reg.host}/${repoTag}`], { stdio: 'pipe' });
}

function blobDigests(tar: string): { manifest: string; config: string; layer: string } {
  const index = JSON.parse(execFileSync('tar', ['-xOf', tar, './index.json']).toString());
  const manifest = index.manifests[0].digest as string;
  const m = JSON.parse(execFileSync('tar', ['-xOf', tar, `./blobs/sha256/${manifest.slice(7)}`]).toString());
  return { manifest, config: m.config.digest, layer: m.layers[0].digest };
}

/** registryBlob is where docker-registry's filesystem driver keeps a blob's bytes. */
function registryBlob(reg: Registry, digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return join(reg.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
}

/** flipLast flips the last byte (a layer's bytes stay a blob of the same size). */
const flipLast = (b: Buffer) => Buffer.concat([b.subarray(0, -1), Buffer.from([b.at(-1)! ^ 0xff])]);
/** respace keeps JSON valid (the registry would refuse to serve a broken manifest) but other bytes. */
const respace = (b: Buffer) => Buffer.from(b.toString().replace('{', '{ '));

/** tampered changes a blob in the registry's storage while fn runs. */
async function tampered<T>(reg: Registry, digest: string, change: (b: Buffer) => Buffer, fn: () => Promise<T>): Promise<T> {
  const file = registryBlob(reg, digest);
  const good = readFileSync(file);
  writeFileSync(file, change(good));
  try {
    return await fn();
  } finally {
    writeFileSync(file, good);
  }
}

/** multiArch builds an OCI layout whose index lists web:v2 for another platform first, web:v1 for this one. */
function multiArch(tars: string): string {
  const layout = join(dir, 'multi');
  mkdirSync(layout);
  execFileSync('tar', ['-xf', join(tars, 'demo-web-v1.tar'), '-C', layout]);
  execFileSync('tar', ['-xf', join(tars, 'demo-web-v2.tar'), '-C', layout, './blobs']);
  const v1 = blobDigests(join(tars, 'demo-web-v1.tar'));
  const v2 = blobDigests(join(tars, 'demo-web-v2.tar'));
  const here = nodePlatform();
  const other = here.architecture === 'arm64' ? 'amd64' : 'arm64';
  const entry = (digest: string, architecture: string) => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json', digest,
    size: readFileSync(join(layout, 'blobs/sha256', digest.slice(7))).length, platform: { os: 'linux', architecture },
  });
  const index = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [entry(v2.manifest, other), entry(v1.manifest, here.architecture)],
  }));
  const hex = createHash('sha256').update(index).digest('hex');
  writeFileSync(join(layout, 'blobs/sha256', hex), index);
  writeFileSync(join(layout, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${hex}`, size: index.length, annotations: { 'org.opencontainers.image.ref.name': 'multi' } }],
  }));
  return `oci:${layout}:multi`;
}

/**
 * startTokenServer answers token requests with a JWT the way a registry's token service does:
 * RS256, the signing certificate in x5c, the asked scope granted; the registry trusts the cert.
 */
async function startTokenServer(): Promise<{ realm: string; cert: string; requests: () => number }> {
  const key = join(dir, 'token.key');
  const cert = join(dir, 'token.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=skiff-test-token'], { stdio: 'ignore' });
  const x5c = new X509Certificate(readFileSync(cert)).raw.toString('base64');
  const pem = readFileSync(key);
  let requests = 0;
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  tokenServer = createHttpServer((req, res) => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://token');
    const [type, name, actions] = (url.searchParams.get('scope') ?? '').split(':');
    const now = Math.floor(Date.now() / 1000);
    const head = b64({ alg: 'RS256', typ: 'JWT', x5c: [x5c] });
    const claims = b64({
      iss: 'skiff-test', sub: '', aud: url.searchParams.get('service'), exp: now + 300, nbf: now - 10, iat: now,
      jti: randomBytes(8).toString('hex'), access: type ? [{ type, name, actions: (actions ?? '').split(',') }] : [],
    });
    const sig = createSign('RSA-SHA256').update(`${head}.${claims}`).sign(pem).toString('base64url');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: `${head}.${claims}.${sig}` }));
  });
  await new Promise<void>((resolve) => tokenServer!.listen(0, '127.0.0.1', resolve));
  const { port } = tokenServer.address() as AddressInfo;
  return { realm: `http://127.0.0.1:${port}/token`, cert, requests: () => requests };
}

/**
 * breakingProxy forwards TCP to the registry and cuts the first response to `GET <path>` after
 * `after` bytes (a connection lost mid-blob); it records the Range header of every GET of path.
 */
async function breakingProxy(target: string, path: string, after: number): Promise<{ host: string; ranges: string[]; close: () => void }> {
  const ranges: string[] = [];
  let broken = false;
  const [targetHost, targetPort] = target.split(':') as [string, string];
  const server = createNetServer((client) => {
    const upstream = connect(Number(targetPort), targetHost);
    let watching = false;
    let sent = 0;
    client.on('data', (b: Buffer) => {
      const head = b.toString('latin1');
      if (head.startsWith(`GET ${path} `)) {
        ranges.push(/\r\nrange: *([^\r]*)/i.exec(head)?.[1] ?? '');
        watching = !broken;
      }
      upstream.write(b);
    });
    upstream.on('data', (b: Buffer) => {
      sent += watching ? b.length : 0;
      if (watching && sent > after) {
        broken = true;
        client.end(b.subarray(0, b.length - (sent - after)), () => client.destroy());
        upstream.destroy();
        return;
      }
      client.write(b);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, ranges, close: () => server.close() };
}

function freshStore(): ImageStore {
  return new ImageStore(join(dir, `store-${randomBytes(4).toString('hex')}`));
}

const tars = join(dir, 'tars');
let open: Registry;
let basic: Registry;
let bearer: Registry;
let tokens: Awaited<ReturnType<typeof startTokenServer>>;
let web: ReturnType<typeof blobDigests>;
let indexDigest = '';

describe.skipIf(!haveTools)('pulls from docker-registry on loopback (skipped unless docker-registry, skopeo and htpasswd are installed)', () => {
  beforeAll(async () => {
    execFileSync('sh', [join(process.cwd(), 'hack/images/build.sh'), tars], { stdio: 'ignore' });
    web = blobDigests(join(tars, 'demo-web-v1.tar'));
    const htpasswd = join(dir, 'htpasswd');
    writeFileSync(htpasswd, execFileSync('htpasswd', ['-Bbn', 'skiff', 's3cret']));
    tokens = await startTokenServer();
    [open, basic, bearer] = await Promise.all([
      startRegistry('open'),
      startRegistry('basic', { htpasswd: { realm: 'skiff-test', path: htpasswd } }),
      startRegistry('bearer', { token: { realm: tokens.realm, service: 'skiff-registry', issuer: 'skiff-test', rootcertbundle: tokens.cert } }),
    ]);
    const v1 = `oci-archive:${join(tars, 'demo-web-v1.tar')}`;
    push(v1, open, 'demo/web:v1');
    push(multiArch(tars), open, 'demo/multi:v1', ['--all']);
    indexDigest = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${open.host}/demo/multi:v1`]).toString();
    indexDigest = `sha256:${createHash('sha256').update(indexDigest).digest('hex')}`;
    push(v1, basic, 'demo/web:v1', ['--dest-creds', 'skiff:s3cret']);
    // The bearer registry shares no token with skopeo: push into its storage through an open twin.
    const twin = await startRegistry('bearer-twin', undefined, bearer.storage);
    push(v1, twin, 'demo/web:v1');
    twin.child.kill();
  }, 120_000);

  afterAll(async () => {
    for (const r of registries) r.child.kill();
    await new Promise((resolve) => (tokenServer ? tokenServer.close(resolve) : resolve(undefined)));
  });

  it('pulls by tag and names the image with its repo digest', async () => {
    const store = freshStore();
    const progress: number[] = [];
    const id = await pullImage(store, `${open.host}/demo/web:v1`, { onProgress: (e) => progress.push(e.bytes) });
    expect(id).toBe(web.config);
    const img = await store.resolve(`${open.host}/demo/web:v1`);
    expect(img?.manifestDigest).toBe(web.manifest);
    const api = await store.toApiImage(img!);
    expect(api.repoTags).toEqual([`${open.host}/demo/web:v1`]);
    expect(api.repoDigests).toEqual([`${open.host}/demo/web@${web.manifest}`]);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('pulls by digest', async () => {
    const store = freshStore();
    expect(await pullImage(store, `${open.host}/demo/web@${web.manifest}`)).toBe(web.config);
    expect(await store.resolve(`${open.host}/demo/web@${web.manifest}`)).toBeDefined();
  });

  it("resolves an OCI index to this node's platform (its entry is not the first)", async () => {
    const store = freshStore();
    expect(await pullImage(store, `${open.host}/demo/multi:v1`)).toBe(web.config);
    expect((await store.resolve(`${open.host}/demo/multi:v1`))?.manifestDigest).toBe(web.manifest);
    expect(await pullImage(freshStore(), `${open.host}/demo/multi@${indexDigest}`)).toBe(web.config);
  });

  it('refuses a corrupt layer, keeps nothing of it, and a later pull resumes with what arrived', async () => {
    const store = freshStore();
    const fetched: string[] = [];
    const opts = { concurrency: 1, onProgress: (e: { digest: string }) => fetched.push(e.digest) };
    await tampered(open, web.layer, flipLast, async () => {
      await expect(pullImage(store, `${open.host}/demo/web:v1`, opts)).rejects.toThrow(/digest mismatch/);
    });
    expect(await store.blobs.has(web.layer)).toBe(false);
    expect(await store.blobs.has(web.config)).toBe(true);
    expect(await store.resolve(`${open.host}/demo/web:v1`)).toBeUndefined();
    fetched.length = 0;
    expect(await pullImage(store, `${open.host}/demo/web:v1`, opts)).toBe(web.config);
    expect(new Set(fetched)).toEqual(new Set([web.layer]));
  });

  it('continues a blob whose download broke from the bytes that arrived (HTTP range request)', async () => {
    const proxy = await breakingProxy(open.host, `/v2/demo/web/blobs/${web.layer}`, 100_000);
    try {
      const store = freshStore();
      const image = `${proxy.host}/demo/web:v1`;
      await expect(pullImage(store, image, { concurrency: 1 })).rejects.toThrow();
      const partial = join(store.root, 'blobs', `.partial-${web.layer.slice('sha256:'.length)}`);
      const kept = statSync(partial).size;
      expect(kept).toBeGreaterThan(0);
      expect(await pullImage(store, image, { concurrency: 1 })).toBe(web.config);
      expect(proxy.ranges).toEqual(['', `bytes=${kept}-`]);
      expect(existsSync(partial)).toBe(false);
      expect(await store.blobs.has(web.layer)).toBe(true);
    } finally {
      proxy.close();
    }
  });

  it('refuses a manifest whose bytes do not match the digest asked for', async () => {
    await tampered(open, web.manifest, respace, async () => {
      await expect(pullImage(freshStore(), `${open.host}/demo/web@${web.manifest}`)).rejects.toThrow(/digest mismatch/);
    });
  });

  it('uses basic credentials when the registry asks, and fails without or with wrong ones', async () => {
    const image = `${basic.host}/demo/web:v1`;
    expect(await pullImage(freshStore(), image, { auth: { username: 'skiff', password: 's3cret' } })).toBe(web.config);
    await expect(pullImage(freshStore(), image)).rejects.toThrow(/credentials required/);
    await expect(pullImage(freshStore(), image, { auth: { username: 'skiff', password: 'nope' } })).rejects.toThrow(/401/);
  });

  it('gets a bearer token from the realm the registry names, and the registry accepts it', async () => {
    const before = tokens.requests();
    expect(await pullImage(freshStore(), `${bearer.host}/demo/web:v1`)).toBe(web.config);
    expect(tokens.requests()).toBeGreaterThan(before);
    await expect(pullImage(freshStore(), `${bearer.host}/demo/web:v1`, { auth: { registryToken: 'not-a-jwt' } })).rejects.toThrow(/401/);
  });

  describe.skipIf(!canRun)('a pulled image runs under runc (skipped unless root with runc)', () => {
    const cgroupRoot = `/skiff-reg-${process.pid}${randomBytes(2).toString('hex')}`;
    let rt: RuncRuntime;
    beforeAll(async () => {
      rt = await new RuncRuntime({ root: join(dir, 'rt'), cgroupRoot }).open();
    });
    afterAll(async () => {
      for (const s of await rt.listPodSandbox()) await rt.removePodSandbox(s.id);
      await removeCgroup(cgroupRoot);
      await rt.close();
    });

    it.each([
      ['tag', () => `${open.host}/demo/web:v1`],
      ['digest', () => `${open.host}/demo/web@${web.manifest}`],
    ])('runs a container from an image pulled by %s', async (_how, name) => {
      const image = name();
      expect(await rt.pullImage(image)).toBe(web.config);
      const cfg = {
        metadata: { name: `p-${_how}`, namespace: 'd', uid: `u-${_how}`, attempt: 0 }, hostname: 'p', logDirectory: join(dir, 'logs'),
        portMappings: [], labels: {}, annotations: {}, hostNetwork: true,
      };
      const pod = await rt.runPodSandbox(cfg);
      const c = { metadata: { name: 'c', attempt: 0 }, image: { image }, command: ['cat', '/www/healthz'], args: [], envs: [], mounts: [], labels: {}, annotations: {}, logPath: `c-${_how}.log` };
      const id = await rt.createContainer(pod, c, cfg);
      await rt.startContainer(id);
      expect(await waitForFile(rt.containers.dir(id), EXIT_FILE, 20_000)).toBe(true);
      const st = await rt.containerStatus(id);
      expect(st.exitCode).toBe(0);
      expect(readFileSync(st.logPath, 'utf8')).toMatch(/stdout F ok$/m);
    });
  });
});

describe('OCI layout archives', () => {
  it('refuses an archive with a corrupt blob on import', async () => {
    const src = join(dir, 'import-tars');
    execFileSync('sh', [join(process.cwd(), 'hack/images/build.sh'), src], { stdio: 'ignore' });
    const bad = join(dir, 'bad-layout');
    mkdirSync(bad);
    execFileSync('tar', ['-xf', join(src, 'demo-web-v1.tar'), '-C', bad]);
    const { config } = blobDigests(join(src, 'demo-web-v1.tar'));
    const cfg = join(bad, 'blobs', 'sha256', config.slice(7));
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('VERSION=v1', 'VERSION=v9'));
    execFileSync('tar', ['-cf', join(dir, 'bad.tar'), '-C', bad, '.']);
    const store = freshStore();
    await expect(importArchive(store, join(dir, 'bad.tar'))).rejects.toThrow(/digest mismatch/);
    expect(await store.list()).toEqual([]);
  });
});

afterAll(() => {
  for (const r of registries) r.child.kill();
  rmSync(dir, { recursive: true, force: true });
});

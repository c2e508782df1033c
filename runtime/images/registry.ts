// Pulls an image from an OCI distribution (registry v2) server into the store: the manifest by
// tag or digest (an index resolved to this platform), then the config and layers, several at a
// time, each verified against its digest before it enters the store. Blobs already in the store
// are not fetched again, and a blob whose download broke continues from the bytes that arrived
// (an HTTP range request), so a pull that failed half-way resumes where it stopped.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { AuthConfig } from '../api.js';
import { isIndex, MEDIA_DOCKER_LIST, MEDIA_DOCKER_MANIFEST, MEDIA_OCI_INDEX, MEDIA_OCI_MANIFEST, selectManifest, type Descriptor, type ImageIndex, type ImageManifest } from './manifest.js';
import { formatReference, parseReference, type ImageReference } from './reference.js';
import { basicCredentials, parseChallenge, tokenUrl } from './registry-auth.js';
import type { ImageStore } from './store.js';

/** PullOptions tune a pull. */
export interface PullOptions {
  auth?: AuthConfig;
  /** Registries spoken to over plain HTTP (localhost and 127.0.0.1 always are). */
  insecureRegistries?: string[];
  /** Parallel blob downloads (default 3). */
  concurrency?: number;
  onProgress?: (event: { digest: string; bytes: number; total: number }) => void;
}

const ACCEPT = [MEDIA_OCI_INDEX, MEDIA_OCI_MANIFEST, MEDIA_DOCKER_LIST, MEDIA_DOCKER_MANIFEST].join(', ');

/** pullImage pulls name into the store and returns the image id (config digest). */
export async function pullImage(store: ImageStore, name: string, opts: PullOptions = {}): Promise<string> {
  const ref = parseReference(name);
  const reg = new RegistryClient(ref, opts);
  const top = await reg.manifest(ref.digest ?? ref.tag ?? 'latest', ref.digest);
  let manifestBytes = top.bytes;
  let manifestDigest = top.digest;
  const doc = JSON.parse(top.bytes.toString()) as ImageManifest | ImageIndex;
  if (isIndex(doc)) {
    const chosen = selectManifest(doc);
    if (!chosen) throw new Error(`${name}: no image for this platform`);
    const m = await reg.manifest(chosen.digest, chosen.digest);
    manifestBytes = m.bytes;
    manifestDigest = m.digest;
  }
  const manifest = JSON.parse(manifestBytes.toString()) as ImageManifest;
  await runLimited([manifest.config, ...manifest.layers], opts.concurrency ?? 3, (d) => reg.blob(store, d));
  await store.blobs.put(Readable.from([manifestBytes]), manifestDigest);
  await store.tag(formatReference(ref), manifestDigest);
  return manifest.config.digest;
}

/** RegistryClient speaks to one repository of one registry, keeping the auth it negotiated. */
class RegistryClient {
  private authHeader?: string;
  private readonly base: string;

  constructor(
    private readonly ref: ImageReference,
    private readonly opts: PullOptions,
  ) {
    const host = ref.registry === 'docker.io' ? 'registry-1.docker.io' : ref.registry;
    const insecure = /^(localhost|127\.0\.0\.1)(:|$)/.test(host) || (opts.insecureRegistries ?? []).includes(host);
    this.base = `${insecure ? 'http' : 'https'}://${host}/v2/${ref.repository}`;
  }

  /** manifest fetches a manifest, verified when its digest is known in advance. */
  async manifest(reference: string, expected?: string): Promise<{ bytes: Buffer; digest: string }> {
    const res = await this.get(`${this.base}/manifests/${reference}`, { Accept: ACCEPT });
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (expected && digest !== expected) throw new Error(`manifest digest mismatch: expected ${expected}, got ${digest}`);
    return { bytes, digest };
  }

  /** blob downloads one blob into the store unless it is there, resuming a broken download. */
  async blob(store: ImageStore, d: Descriptor): Promise<void> {
    if (await store.blobs.has(d.digest)) return;
    const open = async (offset: number) => {
      const res = await this.get(`${this.base}/blobs/${d.digest}`, offset > 0 ? { Range: `bytes=${offset}-` } : {});
      if (!res.body) throw new Error(`blob ${d.digest}: empty response`);
      // 206 from where we asked, or the whole blob again.
      const resumed = res.status === 206 && (res.headers.get('content-range') ?? '').startsWith(`bytes ${offset}-`);
      return { body: Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), offset: resumed ? offset : 0 };
    };
    await store.blobs.putResumable(d.digest, open, (bytes) => this.opts.onProgress?.({ digest: d.digest, bytes, total: d.size }));
  }

  private async get(url: string, headers: Record<string, string>): Promise<Response> {
    let res = await fetch(url, { headers: this.headers(headers) });
    if (res.status === 401 && !this.authHeader) {
      await res.body?.cancel();
      await this.authenticate(res.headers.get('www-authenticate'));
      res = await fetch(url, { headers: this.headers(headers) });
    }
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${res.statusText}`);
    return res;
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return this.authHeader ? { ...extra, Authorization: this.authHeader } : extra;
  }

  private async authenticate(header: string | null): Promise<void> {
    const ch = parseChallenge(header);
    const basic = basicCredentials(this.opts.auth);
    if (!ch) throw new Error(`${this.ref.registry}: unauthorized without a challenge`);
    if (ch.scheme === 'basic') {
      if (!basic) throw new Error(`${this.ref.registry}: credentials required`);
      this.authHeader = `Basic ${basic}`;
      return;
    }
    if (this.opts.auth?.registryToken) {
      this.authHeader = `Bearer ${this.opts.auth.registryToken}`;
      return;
    }
    const res = await fetch(tokenUrl(ch, this.ref.repository), { headers: basic ? { Authorization: `Basic ${basic}` } : {} });
    if (!res.ok) throw new Error(`token from ${ch.params.realm}: ${res.status}`);
    const body = (await res.json()) as { token?: string; access_token?: string };
    this.authHeader = `Bearer ${body.token ?? body.access_token ?? ''}`;
  }
}

/** runLimited runs fn over items with at most `limit` in flight; the first failure rejects. */
async function runLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

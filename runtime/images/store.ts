// The image store: blobs by digest, names (refs.json: normalised name -> manifest digest) and
// snapshots (each image's layers unpacked once, keyed by chain id, shared by every container of
// that image as the overlayfs lower layer). Writes to refs.json are serialised in this process.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Image } from '../api.js';
import { BlobStore } from './blobs.js';
import { summarizeImageConfig, type OciImageConfig } from './config.js';
import { chainId } from './layers.js';
import type { ImageManifest } from './manifest.js';
import { normalizeImageName, parseReference, repoName } from './reference.js';
import { applyLayer } from './unpack.js';

/** StoredImage is an image the store holds, with its manifest and config read. */
export interface StoredImage {
  /** The config digest, as CRI's image id. */
  id: string;
  manifestDigest: string;
  manifest: ImageManifest;
  config: OciImageConfig;
  names: string[];
}

/** ImageStore keeps images under root (blobs/, refs.json, snapshots/). */
export class ImageStore {
  readonly blobs: BlobStore;
  private lock: Promise<unknown> = Promise.resolve();
  private unpacking = new Map<string, Promise<string>>();
  /** Manifests and configs read so far: blobs never change, so their parsed form is kept. */
  private parsed = new Map<string, { manifest: ImageManifest; config: OciImageConfig }>();
  /** Snapshot directories known complete (their .done marker seen or written by this process). */
  private unpacked = new Set<string>();

  constructor(readonly root: string) {
    this.blobs = new BlobStore(root);
  }

  /** tag points name (normalised) at a manifest already in the blob store. */
  async tag(name: string, manifestDigest: string): Promise<void> {
    const key = normalizeImageName(name);
    await this.updateRefs((refs) => ({ ...refs, [key]: manifestDigest }));
  }

  /** resolve finds an image by name, by image id (config digest) or by manifest digest. */
  async resolve(name: string): Promise<StoredImage | undefined> {
    const refs = await this.readRefs();
    const digest = refs[tryNormalize(name) ?? ''] ?? this.byDigest(refs, name);
    if (digest) return this.load(digest, refs);
    for (const d of new Set(Object.values(refs))) {
      const img = await this.load(d, refs);
      if (img.id === name || img.id === `sha256:${name}`) return img;
    }
    return undefined;
  }

  async list(): Promise<StoredImage[]> {
    const refs = await this.readRefs();
    return Promise.all([...new Set(Object.values(refs))].map((d) => this.load(d, refs)));
  }

  /** remove drops every name of the image and its blobs and snapshot; absent is not an error. */
  async remove(name: string): Promise<void> {
    const img = await this.resolve(name);
    if (!img) return;
    await this.updateRefs((refs) => Object.fromEntries(Object.entries(refs).filter(([, d]) => d !== img.manifestDigest)));
    const stillUsed = new Set<string>();
    for (const other of await this.list()) {
      for (const l of other.manifest.layers) stillUsed.add(l.digest);
      stillUsed.add(snapshotKey(other));
    }
    for (const l of img.manifest.layers) if (!stillUsed.has(l.digest)) await this.blobs.remove(l.digest);
    await this.blobs.remove(img.manifest.config.digest);
    await this.blobs.remove(img.manifestDigest);
    this.parsed.delete(img.manifestDigest);
    if (!stillUsed.has(snapshotKey(img))) {
      this.unpacked.delete(this.snapshotPath(img));
      await rm(`${this.snapshotPath(img)}.done`, { force: true });
      await rm(this.snapshotPath(img), { recursive: true, force: true });
    }
  }

  /** snapshot returns the unpacked root filesystem of the image, unpacking it on first use. */
  async snapshot(img: StoredImage): Promise<string> {
    const dir = this.snapshotPath(img);
    if (this.unpacked.has(dir)) return dir;
    const done = await readFile(`${dir}.done`).then(() => true, () => false);
    if (done) {
      this.unpacked.add(dir);
      return dir;
    }
    let pending = this.unpacking.get(dir);
    if (!pending) {
      pending = this.unpack(img, dir).finally(() => this.unpacking.delete(dir));
      this.unpacking.set(dir, pending);
    }
    return pending;
  }

  /** toApiImage is the CRI view of a stored image. */
  async toApiImage(img: StoredImage): Promise<Image> {
    const size = img.manifest.layers.reduce((n, l) => n + l.size, 0) + img.manifest.config.size;
    const repoDigests = [...new Set(img.names.map((n) => `${repoName(parseReference(n))}@${img.manifestDigest}`))];
    return {
      id: img.id,
      repoTags: img.names.filter((n) => !n.includes('@')),
      repoDigests,
      size,
      spec: summarizeImageConfig(img.config),
    };
  }

  private snapshotPath(img: StoredImage): string {
    return join(this.root, 'snapshots', snapshotKey(img));
  }

  private async unpack(img: StoredImage, dir: string): Promise<string> {
    const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
    await mkdir(tmp, { recursive: true });
    try {
      for (const layer of img.manifest.layers) await applyLayer(this.blobs.path(layer.digest), tmp);
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
      await writeFile(`${dir}.done`, ''); // marks the unpack complete
      this.unpacked.add(dir);
      return dir;
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  private byDigest(refs: Record<string, string>, name: string): string | undefined {
    const digest = name.includes('@') ? name.slice(name.indexOf('@') + 1) : name;
    return Object.values(refs).find((d) => d === digest);
  }

  private async load(manifestDigest: string, refs: Record<string, string>): Promise<StoredImage> {
    let parsed = this.parsed.get(manifestDigest);
    if (!parsed) {
      const manifest = await this.blobs.readJson<ImageManifest>(manifestDigest);
      parsed = { manifest, config: await this.blobs.readJson<OciImageConfig>(manifest.config.digest) };
      this.parsed.set(manifestDigest, parsed);
    }
    const { manifest, config } = parsed;
    const names = Object.entries(refs).filter(([, d]) => d === manifestDigest).map(([n]) => n).sort();
    return { id: manifest.config.digest, manifestDigest, manifest, config, names };
  }

  private async readRefs(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(join(this.root, 'refs.json'), 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private updateRefs(change: (refs: Record<string, string>) => Record<string, string>): Promise<void> {
    const next = this.lock.then(async () => {
      const refs = change(await this.readRefs());
      await mkdir(this.root, { recursive: true });
      const tmp = join(this.root, `.refs-${randomBytes(4).toString('hex')}`);
      await writeFile(tmp, JSON.stringify(refs, null, 2));
      await rename(tmp, join(this.root, 'refs.json'));
    });
    this.lock = next.catch(() => undefined);
    return next;
  }
}

/** snapshotKey is the hex of the image's chain id. */
function snapshotKey(img: StoredImage): string {
  const diffIds = img.config.rootfs?.diff_ids ?? img.manifest.layers.map((l) => l.digest);
  return chainId(diffIds).slice('sha256:'.length);
}

function tryNormalize(name: string): string | undefined {
  try {
    return normalizeImageName(name);
  } catch {
    return undefined;
  }
}

/** listSnapshots names the snapshot directories on disk (for tests and garbage collection). */
export async function listSnapshots(root: string): Promise<string[]> {
  return (await readdir(join(root, 'snapshots')).catch(() => [] as string[])).filter((n) => !n.includes('.'));
}

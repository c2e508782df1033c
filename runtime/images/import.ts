// Import of image archives into the store: an OCI image layout tarball (index.json + blobs/) or a
// `docker save` archive (manifest.json + layer tars), extracted by the system tar into a temp dir.
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runOk } from '../exec/run.js';
import {
  isIndex,
  MEDIA_OCI_CONFIG,
  MEDIA_OCI_LAYER,
  MEDIA_OCI_MANIFEST,
  selectManifest,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
} from './manifest.js';
import type { ImageStore } from './store.js';

/** ImportedImage is one name an archive brought in. */
export interface ImportedImage {
  name: string;
  manifestDigest: string;
}

/** importArchive loads every image in the archive file; `name` names an unnamed one. */
export async function importArchive(store: ImageStore, file: string, name?: string): Promise<ImportedImage[]> {
  const dir = join(store.root, `.import-${randomBytes(6).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  try {
    await runOk('tar', ['-xf', file, '-C', dir, '--no-same-owner']);
    if (await exists(join(dir, 'index.json'))) return await importOciLayout(store, dir, name);
    if (await exists(join(dir, 'manifest.json'))) return await importDockerSave(store, dir);
    throw new Error(`${file}: neither an OCI image layout nor a docker save archive`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function importOciLayout(store: ImageStore, dir: string, name?: string): Promise<ImportedImage[]> {
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as ImageIndex;
  const blob = (d: Descriptor) => join(dir, 'blobs', ...d.digest.split(':'));
  const out: ImportedImage[] = [];
  for (const entry of index.manifests) {
    const imageName = layoutName(entry, name);
    if (!imageName) throw new Error(`image ${entry.digest} has no name: pass one`);
    const manifestDigest = await copyImage(store, entry, blob);
    await store.tag(imageName, manifestDigest);
    out.push({ name: imageName, manifestDigest });
  }
  return out;
}

/** copyImage copies a manifest (resolving an index to this platform) and its blobs, verified. */
async function copyImage(store: ImageStore, entry: Descriptor, blob: (d: Descriptor) => string): Promise<string> {
  const doc = JSON.parse(await readFile(blob(entry), 'utf8')) as ImageManifest | ImageIndex;
  if (isIndex(doc)) {
    const chosen = selectManifest(doc);
    if (!chosen) throw new Error(`index ${entry.digest} has no image for this platform`);
    return copyImage(store, chosen, blob);
  }
  for (const d of [doc.config, ...doc.layers]) await store.blobs.putFile(blob(d), d.digest);
  return store.blobs.putFile(blob(entry), entry.digest);
}

/**
 * layoutName reads the image name from a layout's index entry: containerd's full-name annotation,
 * else org.opencontainers.image.ref.name when it is a full name, else `fallback` (plus the
 * ref.name as tag when that is a bare tag).
 */
export function layoutName(entry: Descriptor, fallback?: string): string | undefined {
  const a = entry.annotations ?? {};
  if (a['io.containerd.image.name']) return a['io.containerd.image.name'];
  const ref = a['org.opencontainers.image.ref.name'];
  if (ref && /[/:]/.test(ref)) return ref;
  if (fallback && ref && !/:[^/]*$/.test(fallback)) return `${fallback}:${ref}`;
  return fallback;
}

interface DockerSaveEntry {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

async function importDockerSave(store: ImageStore, dir: string): Promise<ImportedImage[]> {
  const entries = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DockerSaveEntry[];
  const out: ImportedImage[] = [];
  for (const e of entries) {
    const config = await describe(store, join(dir, e.Config), MEDIA_OCI_CONFIG);
    const layers: Descriptor[] = [];
    for (const l of e.Layers) layers.push(await describe(store, join(dir, l), MEDIA_OCI_LAYER));
    const manifest: ImageManifest = { schemaVersion: 2, mediaType: MEDIA_OCI_MANIFEST, config, layers };
    const manifestDigest = await store.blobs.putBytes(JSON.stringify(manifest));
    for (const tag of e.RepoTags ?? []) {
      await store.tag(tag, manifestDigest);
      out.push({ name: tag, manifestDigest });
    }
  }
  return out;
}

async function describe(store: ImageStore, file: string, mediaType: string): Promise<Descriptor> {
  const digest = await store.blobs.putFile(file);
  return { mediaType, digest, size: (await stat(file)).size };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

// Pod volumes on the node's disk: configMap, secret, downwardAPI and projected volumes are
// written as files under <root>/pods/<uid>/volumes/<plugin>/<name> (and rewritten on every
// sync, so a changed ConfigMap shows up in place); emptyDir is a directory there; hostPath is
// the host's path. The pure part (volumeFiles) decides the files; writeVolumes does the I/O.

import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ConfigMap, Secret } from '../api/types/core.js';
import type { Container, KeyToPath, Pod, Volume, DownwardAPIVolumeFile } from '../api/types/pod.js';
import type { Mount } from '../runtime/api.js';
import { fieldRefValue } from './env.js';

/** VolumeError: a volume cannot be set up yet (missing ConfigMap/Secret): FailedMount, retried. */
export class VolumeError extends Error {
  override readonly name = 'VolumeError';
}

/** ProjectedSource is core/v1 VolumeProjection (api/types has no projected volume type yet). */
interface ProjectedSource {
  configMap?: { name?: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { name?: string; items?: KeyToPath[]; optional?: boolean };
  downwardAPI?: { items?: DownwardAPIVolumeFile[] };
}
type VolumeWithProjected = Volume & { projected?: { sources?: ProjectedSource[]; defaultMode?: number } };

/** VolumeSources are the objects volumes are built from. */
export interface VolumeSources {
  configMap(name: string): ConfigMap | undefined;
  secret(name: string): Secret | undefined;
  podIP: string;
  hostIP: string;
}

/** VolumeFile is one file of a file-backed volume. */
export interface VolumeFile {
  path: string;
  content: Buffer;
  mode: number;
}

/** referencedVolumeObjects lists the ConfigMaps and Secrets the pod's volumes need. */
export function referencedVolumeObjects(pod: Pod): { configMaps: string[]; secrets: string[] } {
  const configMaps: string[] = [];
  const secrets: string[] = [];
  for (const v of (pod.spec.volumes ?? []) as VolumeWithProjected[]) {
    if (v.configMap?.name) configMaps.push(v.configMap.name);
    if (v.secret?.secretName) secrets.push(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) configMaps.push(s.configMap.name);
      if (s.secret?.name) secrets.push(s.secret.name);
    }
  }
  return { configMaps, secrets };
}

/** volumeFiles decides the files of a file-backed volume; undefined for other kinds. */
export function volumeFiles(pod: Pod, v: VolumeWithProjected, src: VolumeSources): VolumeFile[] | undefined {
  if (v.configMap) return configMapFiles(v.configMap, src, v.configMap.defaultMode ?? 0o644);
  if (v.secret) return secretFiles({ ...v.secret, name: v.secret.secretName }, src, v.secret.defaultMode ?? 0o644);
  if (v.downwardAPI) return downwardFiles(pod, v.downwardAPI.items ?? [], src, v.downwardAPI.defaultMode ?? 0o644);
  if (v.projected) {
    const mode = v.projected.defaultMode ?? 0o644;
    return (v.projected.sources ?? []).flatMap((s) => {
      if (s.configMap) return configMapFiles(s.configMap, src, mode);
      if (s.secret) return secretFiles(s.secret, src, mode);
      if (s.downwardAPI) return downwardFiles(pod, s.downwardAPI.items ?? [], src, mode);
      return [];
    });
  }
  return undefined;
}

function configMapFiles(ref: { name?: string; items?: KeyToPath[]; optional?: boolean }, src: VolumeSources, mode: number): VolumeFile[] {
  const cm = src.configMap(ref.name ?? '');
  if (!cm) return missing(ref.optional, `configmap "${ref.name}" not found`);
  const data = new Map<string, Buffer>(Object.entries(cm.data ?? {}).map(([k, v]) => [k, Buffer.from(v)]));
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) data.set(k, Buffer.from(v, 'base64'));
  return keyFiles(data, ref, mode, `configmap "${ref.name}"`);
}

function secretFiles(ref: { name?: string; items?: KeyToPath[]; optional?: boolean }, src: VolumeSources, mode: number): VolumeFile[] {
  const s = src.secret(ref.name ?? '');
  if (!s) return missing(ref.optional, `secret "${ref.name}" not found`);
  const data = new Map<string, Buffer>(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
  return keyFiles(data, ref, mode, `secret "${ref.name}"`);
}

function keyFiles(data: Map<string, Buffer>, ref: { items?: KeyToPath[]; optional?: boolean }, mode: number, what: string): VolumeFile[] {
  if (!ref.items) return [...data].map(([path, content]) => ({ path, content, mode }));
  return ref.items.flatMap((it) => {
    const content = data.get(it.key);
    if (!content) return missing(ref.optional, `configuration key ${it.key} not found in ${what}`);
    return [{ path: it.path, content, mode: it.mode ?? mode }];
  });
}

function downwardFiles(pod: Pod, items: DownwardAPIVolumeFile[], src: VolumeSources, mode: number): VolumeFile[] {
  return items.filter((i) => i.fieldRef).map((i) => ({
    path: i.path,
    content: Buffer.from(fieldRefValue(pod, i.fieldRef?.fieldPath ?? '', src)),
    mode: i.mode ?? mode,
  }));
}

function missing(optional: boolean | undefined, message: string): VolumeFile[] {
  if (optional) return [];
  throw new VolumeError(message);
}

/** podVolumeDir is where a pod's volumes live on the node. */
export function podVolumeDir(root: string, uid: string): string {
  return join(root, 'pods', uid, 'volumes');
}

/** setUpVolumes writes every volume and returns the host path of each by name. */
export function setUpVolumes(pod: Pod, root: string, src: VolumeSources): Map<string, string> {
  const paths = new Map<string, string>();
  const base = podVolumeDir(root, pod.metadata.uid ?? '');
  for (const v of (pod.spec.volumes ?? []) as VolumeWithProjected[]) {
    if (v.hostPath) {
      if (v.hostPath.type === 'DirectoryOrCreate') mkdirSync(v.hostPath.path, { recursive: true });
      paths.set(v.name, v.hostPath.path);
      continue;
    }
    const files = volumeFiles(pod, v, src);
    const dir = join(base, files ? 'files' : 'empty-dir', v.name);
    mkdirSync(dir, { recursive: true });
    if (files) writeFiles(dir, files);
    paths.set(v.name, dir);
  }
  return paths;
}

/** writeFiles rewrites only the files whose content changed, each by an atomic rename, and removes files no longer wanted. */
function writeFiles(dir: string, files: VolumeFile[]): void {
  const wanted = new Set(files.map((f) => join(dir, f.path)));
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && !wanted.has(path)) rmSync(path, { force: true });
  }
  for (const f of files) {
    const target = join(dir, f.path);
    if (existsSync(target) && readFileSync(target).equals(f.content)) continue;
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}`;
    writeFileSync(tmp, f.content);
    chmodSync(tmp, f.mode);
    renameSync(tmp, target);
  }
}

/** tearDownVolumes removes the pod's volume directory (hostPath volumes are left alone). */
export function tearDownVolumes(root: string, uid: string): void {
  rmSync(join(root, 'pods', uid), { recursive: true, force: true });
}

/** containerMounts maps the container's volumeMounts onto host paths. */
export function containerMounts(c: Container, paths: ReadonlyMap<string, string>): Mount[] {
  return (c.volumeMounts ?? []).flatMap((m) => {
    const host = paths.get(m.name);
    if (!host) return [];
    return [{ containerPath: m.mountPath, hostPath: m.subPath ? join(host, m.subPath) : host, readonly: m.readOnly ?? false }];
  });
}

// Maps a manifest object to its resource, namespace and name, with kubectl's errors.

import type { KubeObject } from '../../api/meta.js';
import { resourceForKind, type ResourceInfo } from '../../api/registry.js';
import { readAll } from '../io.js';
import { CliError } from './errors.js';
import { readManifests, type ManifestObject } from './manifest.js';
import type { Session } from './session.js';

/** Target is where a manifest object lives on the server. */
export interface Target {
  res: ResourceInfo;
  ns: string | undefined;
  name: string;
  obj: KubeObject;
  source: string;
}

/** FileOptions are the -f / -R flags shared by apply, create, replace and delete. */
export interface FileOptions {
  filename?: string[];
  recursive?: boolean;
}

/** loadTargets reads the -f arguments and resolves every object. */
export async function loadTargets(s: Session, opts: FileOptions): Promise<Target[]> {
  const objs = await readManifests(opts.filename ?? [], Boolean(opts.recursive), () => readAll(s.io.stdin));
  return objs.map((m) => toTarget(s, m));
}

/** toTarget resolves one manifest object; namespaced objects get the session namespace. */
export function toTarget(s: Session, m: ManifestObject): Target {
  const { obj, source } = m;
  const res = resourceForKind(obj.apiVersion ?? '', obj.kind ?? '');
  if (!res) {
    throw new CliError(
      `resource mapping not found for name: "${obj.metadata?.name ?? ''}" namespace: "${obj.metadata?.namespace ?? ''}" from "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`,
    );
  }
  const given = obj.metadata.namespace;
  if (res.namespaced && given && s.explicitNamespace && given !== s.namespace) {
    throw new CliError(
      `the namespace from the provided object "${given}" does not match the namespace "${s.namespace}". You must pass '--namespace=${given}' to perform this operation.`,
    );
  }
  const ns = res.namespaced ? given || s.namespace : undefined;
  const named = { ...obj, metadata: { ...obj.metadata, ...(ns ? { namespace: ns } : {}) } };
  return { res, ns, name: obj.metadata.name ?? '', obj: named, source };
}

/** dryRunFlag reads --dry-run (none|client|server; bare flag means client). */
export function dryRunFlag(v: string | boolean | undefined): 'none' | 'client' | 'server' {
  if (v === undefined || v === false || v === 'none') return 'none';
  if (v === true || v === 'client') return 'client';
  if (v === 'server') return 'server';
  throw new CliError(`Invalid dry-run value (${String(v)}). Must be "none", "server", or "client".`);
}

/** dryRunSuffix is what kubectl appends to its report line. */
export function dryRunSuffix(mode: 'none' | 'client' | 'server'): string {
  return mode === 'client' ? ' (dry run)' : mode === 'server' ? ' (server dry run)' : '';
}

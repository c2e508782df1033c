// Reads manifests the way kubectl -f does: files, directories (-R to descend), `-` for stdin,
// multi-document YAML and JSON, List kinds expanded. Every error names the file and document.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../api/meta.js';
import { CliError } from './errors.js';

/** ManifestObject is one object with where it came from, for messages. */
export interface ManifestObject {
  obj: KubeObject;
  /** The file name as given, or STDIN. */
  source: string;
  /** 1-based document number in the file. */
  doc: number;
}

const MANIFEST_EXTS = new Set(['.yaml', '.yml', '.json']);

/** readManifests loads every object the -f arguments name. */
export async function readManifests(paths: string[], recursive: boolean, readStdin: () => Promise<string>): Promise<ManifestObject[]> {
  if (paths.length === 0) throw new CliError('must specify one of -f and -k');
  const objs: ManifestObject[] = [];
  for (const p of paths) {
    if (p === '-') {
      objs.push(...parseManifestText(await readStdin(), 'STDIN'));
      continue;
    }
    for (const file of expandPath(p, recursive)) objs.push(...parseManifestText(readFileSync(file, 'utf8'), file));
  }
  if (objs.length === 0) throw new CliError('no objects passed to apply');
  return objs;
}

/** expandPath lists p itself, or the manifest files of directory p (descending with -R). */
export function expandPath(p: string, recursive: boolean): string[] {
  let st;
  try {
    st = statSync(p);
  } catch {
    throw new CliError(`the path "${p}" does not exist`);
  }
  if (!st.isDirectory()) return [p];
  return readdirSync(p)
    .sort()
    .flatMap((entry) => {
      const full = join(p, entry);
      if (statSync(full).isDirectory()) return recursive ? expandPath(full, true) : [];
      return MANIFEST_EXTS.has(extname(entry)) ? [full] : [];
    });
}

/** parseManifestText splits a YAML or JSON text into validated objects. */
export function parseManifestText(text: string, source: string): ManifestObject[] {
  const out: ManifestObject[] = [];
  parseAllDocuments(text).forEach((d, i) => {
    const doc = i + 1;
    if (d.errors.length > 0) throw new CliError(`error parsing ${source} (document ${doc}): ${d.errors[0].message.split('\n')[0]}`);
    const value: unknown = d.toJS();
    if (value === null || value === undefined) return;
    for (const obj of expandList(value, source, doc)) out.push({ obj: validateObject(obj, source, doc), source, doc });
  });
  return out;
}

function expandList(value: unknown, source: string, doc: number): unknown[] {
  const v = value as { kind?: unknown; items?: unknown };
  if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) {
    return v.items.flatMap((item) => expandList(item, source, doc));
  }
  return [value];
}

/** validateObject checks what every manifest needs: apiVersion, kind, metadata.name. */
export function validateObject(value: unknown, source: string, doc: number): KubeObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CliError(`error validating "${source}" (document ${doc}): the document is not an object`);
  }
  const v = value as Record<string, unknown>;
  const md = v.metadata as Record<string, unknown> | undefined;
  const problems: string[] = [];
  if (typeof v.apiVersion !== 'string' || !v.apiVersion) problems.push('apiVersion: Required value');
  if (typeof v.kind !== 'string' || !v.kind) problems.push('kind: Required value');
  if (md !== undefined && (md === null || typeof md !== 'object' || Array.isArray(md))) problems.push('metadata: Invalid value: must be an object');
  else if (typeof md?.name !== 'string' && typeof md?.generateName !== 'string') problems.push('metadata.name: Required value');
  if (problems.length) throw new CliError(`error validating "${source}" (document ${doc}): ${problems.join(', ')}`);
  return v as unknown as KubeObject;
}

// -o formats for objects (not Tables): yaml, json, name, jsonpath=TEMPLATE.

import type { KubeObject } from '../../api/meta.js';
import { resourceForKind, RESOURCES } from '../../api/registry.js';
import { CliError } from '../verbs/errors.js';
import { kindPrefix } from '../verbs/resources.js';
import { renderJsonPath } from './jsonpath.js';
import { asList, toJson, toYaml } from './object.js';

/** OutputFormat is a parsed -o value. */
export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'yaml' | 'json' | 'name' }
  | { kind: 'jsonpath'; template: string };

/** parseOutput reads -o; undefined is the default table. */
export function parseOutput(o: string | undefined): OutputFormat {
  if (!o) return { kind: 'table', wide: false };
  if (o === 'wide') return { kind: 'table', wide: true };
  if (o === 'yaml' || o === 'json' || o === 'name') return { kind: o };
  const m = /^jsonpath=(.*)$/s.exec(o);
  if (m) return { kind: 'jsonpath', template: m[1] };
  throw new CliError(
    `unable to match a printer suitable for the output format "${o}", allowed formats are: json,jsonpath,name,wide,yaml`,
  );
}

/** nameOf is the `-o name` form of obj: `deployment.apps/web`. */
export function nameOf(obj: KubeObject): string {
  const res = resourceForKind(obj.apiVersion ?? '', obj.kind ?? '') ?? RESOURCES.find((r) => r.kind === obj.kind);
  const prefix = res ? kindPrefix(res) : String(obj.kind ?? '').toLowerCase();
  return `${prefix}/${obj.metadata.name}`;
}

/** formatObjects renders objects; a single object prints alone unless asListAlways. */
export function formatObjects(objs: KubeObject[], fmt: OutputFormat, single: boolean): string {
  const data = single && objs.length === 1 ? objs[0] : asList(objs);
  switch (fmt.kind) {
    case 'yaml':
      return toYaml(data);
    case 'json':
      return toJson(data);
    case 'name':
      return objs.map((o) => `${nameOf(o)}\n`).join('');
    case 'jsonpath':
      return renderJsonPath(fmt.template, data);
    default:
      throw new CliError('table output needs a Table');
  }
}

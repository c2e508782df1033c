// Resource arguments as kubectl reads them: `deploy`, `deployments.apps`, `deploy/web`, `po,svc`,
// `all`, resolved against the registry (plural, singular, kind and short names).

import { groupVersion, RESOURCES, type ResourceInfo } from '../../api/registry.js';
import { CliError } from './errors.js';

/** ResourceRequest is one resource type and the names asked for (empty: all of them). */
export interface ResourceRequest {
  res: ResourceInfo;
  names: string[];
}

/** resolveType finds the resource a type argument names, or throws kubectl's error. */
export function resolveType(arg: string): ResourceInfo {
  const lower = arg.toLowerCase();
  const [name, ...rest] = lower.split('.');
  const group = rest.length >= 2 && /^v\d/.test(rest[0]) ? rest.slice(1).join('.') : rest.join('.');
  const version = rest.length >= 2 && /^v\d/.test(rest[0]) ? rest[0] : undefined;
  const hit = RESOURCES.find(
    (r) =>
      (rest.length === 0 || r.group === group) &&
      (!version || r.version === version) &&
      [r.plural, r.singular, r.kind.toLowerCase(), ...r.shortNames].includes(name),
  );
  if (!hit) throw new CliError(`the server doesn't have a resource type "${arg}"`);
  return hit;
}

/** expandTypes resolves `po,svc` or `all` into resources. */
export function expandTypes(arg: string): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const t of arg.split(',').filter(Boolean)) {
    const found = t === 'all' ? RESOURCES.filter((r) => r.categories.includes('all')) : [resolveType(t)];
    for (const r of found) if (!out.includes(r)) out.push(r);
  }
  return out;
}

/**
 * parseResourceArgs reads `TYPE[,TYPE] [NAME...]` or `TYPE/NAME...`. Names given with several
 * types apply to each of them, as kubectl does.
 */
export function parseResourceArgs(args: string[]): ResourceRequest[] {
  if (args.length === 0) throw new CliError('you must specify the type of resource to get');
  if (args[0].includes('/')) return parseSlashArgs(args);
  const types = expandTypes(args[0]);
  const names = args.slice(1);
  if (names.some((n) => n.includes('/'))) {
    throw new CliError('there is no need to specify a resource type as a separate argument when passing arguments in resource/name form');
  }
  return types.map((res) => ({ res, names }));
}

function parseSlashArgs(args: string[]): ResourceRequest[] {
  const reqs: ResourceRequest[] = [];
  for (const a of args) {
    const i = a.indexOf('/');
    if (i <= 0 || i === a.length - 1) {
      throw new CliError(`arguments in resource/name form must have a single resource and name`);
    }
    const res = resolveType(a.slice(0, i));
    const existing = reqs.find((r) => r.res === res);
    if (existing) existing.names.push(a.slice(i + 1));
    else reqs.push({ res, names: [a.slice(i + 1)] });
  }
  return reqs;
}

/** parseTypeName reads the one `TYPE NAME` or `TYPE/NAME` a verb like scale takes. */
export function parseTypeName(args: string[], defaultType?: string): { res: ResourceInfo; name: string } {
  if (args.length === 1 && !args[0].includes('/') && defaultType) return { res: resolveType(defaultType), name: args[0] };
  const reqs = parseResourceArgs(args);
  const first = reqs[0];
  if (reqs.length !== 1 || first.names.length !== 1) throw new CliError('exactly one NAME is required');
  return { res: first.res, name: first.names[0] };
}

/** qualified is the group-qualified plural errors use: `deployments.apps`, `pods`. */
export function qualified(res: ResourceInfo): string {
  return res.group ? `${res.plural}.${res.group}` : res.plural;
}

/** kindPrefix is the `-o name` prefix: `deployment.apps`, `pod`. */
export function kindPrefix(res: ResourceInfo): string {
  const k = res.kind.toLowerCase();
  return res.group ? `${k}.${res.group}` : k;
}

/** objectRef is `deployment.apps/web`, how verbs report what they did. */
export function objectRef(res: ResourceInfo, name: string): string {
  return `${kindPrefix(res)}/${name}`;
}

/** apiVersionOf is the apiVersion objects of res carry. */
export function apiVersionOf(res: ResourceInfo): string {
  return groupVersion(res);
}

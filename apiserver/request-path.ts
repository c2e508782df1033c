// Parses a resource URL into what it names, as upstream's RequestInfoFactory:
//   /api/v1/namespaces/{ns}/{plural}/{name}/{subresource}
//   /apis/{group}/{version}/{plural}/{name}            (cluster-scoped)
//   /api/v1/watch/namespaces/{ns}/{plural}             (legacy watch paths)
import { RESOURCES, type ResourceInfo, type Subresource } from '../api/registry.js';

export interface RequestTarget {
  res: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: Subresource;
  /** A legacy /watch/ path. */
  watchPath: boolean;
}

// Every request is parsed (twice: authorization and routing), so the resources are looked up by
// group/version and plural rather than scanned.
const BY_GROUP_VERSION = new Map<string, Map<string, ResourceInfo>>();
for (const r of RESOURCES) {
  const gv = `${r.group}/${r.version}`;
  if (!BY_GROUP_VERSION.has(gv)) BY_GROUP_VERSION.set(gv, new Map());
  BY_GROUP_VERSION.get(gv)!.set(r.plural, r);
}
const NO_RESOURCES = new Map<string, ResourceInfo>();

/** undefined: not a resource path this server knows (404). */
export function parseResourcePath(path: string): RequestTarget | undefined {
  const q = path.indexOf('?');
  const segs = (q < 0 ? path : path.slice(0, q)).split('/').filter((s) => s !== '');
  if (path.includes('%')) for (let i = 0; i < segs.length; i++) segs[i] = decodeURIComponent(segs[i]!);
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api') {
    [group, version, rest] = ['', segs[1] ?? '', segs.slice(2)];
  } else if (segs[0] === 'apis') {
    [group, version, rest] = [segs[1] ?? '', segs[2] ?? '', segs.slice(3)];
  } else {
    return undefined;
  }
  const watchPath = rest[0] === 'watch';
  if (watchPath) rest = rest.slice(1);
  const target = resolve(BY_GROUP_VERSION.get(`${group}/${version}`) ?? NO_RESOURCES, rest);
  return target ? { ...target, watchPath } : undefined;
}

function resolve(inGV: Map<string, ResourceInfo>, rest: string[]): Omit<RequestTarget, 'watchPath'> | undefined {
  const find = (plural: string | undefined) => (plural === undefined ? undefined : inGV.get(plural));
  // namespaces/{ns}/{plural}[/{name}[/{sub}]] when {plural} is a namespaced resource here.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const res = find(rest[2]);
    if (res?.namespaced) return withSub(res, { res, namespace: rest[1], name: rest[3] }, rest[4], rest.length <= 5);
  }
  const res = find(rest[0]);
  if (!res || rest.length > 3) return undefined;
  return withSub(res, { res, name: rest[1] }, rest[2], true);
}

function withSub(
  res: ResourceInfo,
  target: Omit<RequestTarget, 'watchPath'>,
  sub: string | undefined,
  lengthOk: boolean,
): Omit<RequestTarget, 'watchPath'> | undefined {
  if (!lengthOk) return undefined;
  if (sub === undefined) return target;
  if (!res.subresources.includes(sub as Subresource)) return undefined;
  return { ...target, subresource: sub as Subresource };
}

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

/** undefined: not a resource path this server knows (404). */
export function parseResourcePath(path: string): RequestTarget | undefined {
  const segs = path.split('?')[0]!.split('/').filter((s) => s !== '').map(decodeURIComponent);
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
  const inGV = RESOURCES.filter((r) => r.group === group && r.version === version);
  const target = resolve(inGV, rest);
  return target ? { ...target, watchPath } : undefined;
}

function resolve(inGV: ResourceInfo[], rest: string[]): Omit<RequestTarget, 'watchPath'> | undefined {
  const find = (plural: string | undefined) => inGV.find((r) => r.plural === plural);
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

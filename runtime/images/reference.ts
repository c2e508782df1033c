// Image references normalised the way Docker does: `busybox` is docker.io/library/busybox:latest,
// `demo/web:v1` is docker.io/demo/web:v1, `localhost:5000/x@sha256:...` keeps its registry.

/** ImageReference is a parsed, normalised image name. */
export interface ImageReference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DEFAULT_REGISTRY = 'docker.io';
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^\w[\w.-]{0,127}$/;

/** parseReference normalises an image name; it throws on an empty or malformed name. */
export function parseReference(name: string): ImageReference {
  let rest = name.trim();
  if (rest === '') throw new Error('invalid image reference ""');
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`invalid digest in "${name}"`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const { registry, repository } = splitRegistry(rest);
  if (!REPOSITORY.test(repository) || (tag !== undefined && !TAG.test(tag))) {
    throw new Error(`invalid image reference "${name}"`);
  }
  if (!tag && !digest) tag = 'latest';
  return { registry, repository, tag, digest };
}

/** splitRegistry treats the first component as a registry when it looks like a host. */
function splitRegistry(path: string): { registry: string; repository: string } {
  const slash = path.indexOf('/');
  const first = slash < 0 ? '' : path.slice(0, slash);
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return { registry: first, repository: path.slice(slash + 1) };
  }
  const repository = path.includes('/') ? path : `library/${path}`;
  return { registry: DEFAULT_REGISTRY, repository };
}

/** formatReference prints the canonical name: registry/repository[:tag][@digest]. */
export function formatReference(ref: ImageReference): string {
  const tag = ref.tag ? `:${ref.tag}` : '';
  const digest = ref.digest ? `@${ref.digest}` : '';
  return `${ref.registry}/${ref.repository}${tag}${digest}`;
}

/** normalizeImageName is formatReference(parseReference(name)). */
export function normalizeImageName(name: string): string {
  return formatReference(parseReference(name));
}

/** repoName is registry/repository without tag or digest, for repoDigests. */
export function repoName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

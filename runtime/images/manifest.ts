// OCI / Docker schema 2 manifests and indexes: the shapes and the pure choices made over them.

/** Descriptor points at a blob by digest. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string; variant?: string };
}

/** ImageManifest is an OCI image manifest or a Docker schema 2 manifest (same shape). */
export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

/** ImageIndex is an OCI index or a Docker manifest list. */
export interface ImageIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
}

export const MEDIA_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MEDIA_DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const MEDIA_DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const MEDIA_OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const MEDIA_OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';

/** isIndex tells an index or manifest list from an image manifest. */
export function isIndex(doc: ImageManifest | ImageIndex): doc is ImageIndex {
  return Array.isArray((doc as ImageIndex).manifests);
}

/** nodePlatform maps Node's process.arch to OCI's architecture names. */
export function nodePlatform(arch: string = process.arch): { os: string; architecture: string } {
  const names: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };
  return { os: 'linux', architecture: names[arch] ?? arch };
}

/**
 * selectManifest picks the entry of an index for the platform; entries without a platform match
 * any (single-image OCI layouts usually carry none).
 */
export function selectManifest(index: ImageIndex, platform = nodePlatform()): Descriptor | undefined {
  const images = index.manifests.filter((m) => m.mediaType !== 'application/vnd.in-toto+json');
  return (
    images.find((m) => m.platform?.os === platform.os && m.platform.architecture === platform.architecture) ??
    images.find((m) => m.platform === undefined)
  );
}

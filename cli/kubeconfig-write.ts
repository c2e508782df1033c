// Writes kubeconfigs: the admin's that `skiff server` / hack/up.sh hand to kubectl and skiff, the
// components' own, and a node's after it joined.
import { stringify } from 'yaml';
import { writeFileAtomic } from './files.js';

export interface AdminKubeconfig {
  server: string;
  caCert: string;
  token: string;
  clusterName?: string;
  /** The kubeconfig's user entry (default `<cluster>-admin`). */
  userName?: string;
}

export function renderKubeconfig(k: AdminKubeconfig): string {
  const name = k.clusterName ?? 'skiff';
  const user = k.userName ?? `${name}-admin`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: k.server, 'certificate-authority-data': Buffer.from(k.caCert).toString('base64') } }],
    users: [{ name: user, user: { token: k.token } }],
    contexts: [{ name, context: { cluster: name, user, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

/** writeKubeconfig writes whole or not at all: `skiff up` and kubectl may read it the moment it appears. */
export function writeKubeconfig(path: string, k: AdminKubeconfig): void {
  writeFileAtomic(path, renderKubeconfig(k));
}

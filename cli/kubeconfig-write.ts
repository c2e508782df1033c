// Writes kubeconfigs: the admin's that `skiff server` / hack/up.sh hand to kubectl and skiff, the
// components' own, and a node's after it joined.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

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

export function writeKubeconfig(path: string, k: AdminKubeconfig): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderKubeconfig(k), { mode: 0o600 });
}

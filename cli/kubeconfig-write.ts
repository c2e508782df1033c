// Writes the admin kubeconfig that `skiff server` / hack/up.sh hand to kubectl and skiff.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface AdminKubeconfig {
  server: string;
  caCert: string;
  token: string;
  clusterName?: string;
}

export function renderKubeconfig(k: AdminKubeconfig): string {
  const name = k.clusterName ?? 'skiff';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: k.server, 'certificate-authority-data': Buffer.from(k.caCert).toString('base64') } }],
    users: [{ name: `${name}-admin`, user: { token: k.token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

export function writeKubeconfig(path: string, k: AdminKubeconfig): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderKubeconfig(k), { mode: 0o600 });
}

// The cluster CA and the API server's serving certificate, made once with the openssl CLI
// and kept in the data directory, and the admin token.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { hostname } from 'node:os';

export interface Pki {
  caCert: string;
  cert: string;
  key: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates ca.crt/ca.key and apiserver.crt/apiserver.key in dir unless they exist; SANs cover hosts. */
export function ensurePki(dir: string, hosts: string[] = []): Pki {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(join(dir, 'ca.crt'))) {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/CN=skiff-ca'], dir);
  }
  if (!existsSync(join(dir, 'apiserver.crt'))) {
    const names = new Set(['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', hostname(), ...hosts]);
    const ips = new Set(['127.0.0.1', '::1']);
    const sans = [...names].filter((n) => !/^[\d.:]+$/.test(n)).map((n) => `DNS:${n}`);
    for (const h of hosts) if (/^[\d.:]+$/.test(h)) ips.add(h);
    sans.push(...[...ips].map((ip) => `IP:${ip}`));
    writeFileSync(join(dir, 'apiserver.ext'), `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth\n`);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'apiserver.key', '-out', 'apiserver.csr', '-subj', '/CN=skiff-apiserver'], dir);
    openssl(['x509', '-req', '-in', 'apiserver.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'apiserver.crt', '-days', '3650', '-extfile', 'apiserver.ext'], dir);
  }
  return {
    caCert: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    cert: readFileSync(join(dir, 'apiserver.crt'), 'utf8'),
    key: readFileSync(join(dir, 'apiserver.key'), 'utf8'),
  };
}

/** KUBELET_CLIENT_CN names the API server when it calls node agents (pods/log, exec, ...). */
export const KUBELET_CLIENT_CN = 'skiff-apiserver-kubelet-client';

/**
 * The API server's client certificate for node agents (upstream's apiserver-kubelet-client.crt),
 * signed by the cluster CA in dir, made once. Nodes accept it and nothing else but admin tokens.
 */
export function ensureKubeletClientCert(dir: string): { cert: string; key: string } {
  const crt = join(dir, 'apiserver-kubelet-client.crt');
  if (!existsSync(crt)) {
    writeFileSync(join(dir, 'apiserver-kubelet-client.ext'), 'extendedKeyUsage=clientAuth\n');
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'apiserver-kubelet-client.key', '-out', 'apiserver-kubelet-client.csr', '-subj', `/O=system:masters/CN=${KUBELET_CLIENT_CN}`], dir);
    openssl(['x509', '-req', '-in', 'apiserver-kubelet-client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'apiserver-kubelet-client.crt', '-days', '3650', '-extfile', 'apiserver-kubelet-client.ext'], dir);
  }
  return { cert: readFileSync(crt, 'utf8'), key: readFileSync(join(dir, 'apiserver-kubelet-client.key'), 'utf8') };
}

/** The admin bearer token, made once. */
export function ensureAdminToken(dir: string): string {
  return ensureToken(dir, 'admin.token');
}

/** A random bearer token kept in dir/name, made once (admin, the API server's token for node agents). */
export function ensureToken(dir: string, name: string): string {
  const file = join(dir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('hex') + '\n', { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** The 32-byte key Secrets are encrypted with at rest, made once. */
export function ensureEncryptionKey(dir: string): { keyName: string; key: Buffer } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'encryption.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  return { keyName: 'key1', key: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64') };
}

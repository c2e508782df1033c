// The cluster CA and the certificates it signs, made with the openssl CLI and kept in the data
// directory, and the admin token.
//
// Lifetimes and rotation follow kubeadm: the CA lasts 10 years and is not rotated automatically
// (its rotation means handing every client a new trust root); leaf certificates last a year and
// are re-issued, with a new key, once they enter their renewal window: the last third of their
// lifetime or the last 30 days, whichever is longer (capped at half the lifetime, so a short-lived
// certificate is not due the moment it is made). The server checks on start (ensurePki) and, while
// it runs, on a timer at the next renewal time (CertRotator), swapping the new serving certificate
// into its listening socket.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { hostname } from 'node:os';

export interface Pki {
  caCert: string;
  cert: string;
  key: string;
  /** Certificates (file stems) this call made or re-issued. */
  issued?: string[];
  /** The CA itself is in its renewal window: an operator must rotate it (as with kubeadm). */
  caRenewalDue?: boolean;
}

export const CA_DAYS = 3650;
export const CERT_DAYS = 365;

/** RenewalPolicy: how early before expiry a certificate is re-issued. */
export interface RenewalPolicy {
  /** Renew with this fraction of the lifetime left (default 1/3). */
  fraction: number;
  /** ... or with this little time left, whichever comes first (default 30 days). */
  minRemainingMs: number;
}

export const DEFAULT_RENEWAL: RenewalPolicy = { fraction: 1 / 3, minRemainingMs: 30 * 86400_000 };

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** certValidity reads a PEM certificate's validity period. */
export function certValidity(pem: string): Validity {
  const c = new X509Certificate(pem);
  return { notBefore: new Date(c.validFrom), notAfter: new Date(c.validTo) };
}

/** renewalTime is when a certificate with this validity enters its renewal window. */
export function renewalTime(v: Validity, policy: RenewalPolicy = DEFAULT_RENEWAL): Date {
  const lifetime = v.notAfter.getTime() - v.notBefore.getTime();
  const window = Math.min(Math.max(lifetime * policy.fraction, policy.minRemainingMs), lifetime / 2);
  return new Date(v.notAfter.getTime() - window);
}

/** renewalDue tells whether a certificate should be re-issued at now. */
export function renewalDue(v: Validity, now: Date, policy: RenewalPolicy = DEFAULT_RENEWAL): boolean {
  return now.getTime() >= renewalTime(v, policy).getTime();
}

export interface IssueOptions {
  /** The time renewal is judged at (tests move it forward instead of waiting). */
  now?: Date;
  /** Lifetime of leaf certificates in days (default 365). */
  certDays?: number;
  policy?: RenewalPolicy;
}

/**
 * Keys are ECDSA P-256 (kubeadm's ECDSA-P256 choice): openssl makes one in a few milliseconds where
 * an RSA-2048 key takes 30-400 ms (on skiff up's path, several times on a fresh home), and a TLS
 * handshake signs with it several times faster.
 */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function read(dir: string, file: string): string | undefined {
  const p = join(dir, file);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

/**
 * ensureLeaf makes <stem>.crt/.key signed by the CA in dir, or re-issues them (new key) when they
 * are in their renewal window, were signed by another CA, or their extensions changed (e.g. new
 * SANs). The pair is written under temporary names and renamed, so a crash never leaves a
 * certificate beside the wrong key. Returns whether it issued.
 */
function ensureLeaf(dir: string, stem: string, subject: string, ext: string, o: IssueOptions): boolean {
  const crt = read(dir, `${stem}.crt`);
  if (crt && existsSync(join(dir, `${stem}.key`)) && read(dir, `${stem}.ext`) === ext) {
    const ca = new X509Certificate(readFileSync(join(dir, 'ca.crt')));
    const signed = new X509Certificate(crt).verify(ca.publicKey);
    if (signed && !renewalDue(certValidity(crt), o.now ?? new Date(), o.policy)) return false;
  }
  writeFileSync(join(dir, `${stem}.ext`), ext);
  openssl(['req', ...NEW_KEY, '-nodes', '-keyout', `${stem}.key.new`, '-out', `${stem}.csr`, '-subj', subject], dir);
  openssl(['x509', '-req', '-in', `${stem}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${stem}.crt.new`, '-days', String(o.certDays ?? CERT_DAYS), '-extfile', `${stem}.ext`], dir);
  renameSync(join(dir, `${stem}.key.new`), join(dir, `${stem}.key`));
  renameSync(join(dir, `${stem}.crt.new`), join(dir, `${stem}.crt`));
  rmSync(join(dir, `${stem}.csr`), { force: true });
  return true;
}

function ensureCa(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(join(dir, 'ca.crt'))) {
    openssl(['req', '-x509', ...NEW_KEY, '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', String(CA_DAYS), '-subj', '/CN=skiff-ca'], dir);
  }
}

function servingExt(hosts: string[]): string {
  const names = new Set(['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', hostname(), ...hosts]);
  const ips = new Set(['127.0.0.1', '::1']);
  const sans = [...names].filter((n) => !/^[\d.:]+$/.test(n)).map((n) => `DNS:${n}`);
  for (const h of hosts) if (/^[\d.:]+$/.test(h)) ips.add(h);
  sans.push(...[...ips].map((ip) => `IP:${ip}`));
  return `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth\n`;
}

/**
 * Creates ca.crt/ca.key and apiserver.crt/apiserver.key in dir unless they exist; SANs cover
 * hosts. A serving certificate in its renewal window (or with other SANs) is re-issued.
 */
export function ensurePki(dir: string, hosts: string[] = [], o: IssueOptions = {}): Pki {
  ensureCa(dir);
  const issued = ensureLeaf(dir, 'apiserver', '/CN=skiff-apiserver', servingExt(hosts), o) ? ['apiserver'] : [];
  const caCert = readFileSync(join(dir, 'ca.crt'), 'utf8');
  return {
    caCert,
    cert: readFileSync(join(dir, 'apiserver.crt'), 'utf8'),
    key: readFileSync(join(dir, 'apiserver.key'), 'utf8'),
    issued,
    caRenewalDue: renewalDue(certValidity(caCert), o.now ?? new Date(), o.policy),
  };
}

/** KUBELET_CLIENT_CN names the API server when it calls node agents (pods/log, exec, ...). */
export const KUBELET_CLIENT_CN = 'skiff-apiserver-kubelet-client';

/**
 * The API server's client certificate for node agents (upstream's apiserver-kubelet-client.crt),
 * signed by the cluster CA in dir; made once, re-issued in its renewal window. Nodes accept it
 * and nothing else but admin tokens.
 */
export function ensureKubeletClientCert(dir: string, o: IssueOptions = {}): { cert: string; key: string; issued: boolean } {
  ensureCa(dir);
  const issued = ensureLeaf(dir, 'apiserver-kubelet-client', `/O=system:masters/CN=${KUBELET_CLIENT_CN}`, 'extendedKeyUsage=clientAuth\n', o);
  return { cert: readFileSync(join(dir, 'apiserver-kubelet-client.crt'), 'utf8'), key: readFileSync(join(dir, 'apiserver-kubelet-client.key'), 'utf8'), issued };
}

/** setTimeout's longest delay is ~24.8 days; longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A renewal that failed (openssl missing, disk full) is tried again this much later. */
const RETRY_MS = 10 * 60_000;

/**
 * CertRotator keeps a running server's serving certificate fresh: a timer fires at the current
 * certificate's renewal time, re-issues it (ensurePki) and hands the new pair to onRotated
 * (which swaps it into the listening socket). No polling: one timer, re-armed after each check.
 */
export class CertRotator {
  private timer?: NodeJS.Timeout;
  private current: Pki;

  constructor(
    private readonly o: {
      dir: string;
      hosts: string[];
      issue?: Omit<IssueOptions, 'now'>;
      onRotated: (pki: Pki) => void;
      onError?: (err: Error) => void;
    },
  ) {
    this.current = ensurePki(o.dir, o.hosts, o.issue);
  }

  get pki(): Pki {
    return this.current;
  }

  /** nextCheck is when the current serving certificate becomes due. */
  nextCheck(): Date {
    return renewalTime(certValidity(this.current.cert), this.o.issue?.policy);
  }

  /** check re-issues the serving certificate if it is due at now; true when it did. */
  check(now: Date = new Date()): boolean {
    const next = ensurePki(this.o.dir, this.o.hosts, { ...this.o.issue, now });
    if (!next.issued?.length) return false;
    this.current = next;
    this.o.onRotated(next);
    return true;
  }

  /** start arms the timer; a failed renewal is retried after retryMs, never in a tight loop. */
  start(retryMs = 0): this {
    this.stop();
    const delay = Math.min(Math.max(this.nextCheck().getTime() - Date.now(), retryMs), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      try {
        this.check();
        this.start();
      } catch (err) {
        this.o.onError?.(err as Error);
        this.start(RETRY_MS);
      }
    }, delay);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
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

// Reads the parts of a kubeconfig that Skiff's clients need: the current context's cluster
// (server, CA, insecure-skip-tls-verify), user (bearer token) and namespace.

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { skiffHome } from './home.js';

/** ClientConfig is what a RestClient needs to reach and authenticate to an API server. */
export interface ClientConfig {
  server: string;
  /** PEM-encoded CA bundle that signs the server's certificate. */
  ca?: string;
  token?: string;
  insecureSkipTLSVerify?: boolean;
  /** The context's namespace; 'default' when the kubeconfig names none. */
  namespace: string;
}

interface Named<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

interface Kubeconfig {
  'current-context'?: string;
  clusters?: Named<Record<string, unknown>>[];
  users?: Named<Record<string, unknown>>[];
  contexts?: Named<Record<string, unknown>>[];
}

/** ParseOptions lets callers pick a context and resolve file references. */
export interface ParseOptions {
  context?: string;
  /** Directory relative file paths (certificate-authority, tokenFile) are resolved against. */
  baseDir?: string;
  readFile?: (path: string) => string;
}

export { skiffHome } from './home.js';

/** defaultKubeconfigPath is the first path in $KUBECONFIG, else $SKIFF_HOME/kubeconfig. */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = env.KUBECONFIG?.split(':').find((p) => p !== '');
  return first ?? join(skiffHome(env), 'kubeconfig');
}

/** loadKubeconfig reads and parses the kubeconfig at path (default: defaultKubeconfigPath()). */
export function loadKubeconfig(path?: string, opts: Omit<ParseOptions, 'baseDir'> = {}): ClientConfig {
  const file = resolve(path ?? defaultKubeconfigPath());
  return parseKubeconfig(readFileSync(file, 'utf8'), { baseDir: dirname(file), ...opts });
}

/** parseKubeconfig resolves the (current or given) context of a kubeconfig YAML document. */
export function parseKubeconfig(text: string, opts: ParseOptions = {}): ClientConfig {
  const doc = (parse(text) ?? {}) as Kubeconfig;
  const ctxName = opts.context ?? doc['current-context'];
  if (!ctxName) throw new Error('kubeconfig: no current-context is set');
  const ctx = pick(doc.contexts, ctxName, 'context', 'context');
  const cluster = pick(doc.clusters, str(ctx.cluster), 'cluster', 'cluster');
  const user = ctx.user ? pick(doc.users, str(ctx.user), 'user', 'user') : {};
  const read = (p: string): string => (opts.readFile ?? ((f) => readFileSync(f, 'utf8')))(within(opts.baseDir, p));
  const server = str(cluster.server);
  if (!server) throw new Error(`kubeconfig: cluster ${String(ctx.cluster)} has no server`);
  return {
    server,
    ca: clusterCA(cluster, read),
    token: userToken(user, read),
    insecureSkipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    namespace: str(ctx.namespace) || 'default',
  };
}

function pick(
  list: Named<Record<string, unknown>>[] | undefined,
  name: string,
  field: 'cluster' | 'user' | 'context',
  what: string,
): Record<string, unknown> {
  const entry = list?.find((e) => e.name === name);
  if (!entry) throw new Error(`kubeconfig: ${what} "${name}" not found`);
  return entry[field] ?? {};
}

function clusterCA(cluster: Record<string, unknown>, read: (p: string) => string): string | undefined {
  const data = str(cluster['certificate-authority-data']);
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  const file = str(cluster['certificate-authority']);
  return file ? read(file) : undefined;
}

function userToken(user: Record<string, unknown>, read: (p: string) => string): string | undefined {
  const token = str(user.token);
  if (token) return token;
  const file = str(user.tokenFile);
  return file ? read(file).trim() : undefined;
}

function within(baseDir: string | undefined, p: string): string {
  return baseDir && !isAbsolute(p) ? join(baseDir, p) : p;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

// Parses the kubelet streaming paths the API server proxies to us:
//   /exec/{namespace}/{pod}[/{uid}]/{container}?command=..&stdin=true&...
//   /attach/{namespace}/{pod}[/{uid}]/{container}?stdin=true&...
//   /portForward/{namespace}/{pod}[/{uid}]
import { failureStatus, type Status } from './status.js';
import type { ExecRequest } from './types.js';

/** StreamRequest is a parsed streaming request. */
export type StreamRequest =
  { kind: 'exec' | 'attach'; exec: ExecRequest } | { kind: 'portForward'; namespace: string; pod: string };

/** ParseResult is a request, a Status explaining why it is bad, or undefined for other paths. */
export type ParseResult = StreamRequest | { error: Status } | undefined;

/** parseStreamRequest parses a request URL; undefined means "not a streaming path". */
export function parseStreamRequest(url: string): ParseResult {
  const parsed = new URL(url, 'http://node');
  const segments = parsed.pathname.split('/').slice(1).map(decodeURIComponent);
  const [kind, ...rest] = segments;
  if (kind === 'exec' || kind === 'attach') return parseExec(kind, rest, parsed.searchParams);
  if (kind === 'portForward') return parsePortForward(rest);
  return undefined;
}

function parseExec(kind: 'exec' | 'attach', rest: string[], query: URLSearchParams): ParseResult {
  if ((rest.length !== 3 && rest.length !== 4) || rest.some((s) => s === '')) {
    return { error: notFound(`/${kind}/${rest.join('/')}`) };
  }
  const [namespace, pod] = rest as [string, string];
  const container = rest[rest.length - 1] as string;
  const command = kind === 'exec' ? query.getAll('command') : [];
  const tty = flag(query, 'tty');
  const exec: ExecRequest = {
    namespace,
    pod,
    container,
    command,
    stdin: flag(query, 'stdin'),
    stdout: flag(query, 'stdout'),
    // Like the kubelet: a TTY merges stderr into stdout, so a stderr request is dropped.
    stderr: flag(query, 'stderr') && !tty,
    tty,
  };
  const problem = validateExec(kind, exec);
  return problem ? { error: failureStatus(400, 'BadRequest', problem) } : { kind, exec };
}

function validateExec(kind: string, req: ExecRequest): string | undefined {
  if (kind === 'exec' && req.command.length === 0) return 'you must specify at least one command';
  if (!req.stdin && !req.stdout && !req.stderr) {
    return 'you must specify at least 1 of stdin, stdout, stderr';
  }
  return undefined;
}

function parsePortForward(rest: string[]): ParseResult {
  if ((rest.length !== 2 && rest.length !== 3) || rest.some((s) => s === '')) {
    return { error: notFound(`/portForward/${rest.join('/')}`) };
  }
  return { kind: 'portForward', namespace: rest[0] as string, pod: rest[1] as string };
}

function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}

function notFound(path: string): Status {
  return failureStatus(404, 'NotFound', `the server could not find the requested resource (${path})`);
}

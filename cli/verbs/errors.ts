// Turns errors into kubectl's wording: `Error from server (NotFound): ...`, `The Deployment "web"
// is invalid: ...`, `error: ...` for client-side problems.

import { StatusError } from '../../api/errors.js';

/** CliError is a client-side failure printed as `error: <message>`. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** formatError renders err as kubectl prints it (no trailing newline). */
export function formatError(err: unknown, context = ''): string {
  if (err instanceof StatusError) return formatStatusError(err, context);
  const e = err as { code?: string; message?: string; cause?: { code?: string; address?: string; port?: number } };
  const net = e.cause?.code ?? e.code;
  if (net === 'ECONNREFUSED') {
    const where = e.cause?.address ? `${e.cause.address}:${e.cause.port}` : 'the server';
    return `The connection to the server ${where} was refused - did you specify the right host or port?`;
  }
  return `error: ${context}${e.message ?? String(err)}`;
}

function formatStatusError(err: StatusError, context: string): string {
  const s = err.status;
  if (s.code === 401) return 'error: You must be logged in to the server (Unauthorized)';
  const causes = s.details?.causes ?? [];
  if (s.reason === 'Invalid' && s.details?.kind && causes.length > 0) {
    const lines = causes.map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? '')));
    const body = lines.length === 1 ? lines[0] : `\n* ${lines.join('\n* ')}`;
    return `The ${s.details.kind} "${s.details.name ?? ''}" is invalid: ${body}`;
  }
  return `Error from server (${s.reason ?? 'Unknown'}): ${context}${s.message ?? ''}`;
}

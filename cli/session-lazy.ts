// The verbs' session (kubeconfig + HTTP client), loaded when a command runs: `skiff runtime` and
// the other daemons register the token and kubeconfig commands too, and never need the client.
import type { Command } from 'commander';
import type { Session } from './verbs/session.js';

/** session opens the command's session on first use, with out() bound to it. */
export async function session(cmd: Command): Promise<Session & { out: (line: string) => void }> {
  const { openSession, out } = await import('./verbs/session.js');
  const s = openSession(cmd);
  return Object.assign(s, { out: (line: string) => out(s, line) });
}

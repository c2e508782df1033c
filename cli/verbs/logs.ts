// skiff logs: GET pods/NAME/log with kubectl's query parameters; TYPE/NAME resolves a pod through
// the owner's selector. Followed logs stream until the server ends the response.

import type { Command } from 'commander';
import { resourcePath, withQuery } from '../../client/paths.js';
import { pickContainer, resolvePod } from './pod-target.js';
import { parseDuration } from './rollout.js';
import { resolveType } from './resources.js';
import { openSession, type Session } from './session.js';

interface LogsOptions {
  follow?: boolean;
  container?: string;
  previous?: boolean;
  tail?: string;
  since?: string;
  timestamps?: boolean;
}

/** registerLogs adds `logs`. */
export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description('Print the logs for a container in a pod')
    .argument('<pod...>', 'POD, TYPE/NAME or TYPE NAME')
    .option('-f, --follow', 'stream the logs')
    .option('-c, --container <name>', 'container name')
    .option('-p, --previous', 'the previous terminated container instance')
    .option('--tail <lines>', 'lines of recent log to show (-1: all)', '-1')
    .option('--since <duration>', 'only logs newer than this (5s, 2m, 3h)')
    .option('--timestamps', 'prefix each line with its timestamp')
    .action(async (args: string[], opts: LogsOptions, cmd: Command) => runLogs(openSession(cmd), args, opts));
}

/** logQuery is the query kubectl sends for these flags. */
export function logQuery(container: string, opts: LogsOptions): Record<string, string | number | undefined> {
  const tail = Number(opts.tail ?? -1);
  return {
    container,
    follow: opts.follow ? 'true' : undefined,
    previous: opts.previous ? 'true' : undefined,
    sinceSeconds: opts.since ? Math.ceil(parseDuration(opts.since) / 1000) : undefined,
    tailLines: tail >= 0 ? tail : undefined,
    timestamps: opts.timestamps ? 'true' : undefined,
  };
}

async function runLogs(s: Session, args: string[], opts: LogsOptions): Promise<void> {
  const pod = await resolvePod(s, args);
  const container = pickContainer(s, pod, opts.container);
  const path = withQuery(resourcePath(resolveType('pods'), s.namespace, pod.metadata.name, 'log'), logQuery(container, opts));
  for await (const chunk of s.client.stream(path, s.io.signal)) s.io.stdout.write(new TextDecoder().decode(chunk));
}

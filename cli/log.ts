// Component logs: structured JSON lines (pino) for files and log shippers, a human format when
// the output is a terminal. SKIFF_LOG_FORMAT=json|text overrides the guess, SKIFF_LOG_LEVEL the level.
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { PinoPretty as PinoPrettyFn } from 'pino-pretty';

export type { Logger } from 'pino';

export interface LogOptions {
  /** Where lines go; default stdout. */
  destination?: DestinationStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
}

/** logFormat decides between JSON lines and the human format. */
export function logFormat(env: NodeJS.ProcessEnv, isTTY: boolean): 'json' | 'text' {
  const asked = env.SKIFF_LOG_FORMAT;
  if (asked === 'json' || asked === 'text') return asked;
  return isTTY ? 'text' : 'json';
}

/** componentLogger makes the logger of one component (`server`, `agent`, `runtime`, ...). */
export function componentLogger(component: string, o: LogOptions = {}): Logger {
  const env = o.env ?? process.env;
  const dest = o.destination ?? process.stdout;
  const level = env.SKIFF_LOG_LEVEL ?? 'info';
  const base = { component };
  if (logFormat(env, Boolean(dest.isTTY)) === 'json') {
    return pino({ level, base, timestamp: pino.stdTimeFunctions.isoTime }, dest);
  }
  // Loaded only for a terminal: daemons write JSON to files and skip its start-up cost.
  const { PinoPretty } = createRequire(import.meta.url)('pino-pretty') as { PinoPretty: typeof PinoPrettyFn };
  // Synchronous pretty stream: no worker thread, nothing lost when the process exits at once.
  const pretty = PinoPretty({ destination: dest, sync: true, colorize: Boolean(dest.isTTY), ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' });
  return pino({ level, base }, pretty);
}

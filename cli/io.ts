// The streams a CLI run reads and writes, and the per-run state verbs reach through their Command.

import type { Command } from 'commander';

/** Writer is anything with a write(string) method: process.stdout or a test buffer. */
export interface Writer {
  write(chunk: string): unknown;
}

/** CliIO is what one runCli call talks to; tests pass string buffers. */
export interface CliIO {
  stdout: Writer;
  stderr: Writer;
  /** Standard input, for `apply -f -`; absent means empty. */
  stdin?: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** Aborts long watches and follows (Ctrl-C). */
  signal?: AbortSignal;
  /** Environment (KUBECONFIG, SKIFF_HOME, EDITOR); default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** RunState is the mutable state of one run: its IO and the exit code verbs may raise. */
export interface RunState {
  io: CliIO;
  exitCode: number;
}

const states = new WeakMap<Command, RunState>();

/** attachRunState binds a run's state to the root command. */
export function attachRunState(root: Command, state: RunState): void {
  states.set(root, state);
}

/** runState finds the state of the run that cmd belongs to. */
export function runState(cmd: Command): RunState {
  let c: Command | null = cmd;
  while (c) {
    const s = states.get(c);
    if (s) return s;
    c = c.parent;
  }
  throw new Error('internal: command is not part of a CLI run');
}

/** readAll collects a stream into a string. */
export async function readAll(stream: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> | undefined): Promise<string> {
  if (!stream) return '';
  const parts: string[] = [];
  const dec = new TextDecoder();
  for await (const c of stream) parts.push(typeof c === 'string' ? c : dec.decode(c, { stream: true }));
  parts.push(dec.decode());
  return parts.join('');
}

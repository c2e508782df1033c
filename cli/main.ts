#!/usr/bin/env node
// The `skiff` command: component commands (cli/components.ts) and kubectl-like verbs (cli/verbs).
import { setFlagsFromString } from 'node:v8';
import { LONG_RUNNING_COMMANDS, runCli } from './cli.js';

// A one-shot command (kubectl-like verbs, up, down) exits once its work is done, but V8 first
// waits for its background optimising compile of undici's HTTP parser (WebAssembly): ~250 ms
// more per command on this machine. Baseline code parses a command's few responses fast enough;
// the long-running components keep the optimised parser.
if (!LONG_RUNNING_COMMANDS.has(process.argv[2] ?? '')) setFlagsFromString('--liftoff-only');

const abort = new AbortController();
process.once('SIGINT', () => {
  abort.abort();
  process.exitCode = 130;
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, signal: abort.signal }).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: Error) => {
    console.error(`error: ${err.message}`);
    process.exitCode = 1;
  },
);

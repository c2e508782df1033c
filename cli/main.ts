#!/usr/bin/env node
// The `skiff` command: component commands (cli/components.ts) and kubectl-like verbs (cli/verbs).
import { runCli } from './cli.js';

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

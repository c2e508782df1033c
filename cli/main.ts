#!/usr/bin/env node
// The `skiff` command: component commands (cli/components.ts) and kubectl-like verbs.
import { Command } from 'commander';
import { registerComponentCommands } from './components.js';

const program = new Command('skiff').description('A small Kubernetes-style container orchestrator').version('0.1.0');
registerComponentCommands(program);

program.parseAsync(process.argv).catch((err: Error) => {
  console.error(`error: ${err.message}`);
  process.exit(1);
});

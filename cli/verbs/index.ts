// registerVerbCommands: every kubectl-like verb of the skiff CLI.

import type { Command } from 'commander';
import { registerGet } from './get.js';

/** registerVerbCommands adds the kubectl-like verbs to program. */
export function registerVerbCommands(program: Command): void {
  registerGet(program);
}

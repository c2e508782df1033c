// registerVerbCommands: every kubectl-like verb of the skiff CLI.

import type { Command } from 'commander';
import { registerApply } from './apply.js';
import { registerCreate, registerReplace } from './create-replace.js';
import { registerDelete } from './delete.js';
import { registerGet } from './get.js';

/** registerVerbCommands adds the kubectl-like verbs to program. */
export function registerVerbCommands(program: Command): void {
  registerGet(program);
  registerApply(program);
  registerCreate(program);
  registerReplace(program);
  registerDelete(program);
}

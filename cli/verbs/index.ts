// registerVerbCommands: every kubectl-like verb of the skiff CLI.

import type { Command } from 'commander';
import { registerApply } from './apply.js';
import { registerCompletion } from './completion.js';
import { registerConfig } from './config.js';
import { registerCordon } from './cordon.js';
import { registerCreateGenerators } from './create-generic.js';
import { registerCreate, registerReplace } from './create-replace.js';
import { registerDelete } from './delete.js';
import { registerDescribe } from './describe.js';
import { registerDrain } from './drain.js';
import { registerEdit } from './edit.js';
import { registerExec } from './exec.js';
import { registerGet } from './get.js';
import { registerInfo } from './info.js';
import { registerLabel } from './label.js';
import { registerLogs } from './logs.js';
import { registerPatch } from './patch.js';
import { registerRollout } from './rollout.js';
import { registerScale } from './scale.js';
import { registerSet } from './set-image.js';
import { registerWait } from './wait.js';

/** registerVerbCommands adds the kubectl-like verbs to program. */
export function registerVerbCommands(program: Command): void {
  registerGet(program);
  registerDescribe(program);
  registerApply(program);
  registerCreateGenerators(registerCreate(program));
  registerReplace(program);
  registerDelete(program);
  registerScale(program);
  registerSet(program);
  registerLabel(program);
  registerPatch(program);
  registerEdit(program);
  registerRollout(program);
  registerLogs(program);
  registerExec(program);
  registerCordon(program);
  registerDrain(program);
  registerWait(program);
  registerInfo(program);
  registerConfig(program);
  registerCompletion(program);
}

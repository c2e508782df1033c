// runCli: one in-process run of the `skiff` command, with its own commander program, streams and
// exit code (0 ok, 1 error), so tests can drive the CLI without spawning processes.

import { Command, CommanderError } from 'commander';
import { registerComponentCommands } from './components.js';
import { registerKubeconfigCommand } from './kubeconfig-command.js';
import { attachRunState, type CliIO, type RunState } from './io.js';
import { formatError } from './verbs/errors.js';
import { registerVerbCommands } from './verbs/index.js';

/** buildProgram makes the `skiff` program wired to io. */
export function buildProgram(state: RunState): Command {
  const program = new Command('skiff')
    .description('A small Kubernetes-style container orchestrator')
    .version('0.1.0')
    .option('--kubeconfig <path>', 'path to the kubeconfig file ($KUBECONFIG, else $SKIFF_HOME/kubeconfig)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-n, --namespace <ns>', 'the namespace scope for this request')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => state.io.stdout.write(s),
      writeErr: (s) => state.io.stderr.write(s),
    })
    .showSuggestionAfterError();
  attachRunState(program, state);
  registerComponentCommands(program);
  registerKubeconfigCommand(program);
  registerVerbCommands(program);
  return program;
}

/** runCli runs argv (without node and script) and resolves to the exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const state: RunState = { io, exitCode: 0 };
  const program = buildProgram(state);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    io.stderr.write(`${formatError(err)}\n`);
    return 1;
  }
}

// runCli: one in-process run of the `skiff` command, with its own commander program, streams and
// exit code (0 ok, 1 error), so tests can drive the CLI without spawning processes.

import { Command, CommanderError } from 'commander';
import { registerComponentCommands } from './components.js';
import { registerKubeconfigCommand } from './kubeconfig-command.js';
import { attachRunState, type CliIO, type RunState } from './io.js';
import { formatError } from './verbs/errors.js';

/** The components: processes that run until stopped. */
export const LONG_RUNNING_COMMANDS: ReadonlySet<string> = new Set(['server', 'apiserver', 'agent', 'runtime', 'scheduler', 'controller-manager']);
/** The components and `up`/`down` skip loading the kubectl-like verbs: they start faster without them. */
const COMPONENT_COMMANDS = new Set([...LONG_RUNNING_COMMANDS, 'up', 'down']);

/** buildProgram makes the `skiff` program wired to io, with the verbs when registerVerbs is given. */
export function buildProgram(state: RunState, registerVerbs?: (program: Command) => void): Command {
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
  registerVerbs?.(program);
  return program;
}

/** runCli runs argv (without node and script) and resolves to the exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const state: RunState = { io, exitCode: 0 };
  const component = argv[0] !== undefined && COMPONENT_COMMANDS.has(argv[0]) && !argv.includes('--help') && !argv.includes('-h');
  const verbs = component ? undefined : (await import('./verbs/index.js')).registerVerbCommands;
  const program = buildProgram(state, verbs);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    io.stderr.write(`${formatError(err)}\n`);
    return 1;
  }
}

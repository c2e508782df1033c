// skiff completion bash|zsh: a static completion script for verbs, their subcommands and
// resource types (zsh loads it through bashcompinit, as kubectl's zsh script once did).

import type { Command } from 'commander';
import { RESOURCES } from '../../api/registry.js';
import { runState } from '../io.js';
import { CliError } from './errors.js';

/** completionScript renders the bash function for program's commands. */
export function completionScript(program: Command): string {
  const verbs = program.commands.map((c) => c.name()).join(' ');
  const subs = program.commands
    .filter((c) => c.commands.length > 0)
    .map((c) => `    ${c.name()}) words="${c.commands.map((s) => s.name()).join(' ')} $types" ;;`)
    .join('\n');
  const types = RESOURCES.flatMap((r) => [r.plural, r.singular, ...r.shortNames]).join(' ');
  return `_skiff() {
  local cur=\${COMP_WORDS[COMP_CWORD]} types="${types}" words
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${verbs}" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${subs}
    *) words="$types" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _skiff skiff
`;
}

/** registerCompletion adds `completion`. */
export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('Output shell completion code for bash or zsh (source <(skiff completion bash))')
    .argument('<shell>', 'bash or zsh')
    .action((shell: string, _o: unknown, cmd: Command) => {
      if (shell !== 'bash' && shell !== 'zsh') throw new CliError(`Unsupported shell type "${shell}".`);
      const prefix = shell === 'zsh' ? 'autoload -U +X bashcompinit && bashcompinit\n' : '';
      runState(cmd).io.stdout.write(prefix + completionScript(program));
    });
}

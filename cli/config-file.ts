// `--config FILE` for the component commands, as k3s reads its config.yaml: a YAML mapping whose
// keys are the command's long flag names without the dashes (`port: 7443`, `disable:
// scheduler`, `cluster-dns: false` for --no-cluster-dns). A flag given on the command line wins
// over the file; the file wins over the defaults. Values go through the flag's own parser, so a
// bad one reads like the same mistake made on the command line.
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command, type Option } from 'commander';
import { parse } from 'yaml';

/** withConfigFile gives cmd a --config option, applied before its action runs. */
export function withConfigFile(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'YAML file of flag values: keys are flag names without "--"; flags given here win')
    .hook('preAction', (command) => applyConfigFile(command));
}

/** applyConfigFile sets the options the file names and the command line did not give. */
export function applyConfigFile(cmd: Command): void {
  const file = cmd.getOptionValue('config') as string | undefined;
  if (!file) return;
  const values = readConfig(file);
  for (const [key, raw] of Object.entries(values)) {
    const { option, negated } = findOption(cmd, key) ?? {};
    if (!option) throw new Error(`config file ${file}: unknown key "${key}" (not a flag of skiff ${cmd.name()}; see skiff ${cmd.name()} --help)`);
    const name = option.attributeName();
    if (givenOnCommandLine(cmd, name)) continue;
    try {
      cmd.setOptionValueWithSource(name, optionValue(option, negated ?? false, raw), 'config');
    } catch (err) {
      throw new Error(`config file ${file}: key "${key}": ${(err as Error).message}`);
    }
  }
}

/** givenOnCommandLine: the flag was typed, to cmd or (like --kubeconfig) to the program above it. */
function givenOnCommandLine(cmd: Command, name: string): boolean {
  for (let c: Command | null = cmd; c; c = c.parent) if (c.getOptionValueSource(name) === 'cli') return true;
  return false;
}

function readConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`config file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new Error(`config file ${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`config file ${file}: must be a mapping of flag names to values`);
  return doc as Record<string, unknown>;
}

/**
 * findOption: `key` is the flag `--key`; for a `--no-key` flag, `key` sets the feature itself
 * (negated: the value is inverted into the option) and `no-key` is the flag as written.
 */
function findOption(cmd: Command, key: string): { option: Option; negated: boolean } | undefined {
  if (key === 'config') return undefined;
  const exact = cmd.options.find((o) => o.long === `--${key}`);
  if (exact) return { option: exact, negated: exact.negate };
  const feature = cmd.options.find((o) => o.negate && o.long === `--no-${key}`);
  return feature ? { option: feature, negated: false } : undefined;
}

function optionValue(option: Option, negated: boolean, raw: unknown): unknown {
  if (option.negate) {
    if (typeof raw !== 'boolean') throw new InvalidArgumentError('must be true or false');
    return negated ? !raw : raw;
  }
  if (!option.required && !option.optional) {
    if (typeof raw !== 'boolean') throw new InvalidArgumentError('must be true or false');
    return raw;
  }
  if (raw === null || (typeof raw === 'object' && !Array.isArray(raw))) throw new InvalidArgumentError('must be a value, not a mapping');
  const text = Array.isArray(raw) ? raw.map(String).join(',') : String(raw);
  return option.parseArg ? option.parseArg(text, undefined as never) : text;
}

// Where Skiff keeps its state, in a module of its own: every command needs it, and the kubeconfig
// parser (and its YAML library) that used to hold it costs a daemon ~60 ms to load.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** skiffHome is $SKIFF_HOME, default ~/.skiff. */
export function skiffHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.SKIFF_HOME || join(homedir(), '.skiff');
}

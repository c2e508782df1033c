// Runs a CNI plugin chain by the CNI protocol: CNI_* environment, config on stdin, result on
// stdout. ADD runs the plugins in order passing each result on; DEL runs them in reverse.
import { join } from 'node:path';
import { run } from '../exec/run.js';
import { pluginStdin, type CniNetwork, type CniResult } from './cni-config.js';

/** Where Debian's containernetworking-plugins puts the plugins: the runtime's default plugin directory. */
export const DEFAULT_CNI_BIN_DIR = '/usr/lib/cni';

/** CniTarget is where the plugins act: a container id and its network namespace file. */
export interface CniTarget {
  containerId: string;
  netns: string;
  ifName: string;
}

/** cniAdd attaches the namespace to the network; returns the last plugin's result. */
export async function cniAdd(binDir: string, net: CniNetwork, target: CniTarget): Promise<CniResult> {
  let prev: unknown;
  for (const plugin of net.plugins) {
    prev = await invoke(binDir, 'ADD', net, plugin, target, prev);
  }
  return prev as CniResult;
}

/** cniDel detaches it; a plugin that finds nothing to delete succeeds, as the spec requires. */
export async function cniDel(binDir: string, net: CniNetwork, target: CniTarget, prevResult?: unknown): Promise<void> {
  for (const plugin of [...net.plugins].reverse()) {
    await invoke(binDir, 'DEL', net, plugin, target, prevResult);
  }
}

async function invoke(
  binDir: string,
  command: 'ADD' | 'DEL',
  net: CniNetwork,
  plugin: CniNetwork['plugins'][number],
  target: CniTarget,
  prev: unknown,
): Promise<unknown> {
  const env = {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: command,
    CNI_CONTAINERID: target.containerId,
    CNI_NETNS: target.netns,
    CNI_IFNAME: target.ifName,
    CNI_PATH: binDir,
  };
  const res = await run(join(binDir, plugin.type), [], { env, input: pluginStdin(net, plugin, prev) });
  const out = res.stdout.toString();
  if (res.code !== 0) {
    const msg = parseError(out) ?? res.stderr.toString().trim();
    throw new Error(`CNI ${plugin.type} ${command}: ${msg}`);
  }
  return out.trim() ? (JSON.parse(out) as unknown) : undefined;
}

function parseError(out: string): string | undefined {
  try {
    const e = JSON.parse(out) as { msg?: string; details?: string };
    return [e.msg, e.details].filter(Boolean).join(': ') || undefined;
  } catch {
    return undefined;
  }
}

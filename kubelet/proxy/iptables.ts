// The edge to the host's netfilter and sysctls: iptables-save, iptables-restore --noflush and
// sysctl, run as child processes, optionally inside a network namespace (`ip netns exec`), which
// is how tests program a namespace they made instead of the machine.
import { spawn } from 'node:child_process';

/** CommandResult is a finished child process. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Exec runs a command with optional stdin and never rejects on a non-zero exit. */
export type Exec = (cmd: string, args: string[], stdin?: string) => Promise<CommandResult>;

/** hostExec runs commands on this host, or in network namespace `netns` when given. */
export function hostExec(netns?: string): Exec {
  return (cmd, args, stdin) =>
    new Promise((resolve, reject) => {
      const [file, argv] = netns ? ['ip', ['netns', 'exec', netns, cmd, ...args]] : [cmd, args];
      const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      child.stdin.on('error', () => {}); // the command may exit before reading all of it
      child.stdin.end(stdin ?? '');
    });
}

async function must(exec: Exec, cmd: string, args: string[], stdin?: string): Promise<string> {
  const r = await exec(cmd, args, stdin);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/** iptablesSave is the nat and filter tables as iptables-save prints them. */
export async function iptablesSave(exec: Exec): Promise<string> {
  const nat = await must(exec, 'iptables-save', ['-t', 'nat']);
  const filter = await must(exec, 'iptables-save', ['-t', 'filter']);
  return `${filter}\n${nat}`;
}

/** iptablesRestore applies text with --noflush: only the chains it names change, each table atomically. */
export async function iptablesRestore(exec: Exec, text: string): Promise<void> {
  await must(exec, 'iptables-restore', ['-w', '5', '--noflush'], text);
}

/**
 * SYSCTLS the proxy needs:
 *  - ip_forward: nodes route pod and service traffic.
 *  - conf.all.route_localnet: a NodePort on 127.0.0.1 is DNATed to a pod (kube-proxy sets it too;
 *    the FIREWALL chain drops such packets arriving from outside).
 *  - bridge-nf-call-iptables: a pod reaching a Service whose endpoint sits on the same bridge gets
 *    the reply bridged straight back; only with this do those frames pass conntrack and get
 *    un-DNATed (needs the br_netfilter module).
 */
export const SYSCTLS: Record<string, string> = {
  'net.ipv4.ip_forward': '1',
  'net.ipv4.conf.all.route_localnet': '1',
  'net.bridge.bridge-nf-call-iptables': '1',
};

/** ensureSysctls sets SYSCTLS; returns the ones it could not set (e.g. br_netfilter not loaded) with why. */
export async function ensureSysctls(exec: Exec, wanted: Record<string, string> = SYSCTLS): Promise<string[]> {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(wanted)) {
    const cur = await exec('sysctl', ['-n', k]);
    if (cur.code === 0 && cur.stdout.trim() === v) continue;
    const r = await exec('sysctl', ['-w', `${k}=${v}`]);
    if (r.code !== 0) problems.push(`${k}=${v}: ${r.stderr.trim()}`);
  }
  return problems;
}

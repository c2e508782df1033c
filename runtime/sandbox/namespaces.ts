// A pod's namespaces outlive its containers without a pause process: the network namespace is a
// named `ip netns` (bind-mounted under /run/netns), IPC and UTS are bind-mounted onto files in the
// sandbox directory by `unshare --ipc=FILE --uts=FILE`, which also sets the pod's hostname.
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, runOk } from '../exec/run.js';

/** netnsName is the `ip netns` name of a sandbox. */
export function netnsName(sandboxId: string): string {
  return `skiff-${sandboxId.slice(0, 16)}`;
}

/** netnsPath is the file a runtime joins for the sandbox's network namespace. */
export function netnsPath(sandboxId: string): string {
  return join('/run/netns', netnsName(sandboxId));
}

/** createNetns makes the namespace (an existing one is reused); loopbackUp brings its lo up. */
export async function createNetns(sandboxId: string): Promise<string> {
  if (!existsSync(netnsPath(sandboxId))) await runOk('ip', ['netns', 'add', netnsName(sandboxId)]);
  return netnsPath(sandboxId);
}

/** loopbackUp sets the namespace's lo up (independent of the CNI plugins' eth0, so run beside them). */
export async function loopbackUp(sandboxId: string): Promise<void> {
  await runOk('ip', ['-n', netnsName(sandboxId), 'link', 'set', 'lo', 'up']);
}

/** deleteNetns removes it (and with it the pod's end of its veth); absent is fine. */
export async function deleteNetns(sandboxId: string): Promise<void> {
  if (existsSync(netnsPath(sandboxId))) await runOk('ip', ['netns', 'delete', netnsName(sandboxId)]);
}

/** createIpcUts makes the pod's IPC and (unless shareHostUts) UTS namespaces with its hostname. */
export async function createIpcUts(dir: string, hostname: string, shareHostUts: boolean): Promise<{ ipc: string; uts?: string }> {
  const ipc = join(dir, 'ipc');
  const uts = join(dir, 'uts');
  await writeFile(ipc, '');
  const args = [`--ipc=${ipc}`];
  if (!shareHostUts) {
    await writeFile(uts, '');
    args.push(`--uts=${uts}`, 'hostname', hostname);
  } else {
    args.push('true');
  }
  await runOk('unshare', args);
  return shareHostUts ? { ipc } : { ipc, uts };
}

/** releaseIpcUts unmounts the namespace files and removes them; absent is fine. */
export async function releaseIpcUts(dir: string): Promise<void> {
  for (const f of ['ipc', 'uts']) {
    const path = join(dir, f);
    if (!existsSync(path)) continue;
    await run('umount', [path]); // not mounted (half-made sandbox) is fine
    await rm(path, { force: true });
  }
}

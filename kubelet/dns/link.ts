// The node-local DNS address on a dummy link, as upstream's NodeLocal DNSCache does it
// (169.254.20.10 on a dummy interface). Kernels built without the dummy driver (this project's
// Firecracker VMs) get a bridge with no ports instead: as good for carrying a local address.
// Needs root. Idempotent, so a restarted agent reuses it; agents sharing a host (tests) each add
// their own address and remove only theirs.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function linkExists(name: string): Promise<boolean> {
  return run('ip', ['link', 'show', 'dev', name]).then(
    () => true,
    () => false,
  );
}

function prefix(address: string): string {
  return `${address}/${address.includes(':') ? 128 : 32}`;
}

async function hasAddress(name: string, address: string): Promise<boolean> {
  const { stdout } = await run('ip', ['-o', 'addr', 'show', 'dev', name]);
  return stdout.includes(` ${prefix(address)} `);
}

/** ensureDnsLink makes a dummy link `name`, up, carrying address; true when it added the address. */
export async function ensureDnsLink(name: string, address: string): Promise<boolean> {
  if (!(await linkExists(name))) {
    await run('ip', ['link', 'add', name, 'type', 'dummy'])
      .catch(() => run('ip', ['link', 'add', name, 'type', 'bridge']))
      .catch(async (err) => {
        if (!(await linkExists(name))) throw err; // else another agent made it first: fine
      });
  }
  const had = await hasAddress(name, address);
  await run('ip', ['addr', 'replace', prefix(address), 'dev', name]);
  await run('ip', ['link', 'set', name, 'up']);
  return !had;
}

/** removeDnsAddress takes address off the link, and the link away once it carries none. */
export async function removeDnsAddress(name: string, address: string): Promise<void> {
  if (!(await linkExists(name))) return;
  await run('ip', ['addr', 'del', prefix(address), 'dev', name]).catch(() => undefined);
  // The kernel's own IPv6 link-local address does not count.
  const { stdout } = await run('ip', ['-o', 'addr', 'show', 'dev', name, 'scope', 'global']);
  if (stdout.trim() === '') await run('ip', ['link', 'del', name]).catch(() => undefined);
}

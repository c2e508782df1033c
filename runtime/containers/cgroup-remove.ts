// Removes a cgroup path (a pod's parent) from every hierarchy it may exist in, children first.
// Only empty cgroups can be removed; runc has already removed its containers' cgroups.
import { existsSync } from 'node:fs';
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isCgroupV2 } from './cgroup-paths.js';

const ROOT = '/sys/fs/cgroup';

/** removeCgroup deletes cgroupPath under each v1 controller (or the v2 tree); absent is fine. */
export async function removeCgroup(cgroupPath: string): Promise<void> {
  if (!cgroupPath.replace(/\//g, '')) throw new Error('refusing to remove the root cgroup');
  const roots = isCgroupV2() ? [ROOT] : (await readdir(ROOT)).map((c) => join(ROOT, c));
  for (const root of roots) await removeTree(join(root, cgroupPath));
}

/** cgroupExists tells whether the path exists in any hierarchy (for tests and checks). */
export async function cgroupExists(cgroupPath: string): Promise<boolean> {
  const roots = isCgroupV2() ? [ROOT] : (await readdir(ROOT)).map((c) => join(ROOT, c));
  return roots.some((r) => existsSync(join(r, cgroupPath)));
}

async function removeTree(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) if (e.isDirectory()) await removeTree(join(dir, e.name));
  await rmdir(dir);
}

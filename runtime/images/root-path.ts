// Paths inside an unpacked root filesystem resolved as if that root were `/`, the way a process
// chrooted into it would see them (containerd's continuity `fs.RootPath`): symlinks met on the
// way, absolute or relative, are followed but never lead out of the root, and `..` stops at it.
// Layer unpacking writes and deletes only through such paths, so a layer cannot reach the host
// through a symlink that an earlier layer (or itself) planted.
import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The kernel's limit on symlinks followed in one lookup (MAXSYMLINKS on Linux is 40). */
const MAX_LINKS = 40;

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * resolveInRoot returns the host path of rel inside root with every symlink resolved inside root;
 * components that do not exist (yet) are kept as named, so the result may not exist.
 */
export async function resolveInRoot(root: string, rel: string): Promise<string> {
  let pending = components(rel);
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const c = pending.shift() as string;
    if (c === '..') {
      done.pop();
      continue;
    }
    const path = join(root, ...done, c);
    const st = await lstat(path).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw new Error(`${rel}: too many levels of symbolic links`);
      const target = await readlink(path);
      if (target.startsWith('/')) done.length = 0;
      pending = [...components(target), ...pending];
      continue;
    }
    done.push(c);
  }
  return join(root, ...done);
}

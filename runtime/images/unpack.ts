// Unpacks layer tarballs (plain or gzip, auto-detected by GNU tar) into a snapshot directory that
// already holds the layers below. A layer must not write outside the snapshot, whatever it holds:
// - GNU tar extracts it into an empty staging directory, where tar itself refuses `..` members
//   and hard links out, strips leading `/`, and creates symlinks only after the files (so no file
//   is written through a symlink of the same archive);
// - whiteouts, then the staged entries, are applied to the snapshot through paths resolved inside
//   it (root-path.ts), so symlinks left by lower layers cannot lead out either;
// - device nodes are dropped: a container's /dev comes from its spec, never from an image.
// Whiteouts are applied before the layer's own entries (they delete from the layers below), and
// `.wh.` files are not extracted, since GNU tar would write them as plain files.
// A hard link may name a file of a lower layer (Docker's applyLayer links it against the rootfs
// below): that file is linked into the staging directory first, where tar finds it.
import { chmod, chown, link, lstat, mkdir, mkdtemp, readdir, rename, rm, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runOk } from '../exec/run.js';
import { cleanEntry, parseTarListing, planWhiteouts, type TarMember } from './layers.js';
import { resolveInRoot } from './root-path.js';

/** applyLayer extracts one layer blob on top of dir. */
export async function applyLayer(blobPath: string, dir: string): Promise<void> {
  const listed = await runOk('tar', ['-tvf', blobPath, '--numeric-owner', '--quoting-style=c'], { env: { ...process.env, LC_ALL: 'C' } });
  const members = parseTarListing(listed.stdout.toString('latin1'));
  const plan = planWhiteouts(members.map((m) => m.name));
  for (const path of plan.remove) await rm(join(await resolveInRoot(dir, dirname(path)), basename(path)), { recursive: true, force: true });
  for (const path of plan.opaque) await emptyDir(await resolveInRoot(dir, path));
  const stage = await mkdtemp(`${dir}.stage-`);
  try {
    await stageLowerLinkTargets(members, dir, stage);
    await runOk('tar', [
      '-xf', blobPath, '-C', stage,
      '--numeric-owner', '--same-owner', '--same-permissions',
      '--exclude=.wh.*',
    ]);
    await dropDevices(stage);
    const explicitDirs = new Set(members.filter((m) => m.type === 'd').map((m) => cleanEntry(m.name)).filter((e) => e !== undefined));
    await merge(stage, dir, '', explicitDirs);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/**
 * stageLowerLinkTargets links into stage the lower-layer files that the layer's hard links name
 * but the layer itself does not hold. The target is looked up inside dir (symlinks resolved
 * inside it), so a link can never reach a file outside the snapshot; a target that is missing
 * or a directory is left alone and tar refuses the link as before.
 */
async function stageLowerLinkTargets(members: TarMember[], dir: string, stage: string): Promise<void> {
  const own = new Set(members.map((m) => cleanEntry(m.name)));
  for (const m of members) {
    const target = m.type === 'h' && m.link !== undefined ? cleanEntry(m.link) : undefined;
    if (target === undefined || own.has(target)) continue;
    own.add(target);
    const lower = join(await resolveInRoot(dir, dirname(target)), basename(target));
    const st = await lstat(lower).catch(() => undefined);
    if (!st || st.isDirectory()) continue;
    await mkdir(join(stage, dirname(target)), { recursive: true });
    await link(lower, join(stage, target));
  }
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * merge moves the staged entries under rel into the snapshot. A directory meets a directory:
 * merged, taking the layer's mode and owner when the layer names it; an implicit directory (only
 * a parent of other entries) meeting a symlink follows it inside the root; anything else
 * replaces what was there, as Docker's layer apply does.
 */
async function merge(stage: string, root: string, rel: string, explicitDirs: Set<string>): Promise<void> {
  const parent = await resolveInRoot(root, rel);
  await mkdir(parent, { recursive: true });
  for (const name of await readdir(join(stage, rel))) {
    const from = join(stage, rel, name);
    const relName = rel ? `${rel}/${name}` : name;
    const st = await lstat(from);
    const explicit = explicitDirs.has(relName);
    let to = join(parent, name);
    let there = await lstat(to).catch(() => undefined);
    if (st.isDirectory() && !explicit && there?.isSymbolicLink()) {
      to = await resolveInRoot(root, relName);
      there = await lstat(to).catch(() => undefined);
    }
    if (st.isDirectory() && there?.isDirectory()) {
      await merge(stage, root, relName, explicitDirs);
      if (explicit) await copyAttributes(st, to);
      continue;
    }
    if (there) await rm(to, { recursive: true, force: true });
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
  }
}

async function copyAttributes(st: Awaited<ReturnType<typeof lstat>>, to: string): Promise<void> {
  await chown(to, Number(st.uid), Number(st.gid));
  await chmod(to, Number(st.mode) & 0o7777);
  await utimes(to, st.atime, st.mtime);
}

/** dropDevices removes block and character devices (and sockets) from the staged tree. */
async function dropDevices(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await dropDevices(path);
    else if (e.isBlockDevice() || e.isCharacterDevice() || e.isSocket()) await rm(path, { force: true });
  }
}

/** emptyDir deletes what a directory holds; the path is resolved already, so nothing is followed. */
async function emptyDir(dir: string): Promise<void> {
  const st = await lstat(dir).catch(() => undefined);
  if (!st?.isDirectory()) return;
  for (const e of await readdir(dir)) await rm(join(dir, e), { recursive: true, force: true });
}

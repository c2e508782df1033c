// Unpacks layer tarballs (plain or gzip, auto-detected by GNU tar) into a snapshot directory,
// applying each layer's whiteouts to the layers below it before extracting it, because GNU tar
// would otherwise write `.wh.` files as plain files.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runOk } from '../exec/run.js';
import { planWhiteouts } from './layers.js';

/** applyLayer extracts one layer blob on top of dir. */
export async function applyLayer(blobPath: string, dir: string): Promise<void> {
  const listing = await runOk('tar', ['-tf', blobPath]);
  const plan = planWhiteouts(listing.stdout.toString().split('\n').filter(Boolean));
  for (const path of plan.remove) await rm(join(dir, path), { recursive: true, force: true });
  for (const path of plan.opaque) await emptyDir(join(dir, path));
  await runOk('tar', [
    '-xf', blobPath, '-C', dir,
    '--numeric-owner', '--same-owner', '--same-permissions',
    '--exclude=.wh.*',
  ]);
}

async function emptyDir(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const e of entries) await rm(join(dir, e), { recursive: true, force: true });
}

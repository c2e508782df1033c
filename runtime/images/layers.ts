// Pure helpers for layer stacks: chain ids (the snapshot key) and whiteout plans.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';

/**
 * chainId identifies a stack of layers as OCI defines it: ChainID(L1) = DiffID(L1),
 * ChainID(L1..Ln) = sha256(ChainID(L1..Ln-1) + " " + DiffID(Ln)).
 */
export function chainId(diffIds: string[]): string {
  if (diffIds.length === 0) throw new Error('an image needs at least one layer');
  return diffIds.slice(1).reduce((chain, diffId) => {
    return `sha256:${createHash('sha256').update(`${chain} ${diffId}`).digest('hex')}`;
  }, diffIds[0] as string);
}

/** WhiteoutPlan lists what a layer deletes from the layers below it. */
export interface WhiteoutPlan {
  /** Paths (relative, clean) to delete: `.wh.<name>` entries. */
  remove: string[];
  /** Directories whose lower contents are hidden: `.wh..wh..opq` entries. */
  opaque: string[];
}

const OPAQUE = '.wh..wh..opq';

/** planWhiteouts reads a layer's entry names (as `tar -t` prints them) into a plan. */
export function planWhiteouts(entries: string[]): WhiteoutPlan {
  const plan: WhiteoutPlan = { remove: [], opaque: [] };
  for (const raw of entries) {
    const entry = cleanEntry(raw);
    if (entry === undefined) continue;
    const base = posix.basename(entry);
    const dir = posix.dirname(entry);
    if (base === OPAQUE) plan.opaque.push(dir);
    else if (base.startsWith('.wh.')) {
      // `.wh..` or `.wh...` would name the directory itself or its parent: never a deletion.
      const name = base.slice(4);
      const target = name === '.' || name === '..' || name === '' ? undefined : cleanEntry(posix.join(dir, name));
      if (target !== undefined) plan.remove.push(target);
    }
  }
  return plan;
}

/** cleanEntry makes a tar entry relative and refuses ones that climb out of the root. */
export function cleanEntry(raw: string): string | undefined {
  const entry = posix.normalize(raw.replace(/^\/+/, '')).replace(/\/+$/, '');
  if (entry === '.' || entry === '' || entry === '..' || entry.startsWith('../')) return undefined;
  return entry;
}

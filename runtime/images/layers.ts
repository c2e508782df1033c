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

/** TarMember is one line of `tar -tv --quoting-style=c`: its type letter, name and link target. */
export interface TarMember {
  /** `-` file, `d` directory, `h` hard link, `l` symlink, `c`/`b`/`p` devices and fifos. */
  type: string;
  name: string;
  /** The target of a hard link or symlink. */
  link?: string;
}

/**
 * parseTarListing reads GNU tar's verbose listing with C-quoted names (read as latin1, so one
 * char is one byte). Quoting keeps names with spaces, quotes or newlines apart from the
 * ` link to ` and ` -> ` separators; the fields before the name never hold a `"`.
 */
export function parseTarListing(out: string): TarMember[] {
  const members: TarMember[] = [];
  for (const line of out.split('\n')) {
    const start = line.indexOf('"');
    if (start < 0) continue;
    const name = readCString(line, start);
    if (!name) continue;
    const member: TarMember = { type: line[0] ?? '-', name: name.value };
    const rest = line.slice(name.end);
    const sep = rest.startsWith(' link to "') ? ' link to '.length : rest.startsWith(' -> "') ? ' -> '.length : -1;
    if (sep >= 0) member.link = readCString(rest, sep)?.value;
    members.push(member);
  }
  return members;
}

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, '?': 63 };

/** readCString decodes the C string literal at s[start] (a `"`) into UTF-8 text. */
function readCString(s: string, start: number): { value: string; end: number } | undefined {
  const bytes: number[] = [];
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '"') return { value: Buffer.from(bytes).toString('utf8'), end: i + 1 };
    if (c !== '\\') {
      bytes.push(c.charCodeAt(0) & 0xff);
      continue;
    }
    const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
    if (oct) {
      bytes.push(parseInt(oct[0], 8) & 0xff);
      i += oct[0].length;
      continue;
    }
    const e = C_ESCAPES[s[i + 1] ?? ''];
    if (e === undefined) return undefined;
    bytes.push(e);
    i++;
  }
  return undefined;
}

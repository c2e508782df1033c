// Layer extraction cannot write outside the snapshot: crafted tarballs (written here by a small
// ustar writer) with `..` members, absolute paths, symlinks out and files written through them
// (in the same layer and from a lower layer), hard links out (and in: to a lower layer's file), whiteouts with `..` or through
// symlinks, and device nodes. Each case unpacks into <base>/snapshots/snap beside <base>/outside
// and compares everything under <base> except the snapshot before and after. Root only (tar
// restores owners, as the runtime does).
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyLayer } from '../../runtime/images/unpack.js';

type Kind = 'file' | 'dir' | 'symlink' | 'link' | 'char' | 'block';
interface Entry { name: string; kind?: Kind; data?: string; link?: string; mode?: number }

const TYPEFLAG: Record<Kind, string> = { file: '0', link: '1', symlink: '2', char: '3', block: '4', dir: '5' };

/** ustar writes a tar archive of the entries (names under 100 bytes, owner root). */
function ustar(entries: Entry[]): Buffer {
  const oct = (n: number, width: number) => `${n.toString(8).padStart(width - 1, '0')}\0`;
  const out: Buffer[] = [];
  for (const e of entries) {
    const kind = e.kind ?? 'file';
    const data = Buffer.from(kind === 'file' ? (e.data ?? '') : '');
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100);
    h.write(oct(e.mode ?? (kind === 'dir' ? 0o755 : 0o644), 8), 100);
    h.write(oct(0, 8), 108);
    h.write(oct(0, 8), 116);
    h.write(oct(data.length, 12), 124);
    h.write(oct(0, 12), 136);
    h.write(' '.repeat(8), 148);
    h.write(TYPEFLAG[kind], 156);
    h.write(e.link ?? '', 157, 100);
    h.write('ustar\u000000', 257);
    if (kind === 'char' || kind === 'block') {
      h.write(oct(8, 8), 329);
      h.write(oct(0, 8), 337);
    }
    const sum = h.reduce((a, b) => a + b, 0);
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    out.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  out.push(Buffer.alloc(1024));
  return Buffer.concat(out);
}

const bases: string[] = [];
afterAll(() => {
  for (const b of bases) rmSync(b, { recursive: true, force: true });
});

/** fingerprint lists every path under base except the snapshot: type, mode, links, content. */
function fingerprint(base: string, skip: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (path === skip) continue;
      const st = lstatSync(path);
      const what = st.isSymbolicLink() ? `-> ${readlinkSync(path)}`
        : st.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : st.isDirectory() ? 'dir' : 'other';
      out.push(`${relative(base, path)} ${st.mode.toString(8)} ${st.nlink} ${what}`);
      if (st.isDirectory()) walk(path);
    }
  };
  walk(base);
  return out;
}

interface Box { base: string; outside: string; snap: string }

/** box makes <base>/outside (a victim file and directory, the target of the attacks) and <base>/snapshots/snap. */
function box(): Box {
  const base = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-layers-`));
  bases.push(base);
  const outside = join(base, 'outside');
  mkdirSync(join(outside, 'sub'), { recursive: true });
  writeFileSync(join(outside, 'victim'), 'original');
  writeFileSync(join(outside, 'sub', 'file'), 'original');
  const snap = join(base, 'snapshots', 'snap');
  mkdirSync(snap, { recursive: true });
  return { base, outside, snap };
}

/**
 * unpack applies the layers in order into the box's snapshot, checks that nothing else under its
 * base changed (also when a layer is refused) and tells whether any layer was refused.
 */
async function unpack(b: Box, layers: Entry[][]): Promise<boolean> {
  const before = fingerprint(b.base, b.snap);
  let refused = false;
  for (const [i, layer] of layers.entries()) {
    const file = join(b.base, `layer-${i}.tar`);
    writeFileSync(file, ustar(layer));
    try {
      await applyLayer(file, b.snap);
    } catch {
      refused = true;
    }
    rmSync(file);
  }
  expect(fingerprint(b.base, b.snap)).toEqual(before);
  return refused;
}

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('layer extraction stays inside the snapshot (root only)', () => {
  it('refuses a member with ..', async () => {
    const b = box();
    expect(await unpack(b, [[{ name: '../../outside/dd', data: 'x' }, { name: 'ok', data: 'ok' }]])).toBe(true);
  });

  it('puts an absolute member under the snapshot', async () => {
    const b = box();
    expect(await unpack(b, [[{ name: `${b.outside}/abs`, data: 'x' }]])).toBe(false);
    expect(readFileSync(join(b.snap, b.outside, 'abs'), 'utf8')).toBe('x');
  });

  it.each([
    ['absolute', (b: Box) => b.outside],
    ['relative', () => '../../outside'],
  ])('refuses a file written through a %s symlink out of the same layer', async (_n, target) => {
    const b = box();
    expect(await unpack(b, [[{ name: 's', kind: 'symlink', link: target(b) }, { name: 's/pwn', data: 'x' }]])).toBe(true);
  });

  it.each([
    ['absolute', (b: Box) => b.outside],
    ['relative', () => '../../../outside'],
  ])("writes through a lower layer's %s symlink inside the snapshot only", async (_n, target) => {
    const b = box();
    const refused = await unpack(b, [
      [{ name: 's', kind: 'symlink', link: target(b) }],
      [{ name: 's/pwn', data: 'x' }, { name: 's/victim', data: 'overwritten' }, { name: 's/sub/file', data: 'overwritten' }],
    ]);
    expect(refused).toBe(false);
    expect(lstatSync(join(b.snap, 's')).isSymbolicLink()).toBe(true);
    const landed = target(b).startsWith('/') ? join(b.snap, b.outside) : join(b.snap, 'outside');
    expect(readFileSync(join(landed, 'victim'), 'utf8')).toBe('overwritten');
  });

  it('refuses hard links out of the snapshot (absolute, relative, through a lower symlink)', async () => {
    for (const link of [(b: Box) => `${b.outside}/victim`, () => '../../outside/victim', () => '../../../outside/victim']) {
      const b = box();
      expect(await unpack(b, [[{ name: 'h', kind: 'link', link: link(b) }]])).toBe(true);
    }
    const b = box();
    expect(await unpack(b, [[{ name: 's', kind: 'symlink', link: b.outside }], [{ name: 'h', kind: 'link', link: 's/victim' }]])).toBe(true);
  });

  it('links a hard link to a file of a lower layer, also through a lower symlink, inside the snapshot', async () => {
    const b = box();
    const refused = await unpack(b, [
      [{ name: 'usr/', kind: 'dir' }, { name: 'usr/lib/', kind: 'dir' }, { name: 'lib', kind: 'symlink', link: 'usr/lib' }, { name: 'usr/bin/tool', data: 'payload', mode: 0o755 }, { name: 'usr/lib/libx.so', data: 'so' }],
      [{ name: 'bin/alias', kind: 'link', link: 'usr/bin/tool' }, { name: 'lib/liby.so', kind: 'link', link: 'lib/libx.so' }, { name: 'new', data: 'n' }, { name: 'new2', kind: 'link', link: 'new' }],
    ]);
    expect(refused).toBe(false);
    expect(readFileSync(join(b.snap, 'bin/alias'), 'utf8')).toBe('payload');
    expect(lstatSync(join(b.snap, 'bin/alias')).ino).toBe(lstatSync(join(b.snap, 'usr/bin/tool')).ino);
    expect(lstatSync(join(b.snap, 'usr/bin/tool')).mode & 0o7777).toBe(0o755);
    expect(readFileSync(join(b.snap, 'usr/lib/liby.so'), 'utf8')).toBe('so');
    expect(lstatSync(join(b.snap, 'lib')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(b.snap, 'new2'), 'utf8')).toBe('n');
    expect(readdirSync(join(b.base, 'snapshots'))).toEqual(['snap']);
  });

  it('refuses a hard link to a lower directory or to a file no layer holds', async () => {
    for (const link of ['usr', 'missing']) {
      const b = box();
      expect(await unpack(b, [[{ name: 'usr/', kind: 'dir' }], [{ name: 'h', kind: 'link', link }]])).toBe(true);
      expect(readdirSync(join(b.base, 'snapshots'))).toEqual(['snap']);
    }
  });

  it('ignores whiteouts that name . or .. and keeps the snapshot', async () => {
    const b = box();
    await unpack(b, [
      [{ name: 'keep', data: 'k' }, { name: 'a/', kind: 'dir' }],
      [{ name: '.wh...', data: '' }, { name: '.wh..', data: '' }, { name: 'a/.wh...', data: '' }, { name: 'a/.wh..', data: '' }],
    ]);
    expect(readdirSync(b.snap).sort()).toEqual(['a', 'keep']);
  });

  it('applies whiteouts and opaque markers through lower symlinks inside the snapshot only', async () => {
    const b = box();
    await unpack(b, [
      [{ name: 's', kind: 'symlink', link: b.outside }, { name: 'r', kind: 'symlink', link: '../../outside' }, { name: `${b.outside.slice(1)}/victim`, data: 'inner' }],
      [{ name: 's/.wh.victim', data: '' }, { name: 'r/.wh..wh..opq', data: '' }, { name: 'r/.wh.sub', data: '' }],
    ]);
    expect(readdirSync(join(b.snap, b.outside))).toEqual([]);
  });

  it('drops device nodes and keeps the rest of the layer', async () => {
    const b = box();
    await unpack(b, [[{ name: 'sda', kind: 'block' }, { name: 'tty', kind: 'char' }, { name: 'ok', data: 'ok' }]]);
    expect(readdirSync(b.snap)).toEqual(['ok']);
  });

  it('replaces a symlink out by a file of the same name without touching its target', async () => {
    const b = box();
    await unpack(b, [[{ name: 'f', kind: 'symlink', link: `${b.outside}/victim` }], [{ name: 'f', data: 'mine' }]]);
    expect(readFileSync(join(b.snap, 'f'), 'utf8')).toBe('mine');
  });

  it('follows lower symlinks for implied directories and keeps lower directory modes (merged /usr, /tmp)', async () => {
    const b = box();
    await unpack(b, [
      [{ name: 'usr/', kind: 'dir' }, { name: 'usr/lib/', kind: 'dir' }, { name: 'lib', kind: 'symlink', link: 'usr/lib' }, { name: 'tmp/', kind: 'dir', mode: 0o1777 }],
      [{ name: 'lib/libfoo.so', data: 'so' }, { name: 'tmp/x', data: 'x' }, { name: 'etc/', kind: 'dir', mode: 0o700 }, { name: 'etc/app', data: 'a' }],
    ]);
    expect(lstatSync(join(b.snap, 'lib')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(b.snap, 'usr/lib/libfoo.so'), 'utf8')).toBe('so');
    expect(lstatSync(join(b.snap, 'tmp')).mode & 0o7777).toBe(0o1777);
    expect(lstatSync(join(b.snap, 'etc')).mode & 0o7777).toBe(0o700);
  });
});

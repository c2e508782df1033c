import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInRoot } from '../../../runtime/images/root-path.js';

const root = mkdtempSync(join(tmpdir(), 'skiff-unit-rootpath-'));

beforeAll(() => {
  mkdirSync(join(root, 'usr/lib'), { recursive: true });
  symlinkSync('usr/lib', join(root, 'lib'));
  symlinkSync('/etc', join(root, 'abs'));
  symlinkSync('../../../../..', join(root, 'up'));
  symlinkSync('up/etc', join(root, 'chain'));
  symlinkSync('loop2', join(root, 'loop1'));
  symlinkSync('loop1', join(root, 'loop2'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveInRoot', () => {
  it.each([
    ['plain path', 'usr/lib/x', 'usr/lib/x'],
    ['relative symlink', 'lib/x', 'usr/lib/x'],
    ['absolute symlink stays in the root', 'abs/passwd', 'etc/passwd'],
    ['.. stops at the root', '../../etc/passwd', 'etc/passwd'],
    ['symlink climbing out stops at the root', 'up/etc/passwd', 'etc/passwd'],
    ['chain of symlinks', 'chain/shadow', 'etc/shadow'],
    ['.. after a symlink is taken from its target', 'lib/../bin', 'usr/bin'],
    ['missing components are kept', 'no/such/file', 'no/such/file'],
    ['the root itself', '.', ''],
  ])('%s', async (_n, rel, want) => {
    expect(await resolveInRoot(root, rel)).toBe(join(root, want));
  });

  it('refuses a symlink loop', async () => {
    await expect(resolveInRoot(root, 'loop1/x')).rejects.toThrow(/too many levels/);
  });
});

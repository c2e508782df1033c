import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogFile, streamSplitter } from '../../../runtime/containers/logfile.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function logIn(maxBytes: number): LogFile {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-logfile-'));
  dirs.push(dir);
  return new LogFile(join(dir, 'c.log'), maxBytes);
}

describe('LogFile', () => {
  it('rotates to .1 past maxBytes and keeps writing to a fresh file', () => {
    const log = logIn(200);
    const out = streamSplitter('stdout');
    for (let i = 0; i < 10; i++) log.write(out, `line ${i} with some padding\n`);
    log.close();
    expect(existsSync(`${log.path}.1`)).toBe(true);
    expect(readFileSync(log.path, 'utf8')).toContain('stdout F line 9 with some padding');
  });

  it('survives a rotation after someone moved the file away, and reopens on request', () => {
    const log = logIn(200);
    const out = streamSplitter('stdout');
    log.write(out, 'first\n');
    renameSync(log.path, `${log.path}.moved`);
    for (let i = 0; i < 10; i++) log.write(out, `line ${i} with some padding\n`);
    expect(readFileSync(log.path, 'utf8')).toContain('line 9');
    renameSync(log.path, `${log.path}.moved2`);
    log.reopen();
    log.write(out, 'after reopen\n');
    log.close();
    expect(readFileSync(log.path, 'utf8')).toMatch(/stdout F after reopen\n$/);
  });
});

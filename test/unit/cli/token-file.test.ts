// `skiff agent --token-file`: the agent started beside the server waits for the join token the
// server writes, and one that joined before does not wait at all.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenFromFile } from '../../../cli/agent-command.js';
import { nodeKubeconfigPath } from '../../../cli/token-join.js';

let home = '';
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('tokenFromFile', () => {
  it('reads the token once the server has written it', async () => {
    home = mkdtempSync(join(tmpdir(), 'skiff-token-file-'));
    const file = join(home, 'join-token');
    const token = tokenFromFile(file, home, 'n1', 10_000);
    setTimeout(() => writeFileSync(file, 'K10abc::id.secret\n'), 150);
    expect(await token).toBe('K10abc::id.secret');
  });

  it('needs no token when the node kept its credentials from an earlier join', async () => {
    home = mkdtempSync(join(tmpdir(), 'skiff-token-file-'));
    const creds = nodeKubeconfigPath(home, 'n1');
    mkdirSync(join(creds, '..'), { recursive: true });
    writeFileSync(creds, 'apiVersion: v1\n');
    expect(await tokenFromFile(join(home, 'join-token'), home, 'n1', 10_000)).toBeUndefined();
  });

  it('gives up with a clear error when no token comes', async () => {
    home = mkdtempSync(join(tmpdir(), 'skiff-token-file-'));
    await expect(tokenFromFile(join(home, 'join-token'), home, 'n1', 200)).rejects.toThrow(/no join token in .*join-token/);
  });
});

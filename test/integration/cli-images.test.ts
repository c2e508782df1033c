// `skiff images ls|rm` through a real runtime service (gRPC on a unix socket in a temp home):
// the table lists the imported image, rm removes it through RemoveImage, an unknown name is an
// error with exit code 1, and rm without a running runtime says so.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/cli.js';
import { runtimeSocket } from '../../cli/runtime-process.js';
import { connectRuntime } from '../../runtime/service/client.js';
import { startRuntimeService, type RunningRuntimeService } from '../../runtime/service/server.js';

const dir = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-cli-images-`));
const home = join(dir, 'home');
let svc: RunningRuntimeService | undefined;

async function sk(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: { write: (t: string) => void (out += t) }, stderr: { write: (t: string) => void (err += t) } });
  return { code, out, err };
}

/** A one-layer `docker save` archive named test/cli:v1. */
function archive(): string {
  const save = join(dir, 'save');
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(save, { recursive: true });
  writeFileSync(join(dir, 'src', 'hello'), 'hello\n');
  execFileSync('tar', ['-cf', join(save, 'l1.tar'), '-C', join(dir, 'src'), '.']);
  const diffId = `sha256:${createHash('sha256').update(readFileSync(join(save, 'l1.tar'))).digest('hex')}`;
  writeFileSync(join(save, 'config.json'), JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['/hello'] }, rootfs: { type: 'layers', diff_ids: [diffId] } }));
  writeFileSync(join(save, 'manifest.json'), JSON.stringify([{ Config: 'config.json', RepoTags: ['test/cli:v1'], Layers: ['l1.tar'] }]));
  execFileSync('tar', ['-cf', join(dir, 'saved.tar'), '-C', save, '.']);
  return join(dir, 'saved.tar');
}

beforeAll(async () => {
  svc = await startRuntimeService({ root: join(home, 'runtime'), socketPath: runtimeSocket(home) });
  const rt = connectRuntime(runtimeSocket(home));
  try {
    await rt.importImage(archive());
  } finally {
    rt.close();
  }
}, 60_000);

afterAll(async () => {
  await svc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('skiff images', () => {
  it('ls lists the runtime images like crictl; rm removes through the runtime; unknown names fail', async () => {
    const ls = await sk('images', 'ls', '--home', home);
    expect(ls.code).toBe(0);
    const lines = ls.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^IMAGE\s+TAG\s+IMAGE ID\s+SIZE$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^docker\.io\/test\/cli\s+v1\s+[0-9a-f]{13}\s+\d+(\.\d+)?(B|kB)$/);
    const q = await sk('images', 'ls', '-q', '--home', home);
    expect(q.out).toMatch(/^sha256:[0-9a-f]{64}\n$/);

    const rm = await sk('images', 'rm', 'test/cli:v1', 'nope/none:v9', '--home', home);
    expect(rm).toEqual({ code: 1, out: 'Deleted: test/cli:v1\n', err: 'error: no such image "nope/none:v9"\n' });
    expect((await sk('images', 'ls', '--home', home)).out.trimEnd().split('\n')).toHaveLength(1);
    const rt = connectRuntime(runtimeSocket(home));
    try {
      expect(await rt.imageStatus('test/cli:v1')).toBeUndefined();
    } finally {
      rt.close();
    }
  });

  it('rm without a running runtime says where it looked', async () => {
    const r = await sk('images', 'rm', 'test/cli:v1', '--home', join(dir, 'empty'));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`no runtime answers on ${runtimeSocket(join(dir, 'empty'))}`);
  });
});

// Gives each test run an id that every etcd and temp dir it makes carries, and at the end kills
// and removes whatever of that run is left: a worker killed on a timeout cannot clean up itself.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function setup(): () => void {
  const runId = process.env.SKIFF_TEST_RUN ?? randomBytes(4).toString('hex');
  process.env.SKIFF_TEST_RUN = runId;
  return () => cleanupRun(runId);
}

function cleanupRun(runId: string): void {
  const marker = `skiff-it-${runId}-`;
  try {
    execFileSync('pkill', ['-KILL', '-f', `data-dir=${join(tmpdir(), marker)}`], { stdio: 'ignore' });
  } catch {
    // pkill exits 1 when nothing matched: the normal case.
  }
  for (const entry of readdirSync(tmpdir())) {
    if (entry.startsWith(marker)) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
}

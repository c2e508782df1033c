// Files that one skiff process writes and another waits for (`skiff up` waits for the server's
// kubeconfig, an agent for its join token; see runtime/containers/wait-file.ts): written whole.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** writeFileAtomic writes through a temporary file and a rename, so a reader sees the whole file or none. */
export function writeFileAtomic(path: string, data: string, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, path);
}

// What a container's shim leaves on disk: started.json when the process runs, exit.json when it
// has ended. Both are written atomically (temp file + rename) so a reader never sees half a file.
import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** StartRecord is written when the container's process has started. */
export interface StartRecord {
  pid: number;
  startedAt: number; // ns since epoch
  shimPid: number;
}

/** ExitRecord is written once the container's process has ended. */
export interface ExitRecord {
  exitCode: number;
  finishedAt: number; // ns since epoch
  reason: 'Completed' | 'Error' | 'OOMKilled' | 'StartError';
  message: string;
}

export const STARTED_FILE = 'started.json';
export const EXIT_FILE = 'exit.json';

/** exitReason names an ending the way the kubelet reports it. */
export function exitReason(exitCode: number, oomKilled: boolean): ExitRecord['reason'] {
  if (oomKilled) return 'OOMKilled';
  return exitCode === 0 ? 'Completed' : 'Error';
}

/** writeRecord writes JSON to dir/name atomically. */
export async function writeRecord(dir: string, name: string, value: object): Promise<void> {
  const tmp = join(dir, `.${name}.${randomBytes(4).toString('hex')}`);
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, join(dir, name));
}

/** writeRecordSync is writeRecord for the shim's start report: two syscalls, no thread-pool round trips. */
export function writeRecordSync(dir: string, name: string, value: object): void {
  const tmp = join(dir, `.${name}.${randomBytes(4).toString('hex')}`);
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, join(dir, name));
}

/** readRecord reads dir/name, or undefined when it is not there (yet). */
export async function readRecord<T>(dir: string, name: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, name), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** nowNs is the wall clock in ns since the epoch, as CRI timestamps are. */
export function nowNs(): number {
  return Date.now() * 1_000_000;
}

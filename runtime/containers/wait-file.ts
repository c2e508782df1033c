// Waits for a file to appear in a directory: inotify (fs.watch) rather than polling.
import { existsSync, watch } from 'node:fs';
import { join } from 'node:path';

/** waitForFile resolves true when dir/name exists, false after timeoutMs. */
export function waitForFile(dir: string, name: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const path = join(dir, name);
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      watcher.close();
      clearTimeout(timer);
      resolve(ok);
    };
    const watcher = watch(dir, () => {
      if (existsSync(path)) finish(true);
    });
    watcher.on('error', () => finish(existsSync(path)));
    const timer = setTimeout(() => finish(existsSync(path)), timeoutMs);
    if (existsSync(path)) finish(true);
  });
}

// Entry point of the container shim process (see shim.ts), spawned detached by the runtime:
//   shim-main.js <stateDir>/shim.json   or   shim-main.js --wait   (config path on stdin)
import { appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { shimMain } from './shim.js';

/** configPath reads the path from argv, or waits for one line on stdin (a spare shim). */
function configPath(): Promise<string> {
  const arg = process.argv[2] ?? '';
  if (arg !== '--wait') return Promise.resolve(arg);
  return new Promise((resolve) => {
    let buf = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (s: string) => {
      buf += s;
      if (buf.includes('\n')) {
        process.stdin.destroy();
        resolve(buf.slice(0, buf.indexOf('\n')));
      }
    });
    process.stdin.on('end', () => process.exit(0)); // the runtime went away before using this spare
  });
}

const path = await configPath();
shimMain(path).then(
  () => process.exit(0),
  (err: unknown) => {
    appendFileSync(join(dirname(path), 'shim.log'), `shim: ${String(err)}\n`);
    process.exit(1);
  },
);

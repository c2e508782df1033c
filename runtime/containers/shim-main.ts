// Entry point of the container shim process (see shim.ts), spawned detached by the runtime:
//   shim-main.js <stateDir>/shim.json   or   shim-main.js --wait   (prints "ready", then reads the
//   config as one JSON line on stdin: a spare shim booted ahead of its container, which also
//   forks runc's launcher ahead, see shim.ts)
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prestartRunc, runShimMain, type PrestartedRunc, type ShimConfig } from './shim.js';

let prestarted: PrestartedRunc | undefined;

/** readConfig reads the config file named in argv, or waits for one JSON line on stdin. */
function readConfig(): Promise<ShimConfig> {
  const arg = process.argv[2] ?? '';
  if (arg !== '--wait') return Promise.resolve(JSON.parse(readFileSync(arg, 'utf8')) as ShimConfig);
  return new Promise((resolve) => {
    let buf = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (s: string) => {
      buf += s;
      if (buf.includes('\n')) {
        process.stdin.destroy();
        resolve(JSON.parse(buf.slice(0, buf.indexOf('\n'))) as ShimConfig);
      }
    });
    process.stdin.on('end', () => process.exit(0)); // the runtime went away before using this spare
    prestarted = prestartRunc();
    process.stdout.write('ready\n');
  });
}

const cfg = await readConfig();
runShimMain(cfg, prestarted).then(
  () => process.exit(0),
  (err: unknown) => {
    appendFileSync(join(cfg.stateDir, 'shim.log'), `shim: ${String(err)}\n`);
    process.exit(1);
  },
);

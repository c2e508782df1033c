// The frame every benchmark script shares: progress lines stamped with the seconds since the
// script started, and a main() runner that exits when main settles (a leftover handle must not
// keep a finished benchmark alive) and prints the error and exits 1 when it fails.
import { performance } from 'node:perf_hooks';

const started = performance.now();

/** log prints one progress line as `[  12.3s] message`. */
export function log(message: string): void {
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}`);
}

/** runMain runs a benchmark's main and exits with 0, or 1 after printing its error. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

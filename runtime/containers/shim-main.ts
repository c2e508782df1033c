// Entry point of the container shim process (see shim.ts); spawned detached by the runtime.
import { shimMain } from './shim.js';

shimMain(process.argv[2] ?? '').then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`shim: ${String(err)}\n`);
    process.exit(1);
  },
);

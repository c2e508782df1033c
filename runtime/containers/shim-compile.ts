// Compiles the shim (shim-main.ts and what it imports) to plain JavaScript, for running the
// runtime from TypeScript sources (tests, benchmarks) without paying tsx's start-up per container.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOk } from '../exec/run.js';

/** compileShim writes the shim's JavaScript under outDir and returns the node arguments to run it. */
export async function compileShim(outDir: string): Promise<string[]> {
  const here = dirname(fileURLToPath(import.meta.url));
  const repo = join(here, '..', '..');
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  await runOk(process.execPath, [
    tsc, join(here, 'shim-main.ts'), '--outDir', outDir, '--rootDir', join(here, '..'),
    '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck',
  ]);
  // An ES module needs "type": "module" next to it when the outDir is outside the repo.
  await writeFile(join(outDir, 'package.json'), '{"type":"module"}\n');
  return [join(outDir, 'containers', 'shim-main.js')];
}

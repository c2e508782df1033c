// The versioned kubectl binaries tests call directly: PATH's `kubectl` is a dispatcher symlink, and
// kubectl.1.27 ... kubectl.1.33 sit beside the file it resolves to (see shared/DESIGN.md).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

let dir: string | undefined | null = null;

/** kubectlDir is the directory of the real kubectl, or undefined when none is installed. */
export function kubectlDir(): string | undefined {
  if (dir === null) {
    try {
      const path = execFileSync('sh', ['-c', 'readlink -f "$(command -v kubectl)"'], { encoding: 'utf8' }).trim();
      dir = path ? dirname(path) : undefined;
    } catch {
      dir = undefined;
    }
  }
  return dir;
}

/** kubectlBinary is the path of kubectl for a minor version ('1.33'), or undefined when absent. */
export function kubectlBinary(version: string): string | undefined {
  const d = kubectlDir();
  const bin = d ? join(d, `kubectl.${version}`) : '';
  return bin && existsSync(bin) ? bin : undefined;
}

/** presentKubectls keeps the versions whose binary exists, with their paths. */
export function presentKubectls(versions: string[]): { version: string; bin: string }[] {
  return versions.flatMap((version) => {
    const bin = kubectlBinary(version);
    return bin ? [{ version, bin }] : [];
  });
}

/** KubectlResult is one kubectl run: its exit code and output. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** runKubectl runs bin with args; a non-zero exit is a result, a spawn failure or a timeout an error. */
export async function runKubectl(bin: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<KubectlResult> {
  try {
    const { stdout, stderr } = await run(bin, args, { env, timeout: timeoutMs, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

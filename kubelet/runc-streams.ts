// The node's exec/attach/port-forward backend for the runc runtime on this host: exec runs
// `runc exec` in the pod's running container (the runtime keeps its runc state under its root),
// port-forward dials the pod's IP. CRI would stream through the runtime; on one host this is the
// short path, and the runtime stays the owner of every container's life-cycle.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { RuntimeService } from '../runtime/api.js';
import type { ExecProcess, ExecRequest, StreamBackend } from './stream-server/index.js';
import { LABEL_CONTAINER_NAME, LABEL_POD_NAME, LABEL_POD_NAMESPACE } from './labels.js';

export interface RuncStreamOptions {
  runtime: RuntimeService;
  /** The runtime's runc state directory (`<runtime root>/runc`). */
  runcRoot: string;
  runcBinary?: string;
  /** The pod's IP, for port-forward. */
  podIP(namespace: string, pod: string): Promise<string | undefined>;
}

async function runningContainer(rt: RuntimeService, req: Pick<ExecRequest, 'namespace' | 'pod' | 'container'>): Promise<string> {
  const found = await rt.listContainers({
    state: 'CONTAINER_RUNNING',
    labelSelector: { [LABEL_POD_NAMESPACE]: req.namespace, [LABEL_POD_NAME]: req.pod, [LABEL_CONTAINER_NAME]: req.container },
  });
  if (!found[0]) throw new Error(`container ${req.container} is not running in pod ${req.namespace}/${req.pod}`);
  return found[0].id;
}

export function runcStreamBackend(o: RuncStreamOptions): StreamBackend {
  return {
    async exec(req: ExecRequest): Promise<ExecProcess> {
      if (req.command.length === 0) throw new Error('attach is not supported by this runtime; use exec');
      const id = await runningContainer(o.runtime, req);
      const child = spawn(o.runcBinary ?? 'runc', ['--root', o.runcRoot, 'exec', id, ...req.command], {
        stdio: [req.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      });
      const exitCode = new Promise<number>((resolve) => {
        child.once('close', (code, signal) => resolve(code ?? (signal ? 128 + 9 : 1)));
        child.once('error', () => resolve(127));
      });
      return {
        stdin: child.stdin ?? undefined,
        stdout: child.stdout ?? undefined,
        stderr: child.stderr ?? undefined,
        exitCode,
        kill: () => void child.kill('SIGKILL'),
      };
    },
    async portForward(namespace: string, pod: string, port: number) {
      const ip = await o.podIP(namespace, pod);
      if (!ip) throw new Error(`pod ${namespace}/${pod} has no IP`);
      return new Promise((resolve, reject) => {
        const sock = connect({ host: ip, port }, () => resolve(sock));
        sock.once('error', reject);
      });
    },
  };
}

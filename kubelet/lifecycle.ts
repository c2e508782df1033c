// postStart and preStop hooks (upstream pkg/kubelet/lifecycle/handlers.go): exec through the
// runtime, httpGet to the pod IP, sleep. The caller bounds the time with the grace period.

import type { LifecycleHandler } from '../api/types/pod.js';
import type { RuntimeService } from '../runtime/api.js';
import { httpGetUrl, type ProbeTarget } from './prober.js';

/** HookOutcome: ok, or the message for the FailedPostStartHook / FailedPreStopHook event. */
export interface HookOutcome {
  ok: boolean;
  message: string;
}

/** runHandler runs one lifecycle handler within timeoutSeconds. */
export async function runHandler(runtime: RuntimeService, h: LifecycleHandler, target: ProbeTarget, timeoutSeconds: number): Promise<HookOutcome> {
  try {
    if (h.exec) {
      const r = await runtime.execSync(target.containerId, h.exec.command ?? [], timeoutSeconds);
      const out = Buffer.concat([r.stdout, r.stderr]).toString('utf8');
      return r.exitCode === 0 ? { ok: true, message: '' } : { ok: false, message: `Exec lifecycle hook (${(h.exec.command ?? []).join(' ')}) for Container "${target.container.name}" failed - error: command exited with ${r.exitCode}, message: ${JSON.stringify(out)}` };
    }
    if (h.httpGet) {
      const res = await fetch(httpGetUrl(h.httpGet, target), { signal: AbortSignal.timeout(timeoutSeconds * 1000) });
      await res.arrayBuffer();
      return res.status < 400 ? { ok: true, message: '' } : { ok: false, message: `HTTP lifecycle hook (${h.httpGet.path ?? '/'}) for Container "${target.container.name}" failed - error: status ${res.status}` };
    }
    if (h.sleep) await new Promise((r) => setTimeout(r, Math.min(h.sleep?.seconds ?? 0, timeoutSeconds) * 1000));
    return { ok: true, message: '' };
  } catch (err) {
    return { ok: false, message: `lifecycle hook for Container "${target.container.name}" failed - error: ${(err as Error).message}` };
  }
}

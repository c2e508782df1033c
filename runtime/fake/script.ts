// What a fake container does, chosen per container by the test: how long it takes to start,
// when and how it exits, how it answers exec, what it logs.

import type { ContainerConfig, PodSandboxConfig } from '../api.js';

/** ExecResult is a scripted answer to execSync. */
export interface ExecResult {
  exitCode: number;
  stdout?: string;
  stderr?: string;
}

/** ContainerScript describes one fake container's behaviour; every field is optional. */
export interface ContainerScript {
  /** Delay (on the runtime's clock) before startContainer returns. */
  startLatencyMs?: number;
  /** Exit by itself this long after starting (undefined: run until stopped). */
  exitAfterMs?: number;
  /** Exit code of a self-exit (default 0). */
  exitCode?: number;
  /** Reason reported on a self-exit, e.g. 'OOMKilled' (default Completed / Error by code). */
  exitReason?: string;
  /** Ignore SIGTERM: stopContainer waits the whole timeout and the exit code is 137. */
  ignoreSigterm?: boolean;
  /** Answers execSync; default exit 0 with empty output. */
  exec?: (cmd: string[]) => ExecResult;
  /** createContainer fails with this message (a runtime error such as a bad mount). */
  createError?: string;
  /** Lines written to the container's CRI log file when it starts (needs a real logDirectory). */
  logLines?: string[];
}

/** ScriptFn picks a container's script from its config; undefined means the default (runs forever). */
export type ScriptFn = (config: ContainerConfig, sandbox: PodSandboxConfig) => ContainerScript | undefined;

/** exitReason is the reason the kubelet reports for an exit code: Completed for 0, Error otherwise. */
export function exitReason(code: number, scripted?: string): string {
  if (scripted) return scripted;
  return code === 0 ? 'Completed' : 'Error';
}

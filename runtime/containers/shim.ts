// The per-container shim: a detached process that runs `runc run --keep` in the foreground, so it
// is the parent of runc and learns the exit status; it pumps stdout/stderr into the CRI log file,
// tells its starter "started <pid>" or "failed <message>" on fd 1, records started.json and
// exit.json (reading the OOM kill counter before the kept container and its cgroup are deleted),
// then deletes the container. SIGUSR1 reopens the log file.
// runc is started through a small `sh` forked ahead of time (prestartRunc): forking a node
// process costs tens of ms of page-table copying, which a spare shim pays while it waits for its
// container instead of on the start's critical path. The sh reads runc's arguments on its fd 3,
// which is the spare shim's fd 3, a pipe from the runtime: the runtime writes them there itself
// (launcherInput), so runc starts without waiting for the idle shim to wake up; the sh execs
// runc, so runc is still the shim's child, with the shim's pipes as stdout and stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../exec/run.js';
import { oomKills } from './cgroup-paths.js';
import { EXIT_FILE, exitReason, nowNs, STARTED_FILE, writeRecord, writeRecordSync, type ExitRecord } from './exit-record.js';
import { LogFile, streamSplitter } from './logfile.js';

/** ShimConfig is what the runtime hands the shim (and records in <stateDir>/shim.json). */
export interface ShimConfig {
  id: string;
  bundle: string;
  runcRoot: string;
  stateDir: string;
  logPath: string;
  maxLogBytes: number;
  cgroupsPath: string;
  runc: string;
  /** The runtime has already handed runc's arguments to the spare shim's pre-forked launcher. */
  prelaunched?: boolean;
}

/**
 * The pre-forked launcher: reads one argument per line from fd 3 until an empty line, closes fd 3
 * and execs them. If fd 3 ends first (the runtime went away), `exec` with no arguments returns and
 * sh just exits.
 */
const LAUNCHER = 'set --; while IFS= read -r a <&3 && [ -n "$a" ]; do set -- "$@" "$a"; done; exec 3<&-; [ $# -gt 0 ] && exec "$@"';

/** runcArgs are the arguments of the shim's `runc run`. */
export function runcArgs(cfg: ShimConfig): string[] {
  return ['--root', cfg.runcRoot, '--log', join(cfg.stateDir, 'runc.log'), '--log-format', 'json',
    'run', '--keep', '--bundle', cfg.bundle, '--pid-file', join(cfg.stateDir, 'pid'), cfg.id];
}

/**
 * launcherInput is what the runtime writes to the launcher for cfg, or undefined when an argument
 * cannot go on one line (then the shim spawns runc itself).
 */
export function launcherInput(cfg: ShimConfig): string | undefined {
  const argv = [cfg.runc, ...runcArgs(cfg)];
  return argv.every((a) => a !== '' && !a.includes('\n')) ? `${argv.join('\n')}\n\n` : undefined;
}

/** PrestartedRunc is a forked sh waiting for runc's arguments on its fd 3 (this process's fd 3). */
export interface PrestartedRunc {
  child: ChildProcess;
  /** Resolves with the exit of the launcher (runc, once exec'd), whenever it comes. */
  closed: Promise<number>;
}

/** prestartRunc forks the launcher (stdin /dev/null, stdout and stderr piped to this process). */
export function prestartRunc(): PrestartedRunc {
  const child = spawn('/bin/sh', ['-c', LAUNCHER], { stdio: ['ignore', 'pipe', 'pipe', 3] });
  const closed = new Promise<number>((resolve) => {
    child.on('error', () => resolve(128));
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)));
  });
  return { child, closed };
}

/** runShim runs the container to its end; resolves when everything is recorded. */
export async function runShim(cfg: ShimConfig, prestarted?: PrestartedRunc): Promise<void> {
  const log = new LogFile(cfg.logPath, cfg.maxLogBytes);
  process.on('SIGUSR1', () => log.reopen());
  const pidFile = join(cfg.stateDir, 'pid');
  let started = false;
  // Synchronous: this is on the start's critical path, and the shim has nothing else to do meanwhile.
  const markStarted = () => {
    if (started) return true;
    const pid = Number(readFileSafe(pidFile));
    if (!pid) return false;
    started = true;
    writeRecordSync(cfg.stateDir, STARTED_FILE, { pid, startedAt: nowNs(), shimPid: process.pid });
    report(`started ${pid}`);
    return true;
  };
  const watcher: FSWatcher = watch(cfg.stateDir, (_ev, name) => {
    if (name === 'pid') markStarted();
  });
  const code = runRunc(cfg, log, prestarted);
  markStarted(); // runc, started by the runtime, may have written its pid before the watch began
  const exitCode = await code;
  watcher.close();
  log.close();
  if (!markStarted()) {
    const message = await runcError(cfg.stateDir);
    await writeRecord(cfg.stateDir, EXIT_FILE, record(128, 'StartError', message));
    report(`failed ${message}`);
  } else {
    const oom = oomKills(cfg.cgroupsPath) > 0;
    await writeRecord(cfg.stateDir, EXIT_FILE, record(exitCode, exitReason(exitCode, oom), ''));
  }
  await run(cfg.runc, ['--root', cfg.runcRoot, 'delete', '--force', cfg.id]);
}

function runRunc(cfg: ShimConfig, log: LogFile, prestarted?: PrestartedRunc): Promise<number> {
  let launched = prestarted;
  if (launched && !cfg.prelaunched) {
    launched.child.kill('SIGKILL'); // the runtime did not feed it: its fd 3 stays open, it would wait forever
    launched = undefined;
  }
  if (!launched) {
    const child = spawn(cfg.runc, runcArgs(cfg), { stdio: ['ignore', 'pipe', 'pipe'] });
    const closed = new Promise<number>((resolve) => {
      child.on('error', () => resolve(128));
      child.on('close', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)));
    });
    launched = { child, closed };
  }
  const { child, closed } = launched;
  const out = streamSplitter('stdout');
  const err = streamSplitter('stderr');
  child.stdout?.setEncoding('utf8').on('data', (s: string) => log.write(out, s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => log.write(err, s));
  return closed.then((code) => {
    log.write(out, undefined);
    log.write(err, undefined);
    return code;
  });
}

function record(exitCode: number, reason: ExitRecord['reason'], message: string): ExitRecord {
  return { exitCode, finishedAt: nowNs(), reason, message };
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** runcError is the last error runc logged (its JSON log), for a start failure's message. */
async function runcError(stateDir: string): Promise<string> {
  const text = await readFile(join(stateDir, 'runc.log'), 'utf8').catch(() => '');
  const errors = text.split('\n').filter(Boolean).flatMap((l) => {
    try {
      const e = JSON.parse(l) as { level?: string; msg?: string };
      return e.level === 'error' && e.msg ? [e.msg] : [];
    } catch {
      return [];
    }
  });
  return errors.at(-1) ?? 'runc run failed';
}

/** report tells the starter how the start went; the starter may be gone, which is fine. */
function report(line: string): void {
  try {
    process.stdout.write(`${line}\n`);
    process.stdout.end();
  } catch {
    // The runtime service stopped listening: nothing to tell.
  }
}

/** runShimMain is the entry of shim-main.js once it has its config. */
export async function runShimMain(cfg: ShimConfig, prestarted?: PrestartedRunc): Promise<void> {
  process.stdout.on('error', () => undefined);
  await runShim(cfg, prestarted);
}

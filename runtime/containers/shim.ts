// The per-container shim: a detached process that runs `runc run --keep` in the foreground, so it
// is the parent of runc and learns the exit status; it pumps stdout/stderr into the CRI log file,
// tells its starter "started <pid>" or "failed <message>" on fd 1, records started.json and
// exit.json (reading the OOM kill counter before the kept container and its cgroup are deleted),
// then deletes the container. SIGUSR1 reopens the log file.
// runc is started through a small `sh` forked ahead of time (prestartRunc): forking a node
// process costs tens of ms of page-table copying, which a spare shim pays while it waits for its
// container instead of on the start's critical path; the sh then execs runc, so runc is still
// the shim's child, with the same pipes.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
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
}

/**
 * The pre-forked launcher: reads one argument per line from fd 3 until an empty line, closes fd 3
 * and execs them. If fd 3 ends first (the shim went away), `exec` with no arguments returns and
 * sh just exits.
 */
const LAUNCHER = 'set --; while IFS= read -r a <&3 && [ -n "$a" ]; do set -- "$@" "$a"; done; exec 3<&-; [ $# -gt 0 ] && exec "$@"';

/** PrestartedRunc is a forked sh waiting for runc's arguments on its fd 3. */
export interface PrestartedRunc {
  child: ChildProcess;
}

/** prestartRunc forks the launcher that runRunc later turns into runc (stdin /dev/null, stdout and stderr piped). */
export function prestartRunc(): PrestartedRunc {
  const child = spawn('/bin/sh', ['-c', LAUNCHER], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  child.on('error', () => undefined);
  (child.stdio[3] as Writable).on('error', () => undefined);
  return { child };
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
  const code = await runRunc(cfg, pidFile, log, prestarted);
  watcher.close();
  log.close();
  if (!markStarted()) {
    const message = await runcError(cfg.stateDir);
    await writeRecord(cfg.stateDir, EXIT_FILE, record(128, 'StartError', message));
    report(`failed ${message}`);
  } else {
    const oom = oomKills(cfg.cgroupsPath) > 0;
    await writeRecord(cfg.stateDir, EXIT_FILE, record(code, exitReason(code, oom), ''));
  }
  await run(cfg.runc, ['--root', cfg.runcRoot, 'delete', '--force', cfg.id]);
}

function runRunc(cfg: ShimConfig, pidFile: string, log: LogFile, prestarted?: PrestartedRunc): Promise<number> {
  const args = ['--root', cfg.runcRoot, '--log', join(cfg.stateDir, 'runc.log'), '--log-format', 'json',
    'run', '--keep', '--bundle', cfg.bundle, '--pid-file', pidFile, cfg.id];
  const argv = [cfg.runc, ...args];
  // The launcher takes one line per argument: one holding a newline (or empty) is run directly.
  const usable = prestarted && prestarted.child.exitCode === null && prestarted.child.signalCode === null
    && argv.every((a) => a !== '' && !a.includes('\n'));
  if (prestarted && !usable) prestarted.child.kill('SIGKILL');
  const child = usable ? prestarted.child : spawn(cfg.runc, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.on('error', () => undefined);
  if (usable) (child.stdio[3] as Writable).end(`${argv.join('\n')}\n\n`);
  if (!child.stdout || !child.stderr) throw new Error('runc launcher without pipes');
  const out = streamSplitter('stdout');
  const err = streamSplitter('stderr');
  child.stdout.setEncoding('utf8').on('data', (s: string) => log.write(out, s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => log.write(err, s));
  return new Promise((resolve) => {
    child.on('error', () => resolve(128));
    child.on('close', (code, signal) => {
      log.write(out, undefined);
      log.write(err, undefined);
      resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
    });
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

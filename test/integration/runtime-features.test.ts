// More of the runc runtime (issue 6): host ports through portmap, log rotation and reopening,
// exec timeouts, runAsNonRoot, the stop signal, the demo web image's /env and /app routes, and a
// start that runc refuses (through the shim's pre-forked launcher, as every spare shim starts runc).
// Names are unique to this run; afterAll removes what the tests made.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerConfig, PodSandboxConfig } from '../../runtime/api.js';
import { removeCgroup } from '../../runtime/containers/cgroup-remove.js';
import { EXIT_FILE } from '../../runtime/containers/exit-record.js';
import { waitForFile } from '../../runtime/containers/wait-file.js';
import { RuncRuntime } from '../../runtime/service/runc-runtime.js';

const skip = process.getuid?.() !== 0 || !(existsSync('/usr/sbin/runc') || existsSync('/usr/bin/runc'));
const suffix = `${process.pid}${randomBytes(2).toString('hex')}`;
const bridge = `skf${suffix}`.slice(0, 15);
const cgroupRoot = `/skiff-feat-${suffix}`;
const subnet = `10.${150 + (process.pid % 40)}.${randomBytes(1)[0]}`;
const hostPort = 20000 + (process.pid % 20000);
let root = '';
let rt: RuncRuntime;

function podConfig(name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    metadata: { name, namespace: 'default', uid: `${name}-${suffix}`, attempt: 0 }, hostname: name,
    logDirectory: join(root, 'logs', name), portMappings: [], labels: {}, annotations: {}, ...extra,
  };
}

function ctr(name: string, image: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return { metadata: { name, attempt: 0 }, image: { image }, command, args: [], envs: [], mounts: [], labels: {}, annotations: {}, logPath: `${name}.log`, ...extra };
}

async function retry<T>(fn: () => Promise<T>, ok: (v: T) => boolean, attempts = 200): Promise<T> {
  let last = await fn();
  for (let i = 1; i < attempts && !ok(last); i++) last = await fn();
  return last;
}

/** waitForText resolves with the file's text once it contains text (inotify on its directory). */
function waitForText(path: string, text: string, timeoutMs = 10_000): Promise<string> {
  const read = () => (existsSync(path) ? readFileSync(path, 'utf8') : '');
  return new Promise((resolve) => {
    const done = () => {
      watcher.close();
      clearTimeout(timer);
      resolve(read());
    };
    const watcher = watch(dirname(path), () => {
      if (read().includes(text)) done();
    });
    const timer = setTimeout(done, timeoutMs);
    if (read().includes(text)) done();
  });
}

describe.skipIf(skip)('runc runtime features (skipped unless root with runc installed)', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-runtime-feat-`));
    execFileSync('sh', [join(process.cwd(), 'hack/images/build.sh'), join(root, 'tars')], { stdio: 'ignore' });
    rt = await new RuncRuntime({ root: join(root, 'state'), bridge, podCidr: `${subnet}.0/24`, cgroupRoot, maxLogBytes: 2048 }).open();
    for (const f of readdirSync(join(root, 'tars'))) await rt.importImage(join(root, 'tars', f));
  });

  afterAll(async () => {
    if (!rt) return;
    try {
      for (const s of await rt.listPodSandbox()) await rt.removePodSandbox(s.id);
    } finally {
      await rt.close(); // tears down the spare sandbox, before its bridge goes
      execFileSync('sh', ['-c', `ip link del ${bridge} 2>/dev/null; true`]);
      await removeCgroup(cgroupRoot);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('publishes a hostPort through portmap and serves /env and /app from the web image', async () => {
    const cfg = podConfig('web', { portMappings: [{ protocol: 'TCP', containerPort: 8080, hostPort }] });
    const pod = await rt.runPodSandbox(cfg);
    const app = join(root, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'greeting.txt'), 'hello from a volume\n');
    const mounts = [{ containerPath: '/etc/app', hostPath: app, readonly: true }];
    const web = await rt.createContainer(pod, ctr('web', 'demo/web:v1', [], { mounts, envs: [{ key: 'COLOR', value: 'blue' }] }), cfg);
    await rt.startContainer(web);
    const gateway = `${subnet}.1`;
    const get = (path: string) => fetch(`http://${gateway}:${hostPort}${path}`).then(async (r) => ({ status: r.status, body: await r.text() }), () => ({ status: 0, body: '' }));
    const root_ = await retry(() => get('/'), (r) => r.status === 200);
    expect(root_.body).toContain('version=v1 host=web');
    expect((await get('/env')).body).toContain('COLOR=blue');
    expect((await get('/app/greeting.txt')).body).toBe('hello from a volume\n');
    expect((await get('/healthz')).status).toBe(200);
    await rt.removePodSandbox(pod);
    expect(execFileSync('iptables-save', ['-t', 'nat']).toString()).not.toContain(`dport ${hostPort} `);
  });

  it('rotates the log by size and reopens it on request', async () => {
    const cfg = podConfig('logs');
    const pod = await rt.runPodSandbox(cfg);
    const cmd = ['sh', '-c', 'i=0; while [ $i -lt 100 ]; do echo "line $i of a log that grows"; i=$((i+1)); done; while true; do echo tick; sleep 0.2; done'];
    const id = await rt.createContainer(pod, ctr('talker', 'demo/tools:v1', cmd), cfg);
    await rt.startContainer(id);
    const logPath = (await rt.containerStatus(id)).logPath;
    expect(await waitForFile(dirname(logPath), 'talker.log.1', 10_000)).toBe(true);
    // The shim renames, then opens the new file: .1 can be seen a moment before the new log exists.
    expect(await waitForFile(dirname(logPath), 'talker.log', 10_000)).toBe(true);
    renameSync(logPath, `${logPath}.moved`);
    await rt.reopenContainerLog(id);
    expect(await waitForFile(dirname(logPath), 'talker.log', 10_000)).toBe(true);
    expect(await waitForText(logPath, 'stdout F tick')).toContain('stdout F tick');
    await rt.removePodSandbox(pod);
  });

  it('times out an exec and kills what it started', async () => {
    const cfg = podConfig('exec');
    const pod = await rt.runPodSandbox(cfg);
    const id = await rt.createContainer(pod, ctr('c', 'demo/tools:v1', ['sleep', '1000']), cfg);
    await rt.startContainer(id);
    await expect(rt.execSync(id, ['sleep', '30'], 1)).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    const ps = await rt.execSync(id, ['ps'], 5);
    expect(ps.stdout.toString()).not.toContain('sleep 30');
    const res = await rt.execSync(id, ['sh', '-c', 'echo out; echo err >&2; exit 4'], 5);
    expect([res.stdout.toString(), res.stderr.toString(), res.exitCode]).toEqual(['out\n', 'err\n', 4]);
    await rt.removePodSandbox(pod);
  });

  it('refuses runAsNonRoot for an image that runs as root, and honours the stop signal', async () => {
    const cfg = podConfig('sec');
    const pod = await rt.runPodSandbox(cfg);
    const nonRoot = ctr('nr', 'demo/tools:v1', ['true'], { linux: { securityContext: { runAsNonRoot: true } } });
    await expect(rt.createContainer(pod, nonRoot, cfg)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    const trap = ['sh', '-c', 'trap "echo got USR1; exit 0" USR1; echo ready; while true; do sleep 0.1; done'];
    const id = await rt.createContainer(pod, ctr('trap', 'demo/tools:v1', trap, { stopSignal: 'SIGUSR1' }), cfg);
    await rt.startContainer(id);
    const logPath = (await rt.containerStatus(id)).logPath;
    expect(await waitForText(logPath, 'stdout F ready')).toContain('ready');
    await rt.stopContainer(id, 20);
    expect(await waitForFile(rt.containers.dir(id), EXIT_FILE, 1000)).toBe(true);
    expect(await rt.containerStatus(id)).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(readFileSync(logPath, 'utf8')).toContain('stdout F got USR1');
    await rt.removePodSandbox(pod);
  });

  it('reports a command missing from the image as StartError with runc\'s message, and starts the next container', async () => {
    const cfg = podConfig('bad');
    const pod = await rt.runPodSandbox(cfg);
    await rt.containers.warm(); // the start goes through a spare shim and its pre-forked launcher
    const bad = await rt.createContainer(pod, ctr('bad', 'demo/tools:v1', ['/no/such/binary']), cfg);
    await expect(rt.startContainer(bad)).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/no such file/i) });
    expect(await rt.containerStatus(bad)).toMatchObject({ state: 'CONTAINER_EXITED', reason: 'StartError', exitCode: 128 });
    const good = await rt.createContainer(pod, ctr('good', 'demo/tools:v1', ['sh', '-c', 'echo "arg with spaces" \'and "quotes"\'; exit 5']), cfg);
    await rt.startContainer(good);
    expect(await waitForFile(rt.containers.dir(good), EXIT_FILE, 20_000)).toBe(true);
    expect(await rt.containerStatus(good)).toMatchObject({ state: 'CONTAINER_EXITED', reason: 'Error', exitCode: 5 });
    expect(readFileSync((await rt.containerStatus(good)).logPath, 'utf8')).toContain('stdout F arg with spaces and "quotes"');
    await rt.removePodSandbox(pod);
  });
});

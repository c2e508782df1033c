// The runc runtime end to end (issue 6, "Done when"): real runc, namespaces, CNI and cgroups.
// Every name is unique to this run (pid + random), and afterAll removes what the tests made.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerConfig, PodSandboxConfig } from '../../runtime/api.js';
import { cgroupFiles } from '../../runtime/containers/cgroup-files.js';
import { cgroupFile, isCgroupV2 } from '../../runtime/containers/cgroup-paths.js';
import { cgroupExists, removeCgroup } from '../../runtime/containers/cgroup-remove.js';
import { EXIT_FILE } from '../../runtime/containers/exit-record.js';
import { toOciResources } from '../../runtime/containers/resources.js';
import { waitForFile } from '../../runtime/containers/wait-file.js';
import { netnsPath } from '../../runtime/sandbox/namespaces.js';
import { connectRuntime } from '../../runtime/service/client.js';
import { RuncRuntime } from '../../runtime/service/runc-runtime.js';
import { startRuntimeService } from '../../runtime/service/server.js';

const isRoot = process.getuid?.() === 0;
const hasRunc = existsSync('/usr/sbin/runc') || existsSync('/usr/bin/runc');
const skip = !isRoot || !hasRunc;
const suffix = `${process.pid}${randomBytes(2).toString('hex')}`;
const bridge = `skt${suffix}`.slice(0, 15);
const cgroupRoot = `/skiff-test-${suffix}`;
const podCidr = `10.${200 + (process.pid % 50)}.${randomBytes(1)[0]}.0/24`;

let root = '';
let rt: RuncRuntime;

function podConfig(name: string): PodSandboxConfig {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}-${suffix}`, attempt: 0 },
    hostname: name, logDirectory: join(root, 'logs', name), portMappings: [], labels: { test: suffix }, annotations: {},
  };
}

function ctr(name: string, image: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name, attempt: 0 }, image: { image }, command, args: [], envs: [], mounts: [],
    labels: {}, annotations: {}, logPath: `${name}.log`, ...extra,
  };
}

async function runToExit(pod: string, cfg: PodSandboxConfig, c: ContainerConfig) {
  const id = await rt.createContainer(pod, c, cfg);
  await rt.startContainer(id);
  expect(await waitForFile(rt.containers.dir(id), EXIT_FILE, 60_000)).toBe(true);
  return { id, status: await rt.containerStatus(id) };
}

/** retry runs fn until it passes, for servers that are still starting (bounded attempts, no sleeps). */
async function retry<T>(fn: () => Promise<T>, ok: (v: T) => boolean, attempts = 200): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await fn();
    if (ok(last)) return last;
  }
  return last as T;
}

describe.skipIf(skip)('runc runtime (skipped unless root with runc installed)', () => {
  let pod = '';
  let podCfg: PodSandboxConfig;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-runtime-`));
    execFileSync('sh', [join(process.cwd(), 'hack/images/build.sh'), join(root, 'image-tars')]);
    rt = await new RuncRuntime({ root: join(root, 'state'), bridge, podCidr, cgroupRoot }).open();
    for (const f of readdirSync(join(root, 'image-tars'))) await rt.importImage(join(root, 'image-tars', f));
    podCfg = podConfig('pod-a');
    pod = await rt.runPodSandbox(podCfg);
  });

  afterAll(async () => {
    if (!rt) return;
    try {
      for (const s of await rt.listPodSandbox()) await rt.removePodSandbox(s.id);
    } finally {
      await rt.close(); // tears down the spare sandbox, before its bridge goes
      execFileSync('sh', ['-c', `ip link del ${bridge} 2>/dev/null; true`]);
      await removeCgroup(cgroupRoot);
      execFileSync('sh', ['-c', `grep -o ' ${root}[^ ]*' /proc/self/mountinfo | xargs -r -n1 umount -l; true`]);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('runs a container whose output is in the CRI log, exit 0 Completed', async () => {
    const { status } = await runToExit(pod, podCfg, ctr('hello', 'demo/tools:v1', ['sh', '-c', 'echo hello out; echo oops >&2']));
    expect(status).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' });
    const log = readFileSync(status.logPath, 'utf8');
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F hello out$/m);
    expect(log).toMatch(/ stderr F oops$/m);
  });

  it('reports a failing exit code as Error', async () => {
    const { status } = await runToExit(pod, podCfg, ctr('fail', 'demo/tools:v1', ['sh', '-c', 'exit 3']));
    expect(status).toMatchObject({ exitCode: 3, reason: 'Error' });
  });

  it('reports OOMKilled for a container past its 64Mi limit', async () => {
    const cmd = ['sh', '-c', 'x=$(head -c 300000000 /dev/zero | tr "\\0" a); echo survived'];
    const { status } = await runToExit(pod, podCfg, ctr('oom', 'demo/tools:v1', cmd, { linux: { resources: { memoryLimitInBytes: 64 << 20 } } }));
    expect(status).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  }, 90_000); // filling 64Mi through a pipe takes over 20 s on a loaded 2-core machine

  it('writes the memory, cpu and pids limits into the cgroup files', async () => {
    const resources = { memoryLimitInBytes: 64 << 20, cpuQuota: 50_000, cpuPeriod: 100_000, cpuShares: 512, pidsLimit: 64 };
    const id = await rt.createContainer(pod, ctr('limits', 'demo/tools:v1', ['sleep', '1000'], { linux: { resources } }), podCfg);
    await rt.startContainer(id);
    const path = rt.containers.get(id).cgroupsPath;
    // The files of this host's kind (v1 here; the v2 table is unit-tested in cgroup-files.test.ts).
    const want = cgroupFiles(toOciResources(resources), isCgroupV2());
    expect(want.length).toBeGreaterThanOrEqual(5);
    for (const f of want) expect(`${f.file}=${readFileSync(cgroupFile(f.controller, path, f.file), 'utf8').trim()}`).toBe(`${f.file}=${f.value}`);
    await rt.stopContainer(id, 1); // sleep as pid 1 ignores SIGTERM: SIGKILL after 1 s
    expect((await rt.containerStatus(id)).state).toBe('CONTAINER_EXITED');
    await rt.stopContainer(id, 1); // idempotent
  });

  it('lets two containers of a pod talk over localhost and see the pod hostname', async () => {
    const web = await rt.createContainer(pod, ctr('web', 'demo/web:v1', []), podCfg);
    await rt.startContainer(web);
    const tools = await rt.createContainer(pod, ctr('tools', 'demo/tools:v1', ['sleep', '1000']), podCfg);
    await rt.startContainer(tools);
    const res = await retry(() => rt.execSync(tools, ['wget', '-qO-', 'http://127.0.0.1:8080/'], 5), (r) => r.exitCode === 0);
    expect(res.stdout.toString()).toContain('version=v1 host=pod-a');
    const health = await rt.execSync(tools, ['wget', '-qO-', 'http://127.0.0.1:8080/healthz'], 5);
    expect(health.exitCode).toBe(0);
  });

  it('reaches another pod on the node by its IP', async () => {
    const cfgB = podConfig('pod-b');
    const podB = await rt.runPodSandbox(cfgB);
    const ipA = (await rt.podSandboxStatus(pod)).network.ip;
    expect(ipA).toMatch(/^10\./);
    const web = await rt.createContainer(pod, ctr('web2', 'demo/web:v2', [], { envs: [{ key: 'PORT', value: '8081' }] }), podCfg);
    await rt.startContainer(web);
    const client = await rt.createContainer(podB, ctr('client', 'demo/tools:v1', ['sleep', '1000']), cfgB);
    await rt.startContainer(client);
    const res = await retry(() => rt.execSync(client, ['wget', '-qO-', `http://${ipA}:8081/`], 5), (r) => r.exitCode === 0);
    expect(res.stdout.toString()).toContain('version=v2 host=pod-a');
  });

  it('holds runAsUser and readOnlyRootFilesystem inside the container', async () => {
    const securityContext = { runAsUser: 1000, runAsGroup: 3000, readonlyRootfs: true };
    const cmd = ['sh', '-c', 'id -u; id -g; touch /x 2>/dev/null && echo writable || echo readonly'];
    const { status } = await runToExit(pod, podCfg, ctr('sec', 'demo/tools:v1', cmd, { linux: { securityContext } }));
    const lines = readFileSync(status.logPath, 'utf8').split('\n').map((l) => l.split(' ').slice(3).join(' '));
    expect(lines.slice(0, 3)).toEqual(['1000', '3000', 'readonly']);
  });

  it('keeps containers, logs and exit codes across a restart of the runtime service (over gRPC)', async () => {
    const socketPath = join(root, 'runtime.sock');
    let svc = await startRuntimeService({ ...rt.opts, socketPath });
    let client = connectRuntime(socketPath);
    try {
      const done = await client.createContainer(pod, ctr('before', 'demo/tools:v1', ['sh', '-c', 'echo kept; exit 7']), podCfg);
      await client.startContainer(done);
      expect(await waitForFile(rt.containers.dir(done), EXIT_FILE, 20_000)).toBe(true);
      const running = await client.createContainer(pod, ctr('longrun', 'demo/tools:v1', ['sleep', '1000']), podCfg);
      await client.startContainer(running);
      client.close();
      await svc.stop();
      svc = await startRuntimeService({ ...rt.opts, socketPath });
      client = connectRuntime(socketPath);
      const st = await client.containerStatus(done);
      expect(st).toMatchObject({ exitCode: 7, reason: 'Error', state: 'CONTAINER_EXITED' });
      expect(readFileSync(st.logPath, 'utf8')).toContain('stdout F kept');
      expect((await client.containerStatus(running)).state).toBe('CONTAINER_RUNNING');
      const exec = await client.execSync(running, ['echo', 'alive'], 5);
      expect(Buffer.from(exec.stdout).toString()).toBe('alive\n');
    } finally {
      client.close();
      await svc.stop();
    }
    await rt.close();
    rt = await new RuncRuntime(rt.opts).open(); // the in-process view, for the tests after this one
  });

  it('leaves nothing behind after the sandbox is removed', async () => {
    const cfg = podConfig('pod-gone');
    const id = await rt.runPodSandbox(cfg);
    const rec = rt.sandboxes.get(id);
    const c = await rt.createContainer(id, ctr('c', 'demo/tools:v1', ['sleep', '1000']), cfg);
    await rt.startContainer(c);
    const ip = rec.ip;
    await rt.stopPodSandbox(id);
    await rt.removePodSandbox(id);
    await rt.removePodSandbox(id); // idempotent
    expect(existsSync(netnsPath(id))).toBe(false);
    expect(await cgroupExists(rec.cgroupParent)).toBe(false);
    expect(existsSync(rt.sandboxes.dir(id))).toBe(false);
    expect(existsSync(rt.containers.dir(c))).toBe(false);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(rt.sandboxes.dir(id));
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(rt.containers.dir(c));
    const ipam = join(rt.opts.root, 'cni', 'ipam', 'skiff');
    expect(existsSync(join(ipam, ip))).toBe(false);
    const state = execFileSync('runc', ['--root', rt.containers.runc.root, 'list', '-q']).toString();
    expect(state).not.toContain(c);
    expect((await rt.listContainers({ podSandboxId: id })).length).toBe(0);
  });
});

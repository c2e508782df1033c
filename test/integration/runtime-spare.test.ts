// The runc runtime's spare sandbox (runtime/sandbox/spare.ts): made after a container start, taken
// by the next pod that fits, torn down by close() and, after a crash, by the next open().
// Names are unique to this run; afterAll removes what the tests made.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerConfig, PodSandboxConfig } from '../../runtime/api.js';
import { removeCgroup } from '../../runtime/containers/cgroup-remove.js';
import { EXIT_FILE } from '../../runtime/containers/exit-record.js';
import { waitForFile } from '../../runtime/containers/wait-file.js';
import { netnsPath } from '../../runtime/sandbox/namespaces.js';
import { SPARE_FILE } from '../../runtime/sandbox/spare.js';
import { RuncRuntime, type RuncRuntimeOptions } from '../../runtime/service/runc-runtime.js';

const skip = process.getuid?.() !== 0 || !(existsSync('/usr/sbin/runc') || existsSync('/usr/bin/runc'));
const suffix = `${process.pid}${randomBytes(2).toString('hex')}`;
const bridge = `sks${suffix}`.slice(0, 15);
const cgroupRoot = `/skiff-spare-${suffix}`;
const subnet = `10.${100 + (process.pid % 40)}.${randomBytes(1)[0]}`;
let root = '';
let opts: RuncRuntimeOptions;
const runtimes: RuncRuntime[] = [];

function podConfig(name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  return {
    metadata: { name, namespace: 'default', uid: `${name}-${suffix}`, attempt: 0 }, hostname: name,
    logDirectory: join(root, 'logs', name), portMappings: [], labels: {}, annotations: {}, ...extra,
  };
}

function ctr(name: string, command: string[]): ContainerConfig {
  return { metadata: { name, attempt: 0 }, image: { image: 'demo/tools:v1' }, command, args: [], envs: [], mounts: [], labels: {}, annotations: {}, logPath: `${name}.log` };
}

async function open(): Promise<RuncRuntime> {
  const rt = await new RuncRuntime(opts).open();
  runtimes.push(rt);
  return rt;
}

/** spareIds lists the sandbox directories that hold a spare. */
function spareIds(): string[] {
  const dir = join(opts.root, 'sandboxes');
  return existsSync(dir) ? readdirSync(dir).filter((id) => existsSync(join(dir, id, SPARE_FILE))) : [];
}

/** waitForSpare polls the directory until a made spare (its network namespace and IP recorded) is there. */
async function waitForSpare(): Promise<{ id: string; ip: string }> {
  for (let i = 0; i < 300; i++) {
    for (const id of spareIds()) {
      const rec = JSON.parse(readFileSync(join(opts.root, 'sandboxes', id, SPARE_FILE), 'utf8')) as { ip: string };
      if (rec.ip) return { id, ip: rec.ip };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no spare sandbox was made within 15 s');
}

/** startSleeper runs a sleeping container in a new pod: a container start is what asks for the next spare. */
async function startSleeper(rt: RuncRuntime, name: string): Promise<string> {
  const cfg = podConfig(name);
  const pod = await rt.runPodSandbox(cfg);
  await rt.startContainer(await rt.createContainer(pod, ctr('sleep', ['sleep', '600']), cfg));
  return pod;
}

const mounted = (path: string) => readFileSync('/proc/self/mountinfo', 'utf8').includes(path);

describe.skipIf(skip)('the runtime spare sandbox (skipped unless root with runc installed)', () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-runtime-spare-`));
    execFileSync('sh', [join(process.cwd(), 'hack/images/build.sh'), join(root, 'tars')], { stdio: 'ignore' });
    opts = { root: join(root, 'state'), bridge, podCidr: `${subnet}.0/24`, cgroupRoot };
    const rt = await open();
    for (const f of readdirSync(join(root, 'tars'))) await rt.importImage(join(root, 'tars', f));
  });

  afterAll(async () => {
    try {
      const rt = runtimes.at(-1);
      if (rt) for (const s of await rt.listPodSandbox()) await rt.removePodSandbox(s.id).catch(() => undefined);
    } finally {
      for (const rt of runtimes) await rt.close().catch(() => undefined);
      execFileSync('sh', ['-c', `ip link del ${bridge} 2>/dev/null; true`]);
      await removeCgroup(cgroupRoot).catch(() => undefined);
      execFileSync('sh', ['-c', `grep -o ' ${root}[^ ]*' /proc/self/mountinfo | xargs -r -n1 umount -l; true`]);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the next pod takes the spare made after a start: its namespace, its IP, and the pod hostname inside', async () => {
    const rt = runtimes[0]!;
    await startSleeper(rt, 'first');
    const spare = await waitForSpare();
    expect(existsSync(netnsPath(spare.id))).toBe(true);

    const cfg = podConfig('second');
    const pod = await rt.runPodSandbox(cfg);
    expect(pod).toBe(spare.id);
    expect(rt.sandboxes.get(pod).ip).toBe(spare.ip);
    expect((await rt.podSandboxStatus(pod)).network.ip).toBe(spare.ip);
    expect(existsSync(join(rt.sandboxes.dir(pod), SPARE_FILE))).toBe(false);
    expect(existsSync(join(rt.sandboxes.dir(pod), 'sandbox.json'))).toBe(true);

    // The spare's UTS namespace was made before the pod existed: runc sets the pod's hostname.
    const id = await rt.createContainer(pod, ctr('names', ['sh', '-c', 'hostname; cat /etc/hostname; ip -o -4 addr show eth0']), cfg);
    await rt.startContainer(id);
    expect(await waitForFile(rt.containers.dir(id), EXIT_FILE, 30_000)).toBe(true);
    const log = readFileSync((await rt.containerStatus(id)).logPath, 'utf8');
    const lines = log.split('\n').filter(Boolean).map((l) => l.split(' ').slice(3).join(' '));
    expect(lines.slice(0, 2)).toEqual(['second', 'second']);
    expect(lines[2]).toContain(`${spare.ip}/`);
  }, 60_000);

  it('a pod with a host port or on the host network makes its own sandbox and leaves the spare', async () => {
    const rt = runtimes[0]!;
    const spare = await waitForSpare();
    const withPort = await rt.runPodSandbox(podConfig('port', { portMappings: [{ protocol: 'TCP', containerPort: 80, hostPort: 30000 + (process.pid % 20000) }] }));
    const hostNet = await rt.runPodSandbox(podConfig('hostnet', { hostNetwork: true }));
    expect([withPort, hostNet]).not.toContain(spare.id);
    expect(spareIds()).toEqual([spare.id]);
    for (const id of [withPort, hostNet]) await rt.removePodSandbox(id);
  }, 60_000);

  it('close() tears the spare down: namespaces, IP, directory', async () => {
    const rt = runtimes[0]!;
    const spare = await waitForSpare();
    await rt.close();
    expect(existsSync(netnsPath(spare.id))).toBe(false);
    expect(existsSync(join(opts.root, 'sandboxes', spare.id))).toBe(false);
    expect(mounted(join(opts.root, 'sandboxes', spare.id))).toBe(false);
    expect(existsSync(join(opts.root, 'cni', 'ipam', 'skiff', spare.ip))).toBe(false);
  }, 60_000);

  it('open() tears down a spare left by a runtime that did not close, and keeps the pods', async () => {
    const crashed = await open();
    const pod = await startSleeper(crashed, 'third');
    const spare = await waitForSpare();
    const next = await open(); // the crashed one is never closed before this
    expect(existsSync(netnsPath(spare.id))).toBe(false);
    expect(existsSync(join(opts.root, 'sandboxes', spare.id))).toBe(false);
    expect(mounted(join(opts.root, 'sandboxes', spare.id))).toBe(false);
    expect(next.sandboxes.find(pod)).toBeDefined();
    expect(existsSync(netnsPath(pod))).toBe(true);
  }, 60_000);
});

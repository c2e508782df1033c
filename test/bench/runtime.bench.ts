// Benchmark: the runc runtime against bare runc, in the same run on the same bundles.
//   CreateContainer -> running process (create + start over the runtime's gRPC socket, as the
//   agent calls them)                                      vs  `runc run --detach` of that bundle
//   whole pod: RunPodSandbox + create + start             vs  the same bare runc run
//   containerd: `ctr run -d` of the same image             (when Debian's containerd is installed)
// Each round times bare runc, then ours (then ctr) back to back, each after the runtime has a
// spare shim booted (as it has between starts), so nothing of ours runs in the background of a
// measurement. The shim is compiled to JavaScript first (as dist/ runs it): no tsx start-up.
// CreateContainer and StartContainer are also reported apart. With BENCH_CPU_PROFILE_DIR set, the
// container rounds write a CPU profile of this process (runtime service and client).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ContainerConfig, PodSandboxConfig } from '../../runtime/api.js';
import { removeCgroup } from '../../runtime/containers/cgroup-remove.js';
import { compileShim } from '../../runtime/containers/shim-compile.js';
import { connectRuntime } from '../../runtime/service/client.js';
import { RuncRuntime } from '../../runtime/service/runc-runtime.js';
import { startRuntimeService } from '../../runtime/service/server.js';
import { profiled } from './lib/profile.js';
import { figure, meta, writeResults, type Figure } from './lib/results.js';
import { percentile } from './lib/stats.js';

const ROUNDS = 20;
const POD_ROUNDS = 10;
const suffix = `${process.pid}${randomBytes(2).toString('hex')}`;
const bridge = `skb${suffix}`.slice(0, 15);
const cgroupRoot = `/skiff-bench-${suffix}`;
const root = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'bench'}-runtime-bench-`));
const haveContainerd = existsSync('/usr/bin/containerd') && existsSync('/usr/bin/ctr');

function pod(name: string): PodSandboxConfig {
  return { metadata: { name, namespace: 'bench', uid: name, attempt: 0 }, hostname: name, logDirectory: join(root, 'logs'), portMappings: [], labels: {}, annotations: {} };
}

function sleeper(name: string): ContainerConfig {
  return { metadata: { name, attempt: 0 }, image: { image: 'demo/tools:v1' }, command: ['sleep', '1000'], args: [], envs: [], mounts: [], labels: {}, annotations: {}, logPath: `${name}.log` };
}

function timed(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/** bareRun times `runc run --detach` of a created (never started) container's bundle. */
function bareRun(rt: RuncRuntime, containerId: string, name: string): number {
  const runcRoot = join(root, 'bare-runc');
  const ms = timed(() => execFileSync('runc', ['--root', runcRoot, 'run', '--detach', '--bundle', join(rt.containers.dir(containerId), 'bundle'), name], { stdio: 'ignore' }));
  execFileSync('runc', ['--root', runcRoot, 'delete', '--force', name], { stdio: 'ignore' });
  return ms;
}

/** Containerd is Debian's containerd on a socket, root and state of this run, driven by ctr. */
class Containerd {
  private child?: ChildProcess;
  private readonly dir = join(root, 'containerd');
  private readonly ns = `skiffbench${suffix}`;

  async start(): Promise<void> {
    const sock = join(this.dir, 'containerd.sock');
    execFileSync('mkdir', ['-p', this.dir]);
    writeFileSync(join(this.dir, 'config.toml'), [
      'version = 2', `root = "${this.dir}/root"`, `state = "${this.dir}/state"`, `[grpc]`, `  address = "${sock}"`,
      '[plugins."io.containerd.grpc.v1.cri"]', '  disable_cgroup = true', // CRI plugin unused: ctr talks to containerd directly
    ].join('\n'));
    this.child = spawn('containerd', ['--config', join(this.dir, 'config.toml')], { stdio: 'ignore' });
    for (let i = 0; ; i++) {
      try {
        this.ctr(['version']);
        return;
      } catch (err) {
        if (i > 100) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  ctr(args: string[]): void {
    execFileSync('ctr', ['-a', join(this.dir, 'containerd.sock'), '-n', this.ns, ...args], { stdio: 'ignore' });
  }

  /** run times `ctr run -d` of the image to a running task, then removes it. */
  run(name: string): number {
    const ms = timed(() => this.ctr(['run', '-d', '--cgroup', `${cgroupRoot}/ctr-${name}`, 'docker.io/demo/tools:v1', name, 'sleep', '1000']));
    this.ctr(['tasks', 'delete', '--force', name]);
    this.ctr(['containers', 'delete', name]);
    return ms;
  }

  async stop(): Promise<void> {
    if (!this.child) return;
    const exited = new Promise((r) => this.child!.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(this.dir));
    for (const m of mounts.reverse()) execFileSync('umount', [m], { stdio: 'ignore' });
  }
}

async function main(): Promise<void> {
  execFileSync('sh', [join(process.cwd(), 'hack/images/build.sh'), join(root, 'tars')], { stdio: 'ignore' });
  const shimCommand = await compileShim(join(root, 'shim'));
  const rt = await new RuncRuntime({ root: join(root, 'state'), bridge, podCidr: '10.251.0.0/24', cgroupRoot, shimCommand }).open();
  for (const f of readdirSync(join(root, 'tars'))) await rt.importImage(join(root, 'tars', f));
  const socketPath = join(root, 'runtime.sock');
  const service = await startRuntimeService({ root: join(root, 'state'), socketPath, runtime: rt });
  const client = connectRuntime(socketPath);
  const containerd = haveContainerd ? new Containerd() : undefined;
  let containerdNote = 'containerd (ctr) is not installed here: no containerd figure.';
  const figures: Record<string, Figure> = {};
  const load = [loadavg()[0]!];
  try {
    if (containerd) {
      await containerd.start();
      containerd.ctr(['images', 'import', join(root, 'tars', 'demo-tools-v1.tar')]);
      containerdNote = "containerd 1.6 (Debian) measured with `ctr run -d` of the same image: that includes starting the ctr client and its snapshot and task set-up (ours includes the gRPC calls, not a CLI start-up).";
    }
    const cfg = pod('bench');
    const sandbox = await rt.runPodSandbox(cfg);
    const ours: number[] = [];
    const bare: number[] = [];
    const ratios: number[] = [];
    const ctr: number[] = [];
    const creates: number[] = [];
    const starts: number[] = [];
    await profiled('runtime-containers', async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const probe = await rt.createContainer(sandbox, sleeper(`bare-${i}`), cfg);
        await rt.containers.warm();
        bare.push(bareRun(rt, probe, `bare-${suffix}-${i}`));
        await rt.removeContainer(probe);
        await rt.containers.warm();
        const t = performance.now();
        const id = await client.createContainer(sandbox, sleeper(`c-${i}`), cfg);
        const created = performance.now();
        await client.startContainer(id);
        ours.push(performance.now() - t);
        creates.push(created - t);
        starts.push(performance.now() - created);
        ratios.push(ours.at(-1)! / bare.at(-1)!);
        await rt.removeContainer(id);
        if (containerd) ctr.push(containerd.run(`c${i}`));
      }
    });
    load.push(loadavg()[0]!);
    const bareP50 = percentile(bare, 50);
    figures['container create->running p50'] = figure(percentile(ours, 50), 'ms', bareP50, 'runc run --detach p50');
    figures['container create->running p99'] = figure(percentile(ours, 99), 'ms', percentile(bare, 99), 'runc run --detach p99');
    figures['container create->running / runc run, median of per-round ratios'] = figure(percentile(ratios, 50), 'x');
    figures['CreateContainer p50 (gRPC)'] = figure(percentile(creates, 50), 'ms');
    figures['StartContainer p50 (gRPC)'] = figure(percentile(starts, 50), 'ms');
    if (containerd) {
      figures['containerd ctr run -d p50'] = figure(percentile(ctr, 50), 'ms', bareP50, 'runc run --detach p50');
      figures['container create->running p50 vs containerd'] = figure(percentile(ours, 50), 'ms', percentile(ctr, 50), 'ctr run -d p50');
    }
    const pods: number[] = [];
    for (let i = 0; i < POD_ROUNDS; i++) {
      const c = pod(`p-${i}`);
      await rt.containers.warm();
      const t = performance.now();
      const sid = await client.runPodSandbox(c);
      const id = await client.createContainer(sid, sleeper('c'), c);
      await client.startContainer(id);
      pods.push(performance.now() - t);
      await rt.removePodSandbox(sid);
    }
    figures['pod sandbox + container -> running p50'] = figure(percentile(pods, 50), 'ms', bareP50, 'runc run --detach p50');
    await rt.removePodSandbox(sandbox);
  } finally {
    for (const s of await rt.listPodSandbox()) await rt.removePodSandbox(s.id);
    await containerd?.stop();
    client.close();
    await service.stop();
    execFileSync('sh', ['-c', `ip link del ${bridge} 2>/dev/null; true`]);
    await removeCgroup(cgroupRoot);
    rt.close();
    rmSync(root, { recursive: true, force: true });
  }
  load.push(loadavg()[0]!);
  const notes = `${containerdNote} 1-minute load average at start/middle/end: ${load.map((l) => l.toFixed(1)).join(' / ')} (2 cores shared).`;
  const out = writeResults('runtime', figures, meta(notes));
  console.log(JSON.stringify(figures, null, 2));
  console.log(`results: ${out.md}`);
}

await main();

// Benchmark: the runc runtime against bare runc, in the same run on the same bundles.
//   CreateContainer -> running process (create + start)   vs  `runc run --detach` of that bundle
//   whole pod: RunPodSandbox + create + start             vs  the same bare runc run
// The shim is compiled to JavaScript first (as dist/ runs it), so tsx start-up is not measured.
// containerd (`ctr run`) is measured only when `ctr` is installed.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ContainerConfig, PodSandboxConfig } from '../../runtime/api.js';
import { removeCgroup } from '../../runtime/containers/cgroup-remove.js';
import { compileShim } from '../../runtime/containers/shim-compile.js';
import { RuncRuntime } from '../../runtime/service/runc-runtime.js';
import { figure, meta, writeResults, type Figure } from './lib/results.js';
import { percentile } from './lib/stats.js';

const ROUNDS = 20;
const POD_ROUNDS = 10;
const suffix = `${process.pid}${randomBytes(2).toString('hex')}`;
const bridge = `skb${suffix}`.slice(0, 15);
const cgroupRoot = `/skiff-bench-${suffix}`;
const root = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'bench'}-runtime-bench-`));

function pod(name: string): PodSandboxConfig {
  return { metadata: { name, namespace: 'bench', uid: name, attempt: 0 }, hostname: name, logDirectory: join(root, 'logs'), portMappings: [], labels: {}, annotations: {} };
}

function sleeper(name: string): ContainerConfig {
  return { metadata: { name, attempt: 0 }, image: { image: 'demo/tools:v1' }, command: ['sleep', '1000'], args: [], envs: [], mounts: [], labels: {}, annotations: {}, logPath: `${name}.log` };
}

/** bareRun times `runc run --detach` of a created (never started) container's bundle. */
function bareRun(rt: RuncRuntime, containerId: string, name: string): number {
  const runcRoot = join(root, 'bare-runc');
  const t = performance.now();
  execFileSync('runc', ['--root', runcRoot, 'run', '--detach', '--bundle', join(rt.containers.dir(containerId), 'bundle'), name], { stdio: 'ignore' });
  const ms = performance.now() - t;
  execFileSync('runc', ['--root', runcRoot, 'delete', '--force', name], { stdio: 'ignore' });
  return ms;
}

async function main(): Promise<void> {
  execFileSync('sh', [join(process.cwd(), 'hack/images/build.sh'), join(root, 'tars')], { stdio: 'ignore' });
  const shimCommand = await compileShim(join(root, 'shim'));
  const rt = await new RuncRuntime({ root: join(root, 'state'), bridge, podCidr: '10.251.0.0/24', cgroupRoot, shimCommand }).open();
  for (const f of readdirSync(join(root, 'tars'))) await rt.importImage(join(root, 'tars', f));
  const figures: Record<string, Figure> = {};
  try {
    const cfg = pod('bench');
    const sandbox = await rt.runPodSandbox(cfg);
    const ours: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const probe = await rt.createContainer(sandbox, sleeper(`bare-${i}`), cfg);
      bare.push(bareRun(rt, probe, `bare-${suffix}-${i}`));
      await rt.removeContainer(probe);
      const t = performance.now();
      const id = await rt.createContainer(sandbox, sleeper(`c-${i}`), cfg);
      await rt.startContainer(id);
      ours.push(performance.now() - t);
      await rt.removeContainer(id);
    }
    const bareP50 = percentile(bare, 50);
    figures['container create->running p50'] = figure(percentile(ours, 50), 'ms', bareP50, 'runc run --detach p50');
    figures['container create->running p99'] = figure(percentile(ours, 99), 'ms', percentile(bare, 99), 'runc run --detach p99');
    const pods: number[] = [];
    for (let i = 0; i < POD_ROUNDS; i++) {
      const c = pod(`p-${i}`);
      const t = performance.now();
      const sid = await rt.runPodSandbox(c);
      const id = await rt.createContainer(sid, sleeper('c'), c);
      await rt.startContainer(id);
      pods.push(performance.now() - t);
      await rt.removePodSandbox(sid);
    }
    figures['pod sandbox + container -> running p50'] = figure(percentile(pods, 50), 'ms', bareP50, 'runc run --detach p50');
    await rt.removePodSandbox(sandbox);
  } finally {
    for (const s of await rt.listPodSandbox()) await rt.removePodSandbox(s.id);
    execFileSync('sh', ['-c', `ip link del ${bridge} 2>/dev/null; true`]);
    await removeCgroup(cgroupRoot);
    rt.close();
    rmSync(root, { recursive: true, force: true });
  }
  const notes = existsSync('/usr/bin/ctr') ? 'ctr is installed but not measured yet.' : 'containerd (ctr) is not installed here: no containerd figure.';
  const out = writeResults('runtime', figures, meta(notes));
  console.log(JSON.stringify(figures, null, 2));
  console.log(`results: ${out.md}`);
}

await main();

// The node agent with real containers (issue 7, "Done when"): etcd, the API server, the scheduler
// and the controllers, the runc runtime behind its gRPC socket, and the agent, all on this machine
// with names unique to the run (bridge, cgroup root, state directory). The real kubectl reads
// logs and execs. Scenarios run concurrently in their own pods; the agent restart runs last.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustResource } from '../../api/registry.js';
import type { KubeObject } from '../../api/meta.js';
import { ensurePki } from '../../apiserver/pki.js';
import { RestClient } from '../../client/rest.js';
import { startControllerManager } from '../../controllers/manager.js';
import { startAgent, type Agent } from '../../kubelet/agent.js';
import type { AgentConfig } from '../../kubelet/config.js';
import { LABEL_POD_UID } from '../../kubelet/labels.js';
import { runcStreamBackend } from '../../kubelet/runc-streams.js';
import type { RuntimeService } from '../../runtime/api.js';
import { removeCgroup } from '../../runtime/containers/cgroup-remove.js';
import { compileShim } from '../../runtime/containers/shim-compile.js';
import { connectRuntime } from '../../runtime/service/client.js';
import { RuncRuntime } from '../../runtime/service/runc-runtime.js';
import { startRuntimeService, type RunningRuntimeService } from '../../runtime/service/server.js';
import { startScheduler } from '../../scheduler/index.js';
import { freePort, startTestCluster, type TestCluster } from '../integration/harness.js';
import { waitFor as waitUntil } from '../helpers/wait.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const kubectlDir = (() => {
  try {
    return execFileSync('sh', ['-c', 'dirname "$(readlink -f "$(command -v kubectl)")"']).toString().trim();
  } catch {
    return '';
  }
})();
const KUBECTL = join(kubectlDir, 'kubectl.1.33');
const canRun = process.getuid?.() === 0 && existsSync(KUBECTL) && existsSync('/usr/sbin/runc') && existsSync('/bin/busybox');

const PODS = mustResource('pods');
const CMS = mustResource('configmaps');
const SECRETS = mustResource('secrets');
const EVENTS = mustResource('events');
const NS = 'default';

const suffix = `${process.pid % 10000}${randomBytes(2).toString('hex')}`;
const bridge = `skk${suffix}`.slice(0, 15);
const cgroupRoot = `/skiff-it-kubelet-${suffix}`;
const podCidr = `10.${150 + (process.pid % 50)}.${randomBytes(1)[0]}.0/24`;
const NODE = `runc-node-${suffix}`;
const KUBELET_TOKEN = randomBytes(16).toString('hex');

let dir = '';
let cluster: TestCluster | undefined;
let client: RestClient;
let rt: RuncRuntime | undefined;
let service: RunningRuntimeService | undefined;
let runtime: RuntimeService | undefined;
let agent: Agent | undefined;
let control: { stop(): Promise<void> }[] = [];
let agentConfig: AgentConfig;
const agentErrors: string[] = [];

type PodObj = KubeObject & { spec: any; status?: any };

async function kubectl(...args: string[]) {
  return run(KUBECTL, ['--kubeconfig', cluster!.kubeconfig, '--cache-dir', join(dir, 'kubectl-cache'), ...args], { timeout: 60_000 });
}

/** waitFor with this file's budget: real containers on a busy machine. */
const waitFor = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 120_000, pauseMs = 200): Promise<T> =>
  waitUntil(what, fn, timeoutMs, pauseMs);

/**
 * watchPod follows one pod through a watch and resolves with the first version that satisfies
 * pred; every version seen is passed to onEach (to collect histories).
 */
async function watchPod(name: string, pred: (p: PodObj) => boolean, timeoutMs = 150_000, onEach?: (p: PodObj) => void): Promise<PodObj> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  let last: PodObj | undefined;
  try {
    for (;;) {
      const list = await client.list<PodObj>(PODS, NS, { fieldSelector: `metadata.name=${name}` });
      for (const p of list.items) {
        last = p;
        onEach?.(p);
        if (pred(p)) return p;
      }
      for await (const ev of client.watch<PodObj>(PODS, NS, { fieldSelector: `metadata.name=${name}`, resourceVersion: list.metadata.resourceVersion, signal: abort.signal })) {
        if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') continue;
        last = ev.object;
        onEach?.(ev.object);
        if (pred(ev.object)) return ev.object;
      }
      if (abort.signal.aborted) throw new Error(`pod ${name}: condition not met in ${timeoutMs} ms; last status ${JSON.stringify(last?.status)}`);
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

function cond(p: PodObj, type: string): string | undefined {
  return p.status?.conditions?.find((c: any) => c.type === type)?.status;
}

function cstatus(p: PodObj, name: string): any {
  return [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].find((c: any) => c.name === name);
}

const running = (p: PodObj) => p.status?.phase === 'Running' && !!cstatus(p, p.spec.containers[0].name)?.state?.running;

async function createPod(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): Promise<PodObj> {
  return client.create<PodObj>(PODS, NS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { test: suffix, ...labels } },
    spec: { terminationGracePeriodSeconds: 1, ...spec },
  } as PodObj);
}

async function events(pod: string): Promise<any[]> {
  return (await client.list(EVENTS, NS, { fieldSelector: `involvedObject.name=${pod}` })).items as any[];
}

/**
 * shim is how the runtime runs container shims: as plain JavaScript, since tsx's start-up per
 * container would dominate on a loaded machine. The built one (dist/) when it is newer than the
 * runtime's sources, else compiled here (tens of seconds on a busy machine).
 */
async function shim(): Promise<string[]> {
  const built = join(ROOT, 'dist/runtime/containers/shim-main.js');
  const sources = ['runtime/containers', 'runtime/exec'].flatMap((d) => readdirSync(join(ROOT, d)).map((f) => join(ROOT, d, f)));
  if (existsSync(built) && sources.every((f) => statSync(f).mtimeMs <= statSync(built).mtimeMs)) return [built];
  return compileShim(join(dir, 'shim'));
}

const tools = 'demo/tools:v1';
const sleeper = (extra: Record<string, unknown> = {}) => ({ name: 'app', image: tools, command: ['sh', '-c', 'exec sleep 3600'], ...extra });

describe.skipIf(!canRun)('the node agent with real runc containers', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-kubelet-runc-`));
    mkdirSync(join(dir, 'kubectl-cache'));
    // Independent and slow on a loaded machine: the images, the shim and the control plane.
    const [shimCommand, , started] = await Promise.all([
      shim(),
      run('sh', [join(ROOT, 'hack/images/build.sh'), join(dir, 'images')]),
      startTestCluster({ kubelet: { token: KUBELET_TOKEN } }).then((c) => (cluster = c)),
    ]);
    client = new RestClient({ server: started.url, ca: started.pki.caCert, token: started.token });
    control = [
      await startScheduler({ client }),
      await startControllerManager({ client, leaderElection: false }),
    ];
    rt = await new RuncRuntime({ root: join(dir, 'runtime'), bridge, podCidr, cgroupRoot, shimCommand }).open();
    for (const f of readdirSync(join(dir, 'images'))) await rt.importImage(join(dir, 'images', f));
    const socketPath = join(dir, 'runtime.sock');
    service = await startRuntimeService({ root: join(dir, 'runtime'), socketPath, runtime: rt });
    runtime = connectRuntime(socketPath);
    const tls = ensurePki(join(dir, 'node-pki'), ['127.0.0.1']);
    agentConfig = {
      client,
      nodeName: NODE,
      runtime,
      hostIP: '127.0.0.1',
      rootDir: join(dir, 'kubelet'),
      logDir: join(dir, 'pods'),
      // Short back-off so the crash loop shows several steps soon (2 s doubling to 32 s; upstream 10 s to 5 min).
      crashBackoff: { initialMs: 2000, maxMs: 32_000 },
      resyncPeriodMs: 2000,
      logServer: {
        port: await freePort(),
        host: '127.0.0.1',
        tls: { cert: tls.cert, key: tls.key },
        token: KUBELET_TOKEN,
        streams: runcStreamBackend({
          runtime,
          runcRoot: join(dir, 'runtime', 'runc'),
          podIP: async (ns, name) => ((await client.get<PodObj>(PODS, ns, name)).status as { podIP?: string } | undefined)?.podIP,
        }),
      },
      onError: (err, what) => agentErrors.push(`${what}: ${(err as Error).message}`),
    };
    agent = await startAgent(agentConfig);
  }, 180_000);

  afterAll(async () => {
    await agent?.stop().catch(() => {});
    try {
      if (rt) for (const s of await rt.listPodSandbox()) {
        await rt.stopPodSandbox(s.id).catch(() => {});
        await rt.removePodSandbox(s.id).catch(() => {});
      }
    } finally {
      (runtime as { close?: () => void } | undefined)?.close?.();
      await service?.stop().catch(() => {});
      await rt?.close();
      for (const c of control) await c.stop().catch(() => {});
      await client?.close();
      await cluster?.stop().catch(() => {});
      execFileSync('sh', ['-c', `ip link del ${bridge} 2>/dev/null; true`]);
      await removeCgroup(cgroupRoot).catch(() => {});
      if (dir) execFileSync('sh', ['-c', `grep -o ' ${dir}[^ ]*' /proc/self/mountinfo | xargs -r -n1 umount -l; true`]);
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
    if (agentErrors.length) console.log(`agent errors:\n${agentErrors.slice(0, 20).join('\n')}`);
  }, 120_000);

  describe.concurrent('pods', () => {
    it('env from a ConfigMap and a Secret is visible inside the container; kubectl exec carries the exit code back', async () => {
      await client.create(CMS, NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'env-cm' }, data: { color: 'blue', size: 'XL' } } as any);
      await client.create(SECRETS, NS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'env-secret' }, data: { password: Buffer.from('s3cr3t').toString('base64') } } as any);
      await createPod('env', {
        containers: [sleeper({
          env: [
            { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'color' } } },
            { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'env-secret', key: 'password' } } },
            { name: 'GREETING', value: 'color=$(COLOR)' },
          ],
          envFrom: [{ prefix: 'CM_', configMapRef: { name: 'env-cm' } }],
        })],
      });
      await watchPod('env', running);
      const env = (await kubectl('exec', 'env', '--', 'env')).stdout.split('\n');
      expect(env).toEqual(expect.arrayContaining(['COLOR=blue', 'PASSWORD=s3cr3t', 'GREETING=color=blue', 'CM_color=blue', 'CM_size=XL']));
      const failed = await kubectl('exec', 'env', '--', 'sh', '-c', 'echo to-stderr >&2; exit 3').catch((e) => e);
      expect(failed.code).toBe(3);
      expect(failed.stderr).toContain('to-stderr');
      expect(failed.stderr).toContain('command terminated with exit code 3');
    }, 240_000);

    it('a configMap volume has its files, and they change in place when the ConfigMap does', async () => {
      await client.create(CMS, NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vol-cm' }, data: { greeting: 'hello' } } as any);
      await createPod('vol', {
        containers: [sleeper({ volumeMounts: [{ name: 'conf', mountPath: '/etc/app' }] })],
        volumes: [{ name: 'conf', configMap: { name: 'vol-cm' } }],
      });
      const pod = await watchPod('vol', running);
      expect((await kubectl('exec', 'vol', '--', 'cat', '/etc/app/greeting')).stdout).toBe('hello');
      const cm: any = await client.get(CMS, NS, 'vol-cm');
      await client.update(CMS, { ...cm, data: { greeting: 'goodbye' } });
      await waitFor('the new greeting in the container', async () => (await kubectl('exec', 'vol', '--', 'cat', '/etc/app/greeting')).stdout === 'goodbye', 120_000, 1000);
      // Same container: the file changed under it, nothing restarted.
      const after = await client.get<PodObj>(PODS, NS, 'vol');
      expect(cstatus(after, 'app').containerID).toBe(cstatus(pod, 'app').containerID);
      expect(cstatus(after, 'app').restartCount).toBe(0);
    }, 240_000);

    it('a failing liveness probe restarts the container and restartCount grows', async () => {
      // Healthy for a moment after each start, then the probe's file goes away.
      await createPod('live', {
        containers: [sleeper({
          command: ['sh', '-c', 'touch /tmp/healthy; sleep 2; rm /tmp/healthy; exec sleep 3600'],
          livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 10 },
        })],
      });
      const ids = new Set<string>();
      const p = await watchPod('live', (x) => cstatus(x, 'app')?.restartCount >= 2 && !!cstatus(x, 'app')?.state?.running, 180_000, (x) => {
        const id = cstatus(x, 'app')?.containerID;
        if (id) ids.add(id);
      });
      expect(p.status.phase).toBe('Running');
      expect(cstatus(p, 'app').lastState.terminated).toBeDefined();
      expect(ids.size).toBeGreaterThanOrEqual(2);
      const evs = await events('live');
      expect(evs.map((e) => e.message)).toContain('Container app failed liveness probe, will be restarted');
      expect(evs.find((e) => e.reason === 'Unhealthy')?.message).toMatch(/^Liveness probe failed/);
      await client.delete(PODS, NS, 'live'); // its probes would load the scenarios that follow
    }, 240_000);

    it('readiness gates the Ready condition', async () => {
      await createPod('ready', {
        containers: [sleeper({ readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, timeoutSeconds: 10 } })],
      });
      const notReady = await watchPod('ready', running);
      expect(cond(notReady, 'Ready')).toBe('False');
      expect(cond(notReady, 'ContainersReady')).toBe('False');
      expect(cstatus(notReady, 'app').ready).toBe(false);
      await kubectl('exec', 'ready', '--', 'touch', '/tmp/ready');
      const ready = await watchPod('ready', (x) => cond(x, 'Ready') === 'True');
      expect(cstatus(ready, 'app').ready).toBe(true);
      expect(cond(ready, 'ContainersReady')).toBe('True');
      await kubectl('exec', 'ready', '--', 'rm', '/tmp/ready');
      const again = await watchPod('ready', (x) => cond(x, 'Ready') === 'False');
      expect(cstatus(again, 'app').ready).toBe(false);
      expect(cstatus(again, 'app').restartCount).toBe(0);
      await client.delete(PODS, NS, 'ready');
    }, 240_000);

    it('an OOM kill is reported as OOMKilled', async () => {
      await createPod('oom', {
        restartPolicy: 'Never',
        containers: [sleeper({
          command: ['sh', '-c', 'head -c 200m /dev/zero | tail'],
          resources: { limits: { memory: '64Mi' } },
        })],
      });
      const p = await watchPod('oom', (x) => x.status?.phase === 'Failed');
      expect(cstatus(p, 'app').state.terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    }, 240_000);

    it('init containers run in order before the app container; kubectl logs shows it', async () => {
      await createPod('init', {
        initContainers: [
          { name: 'first', image: tools, command: ['sh', '-c', 'echo first >> /work/order'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
          { name: 'second', image: tools, command: ['sh', '-c', 'test -f /work/order && echo second >> /work/order'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
        ],
        containers: [sleeper({ command: ['sh', '-c', 'cat /work/order; exec sleep 3600'], volumeMounts: [{ name: 'work', mountPath: '/work' }] })],
        volumes: [{ name: 'work', emptyDir: {} }],
      });
      const p = await watchPod('init', running);
      expect(cond(p, 'Initialized')).toBe('True');
      for (const n of ['first', 'second']) expect(cstatus(p, n).state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
      const first = Date.parse(cstatus(p, 'first').state.terminated.finishedAt);
      const second = Date.parse(cstatus(p, 'second').state.terminated.startedAt);
      expect(second).toBeGreaterThanOrEqual(first);
      const logs = await waitFor('the app log', async () => (await kubectl('logs', 'init', '-c', 'app')).stdout || undefined);
      expect(logs).toBe('first\nsecond\n');
      expect((await kubectl('logs', 'init', '-c', 'second')).stdout).toBe('');
    }, 240_000);

    it('kubectl logs -f follows a container until it ends', async () => {
      await createPod('follow', { restartPolicy: 'Never', containers: [sleeper({ command: ['sh', '-c', 'echo one; sleep 3; echo two'] })] });
      await watchPod('follow', (x) => !!cstatus(x, 'app')?.state?.running || !!cstatus(x, 'app')?.state?.terminated);
      expect((await kubectl('logs', '-f', 'follow')).stdout).toBe('one\ntwo\n');
      const done = await watchPod('follow', (x) => x.status?.phase === 'Succeeded');
      expect(cstatus(done, 'app').state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    }, 240_000);

    it('graceful deletion sends SIGTERM first and SIGKILL after the grace period', async () => {
      const hostDir = join(dir, 'term');
      mkdirSync(hostDir, { recursive: true });
      // The shell notes SIGTERM (with the time) and carries on; only SIGKILL can end it.
      await createPod('term', {
        terminationGracePeriodSeconds: 3,
        containers: [sleeper({
          command: ['sh', '-c', "trap 'echo TERM $(date +%s) >> /out/log' TERM; echo started >> /out/log; while true; do sleep 1 & wait $!; done"],
          volumeMounts: [{ name: 'out', mountPath: '/out' }],
        })],
        volumes: [{ name: 'out', hostPath: { path: hostDir } }],
      });
      const p = await watchPod('term', running);
      const uid = p.metadata.uid!;
      await client.delete(PODS, NS, 'term');
      let final: PodObj | undefined;
      await watchPod('term', (x) => !!cstatus(x, 'app')?.state?.terminated, 120_000, (x) => (final = x));
      expect(cstatus(final!, 'app').state.terminated).toMatchObject({ exitCode: 137 });
      const log = readFileSync(join(hostDir, 'log'), 'utf8');
      expect(log).toMatch(/^started\nTERM \d+\n$/);
      // SIGKILL came no sooner than the grace period (3 s) after SIGTERM (times in whole seconds).
      const termAt = Number(/TERM (\d+)/.exec(log)![1]);
      const killedAt = Date.parse(cstatus(final!, 'app').state.terminated.finishedAt) / 1000;
      expect(killedAt - termAt).toBeGreaterThanOrEqual(2);
      // The agent removes the pod (grace 0) once its containers are gone.
      await waitFor('the pod to be gone', async () => (await client.list(PODS, NS, { fieldSelector: 'metadata.name=term' })).items.length === 0);
      expect(await runtime!.listContainers({ labelSelector: { [LABEL_POD_UID]: uid } })).toEqual([]);
      expect((await events('term')).map((e) => e.message)).toContain('Stopping container app');
    }, 240_000);

    it('a missing ConfigMap gives CreateContainerConfigError; the pod starts once it appears', async () => {
      await createPod('late', {
        containers: [sleeper({ env: [{ name: 'LATE', valueFrom: { configMapKeyRef: { name: 'late-cm', key: 'v' } } }] })],
      });
      const waiting = await watchPod('late', (x) => cstatus(x, 'app')?.state?.waiting?.reason === 'CreateContainerConfigError');
      expect(waiting.status.phase).toBe('Pending');
      expect(cstatus(waiting, 'app').state.waiting.message).toContain('configmap "late-cm" not found');
      await client.create(CMS, NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late-cm' }, data: { v: 'arrived' } } as any);
      await watchPod('late', running);
      expect((await kubectl('exec', 'late', '--', 'sh', '-c', 'echo $LATE')).stdout).toBe('arrived\n');
    }, 240_000);
  });

  // Alone, so that the agent notices each crash sooner than the growing back-off ends even on a
  // busy machine (with every scenario at once, a sync can lag the short early back-offs).
  describe('crash loop', () => {
    it('a crashing container reaches CrashLoopBackOff with a growing back-off', async () => {
      await createPod('crash', { containers: [sleeper({ command: ['sh', '-c', 'echo crashing; exit 2'] })] });
      const delays: number[] = [];
      const seen: string[] = [];
      const p = await watchPod('crash', (x) => cstatus(x, 'app')?.restartCount >= 3 && delays.length >= 2, 170_000, (x) => {
        seen.push(`${new Date().toISOString()} ${cstatus(x, 'app')?.restartCount} ${JSON.stringify(cstatus(x, 'app')?.state)}`);
        const w = cstatus(x, 'app')?.state?.waiting;
        const m = w?.reason === 'CrashLoopBackOff' ? /back-off (\d+)s/.exec(w.message ?? '') : null;
        if (m && Number(m[1]) !== delays.at(-1)) delays.push(Number(m[1]));
      }).catch((err) => {
        throw new Error(`${(err as Error).message}\n${seen.join('\n')}`);
      });
      // Each wait doubles (2, 4, 8, ... s); a loaded machine may restart later than the first ones end.
      for (const d of delays) expect([2, 4, 8, 16, 32]).toContain(d);
      for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]!);
      expect(cstatus(p, 'app').lastState.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
      expect((await events('crash')).map((e) => e.reason)).toContain('BackOff');
      // kubectl logs --previous reads the last crashed instance.
      expect((await kubectl('logs', 'crash', '--previous')).stdout).toBe('crashing\n');
      await client.delete(PODS, NS, 'crash');
    }, 200_000);
  });

  describe('agent restart', () => {
    it('a restarted agent leaves running containers untouched and carries on', async () => {
      await createPod('steady', { containers: [sleeper()] });
      const before = await watchPod('steady', running);
      const uid = before.metadata.uid!;
      await agent!.stop();
      agent = undefined;
      agent = await startAgent(agentConfig);
      // The new agent works (it starts a new pod) and has synced the old one meanwhile.
      await createPod('after-restart', { containers: [sleeper()] });
      await watchPod('after-restart', running);
      await waitFor('a resync of the old pod', async () => agent!.stats.syncs > 4);
      const after = await client.get<PodObj>(PODS, NS, 'steady');
      expect(cstatus(after, 'app')).toMatchObject({
        containerID: cstatus(before, 'app').containerID,
        restartCount: 0,
        state: { running: { startedAt: cstatus(before, 'app').state.running.startedAt } },
      });
      expect(after.status.phase).toBe('Running');
      expect(await runtime!.listContainers({ labelSelector: { [LABEL_POD_UID]: uid } })).toHaveLength(1);
    }, 240_000);
  });
});

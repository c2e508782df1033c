// Node agent end to end: a real API server, the agent, and the fake runtime (ISSUE-7).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustResource } from '../../api/registry.js';
import { RestClient } from '../../client/rest.js';
import { startAgent, type Agent } from '../../kubelet/agent.js';
import { FakeRuntime } from '../../runtime/fake/fake-runtime.js';
import type { ContainerScript } from '../../runtime/fake/script.js';
import { startTestCluster, type TestCluster } from './harness.js';
import { waitFor } from '../helpers/wait.js';

const PODS = mustResource('pods');
const NODES = mustResource('nodes');
const LEASES = mustResource('leases');
const CMS = mustResource('configmaps');
const SECRETS = mustResource('secrets');
const EVENTS = mustResource('events');

let cluster: TestCluster;
let client: RestClient;
let agent: Agent;
let dir: string;
const rt = new FakeRuntime();
const scripts = new Map<string, ContainerScript>();
const NODE = `kubelet-it-${process.pid}`;
const NS = 'default';
let seq = 0;

function agentConfig() {
  return {
    client,
    nodeName: NODE,
    runtime: rt,
    hostIP: '127.0.0.1',
    capacity: { cpu: '4', memory: '8Gi' },
    nodeLabels: { 'skiff.io/test': 'yes' },
    statusUpdateFrequencyMs: 200,
    leaseRenewIntervalMs: 200,
    plegPeriodMs: 50,
    resyncPeriodMs: 500,
    crashBackoff: { initialMs: 300, maxMs: 2000 },
    rootDir: join(dir, 'root'),
    logDir: join(dir, 'logs'),
    pressure: () => ({ memory: false, disk: false, pid: false }),
  };
}

beforeAll(async () => {
  cluster = await startTestCluster();
  client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
  dir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-it-'));
  rt.script = (c, sb) => scripts.get(`${sb.metadata.name}/${c.metadata.name}`);
  agent = await startAgent(agentConfig());
});

afterAll(async () => {
  await agent?.stop();
  await client?.close();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});


function podName(base: string): string {
  return `${base}-${process.pid}-${++seq}`;
}

async function createPod(name: string, spec: Record<string, unknown>): Promise<any> {
  return client.create(PODS, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: NODE, terminationGracePeriodSeconds: 1, ...spec } } as any);
}

async function getPod(name: string): Promise<any> {
  return client.get(PODS, NS, name);
}

function cond(pod: any, type: string): string | undefined {
  return pod.status?.conditions?.find((c: any) => c.type === type)?.status;
}

describe('node', () => {
  it('registers with capacity, labels, Ready and renews its lease', async () => {
    const node: any = await client.get(NODES, undefined, NODE);
    expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': NODE, 'kubernetes.io/os': 'linux', 'skiff.io/test': 'yes' });
    expect(node.status.capacity).toMatchObject({ cpu: '4', memory: '8Gi', pods: '110' });
    expect(node.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(node.status.addresses).toContainEqual({ type: 'InternalIP', address: '127.0.0.1' });
    const first: any = await client.get(LEASES, 'kube-node-lease', NODE);
    expect(first.spec.holderIdentity).toBe(NODE);
    await waitFor('lease renewal', async () => {
      const l: any = await client.get(LEASES, 'kube-node-lease', NODE);
      return l.spec.renewTime !== first.spec.renewTime;
    });
  });
});

describe('pods', () => {
  it('a bound pod goes Running and Ready with upstream-shaped status', async () => {
    const name = podName('run');
    await createPod(name, { containers: [{ name: 'app', image: 'busybox:1.36' }] });
    const pod = await waitFor('Running and Ready', async () => {
      const p = await getPod(name);
      return p.status?.phase === 'Running' && cond(p, 'Ready') === 'True' && p;
    });
    expect(pod.status).toMatchObject({ hostIP: '127.0.0.1', qosClass: 'BestEffort' });
    expect(pod.status.podIP).toMatch(/^10\.88\.0\./);
    expect(pod.status.startTime).toBeTruthy();
    expect(pod.status.containerStatuses[0]).toMatchObject({ name: 'app', ready: true, started: true, restartCount: 0, image: 'busybox:1.36' });
    expect(pod.status.containerStatuses[0].state.running.startedAt).toBeTruthy();
    for (const t of ['Initialized', 'ContainersReady', 'PodScheduled']) expect(cond(pod, t)).toBe('True');
    const events: any = await client.list(EVENTS, NS, { fieldSelector: `involvedObject.name=${name}` }).catch(() => ({ items: [] }));
    const reasons = new Set(events.items.map((e: any) => e.reason));
    for (const r of ['Pulling', 'Pulled', 'Created', 'Started']) expect(reasons.has(r) || events.items.length === 0).toBe(true);
  });

  it('env from a ConfigMap and a Secret reaches the container config; $(VAR) expands', async () => {
    const name = podName('env');
    await client.create(CMS, NS, { metadata: { name: `${name}-cm` }, data: { color: 'blue', size: 'L' } } as any);
    await client.create(SECRETS, NS, { metadata: { name: `${name}-s` }, stringData: { password: 'hunter2' } } as any);
    await createPod(name, {
      containers: [{
        name: 'app',
        image: 'busybox:1.36',
        envFrom: [{ configMapRef: { name: `${name}-cm` }, prefix: 'CM_' }],
        env: [
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: `${name}-cm`, key: 'color' } } },
          { name: 'PASS', valueFrom: { secretKeyRef: { name: `${name}-s`, key: 'password' } } },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'MSG', value: '$(COLOR)-$(POD)' },
        ],
      }],
    });
    await waitFor('Running', async () => (await getPod(name)).status?.phase === 'Running');
    const created = rt.calls.filter((c) => c.method === 'createContainer').map((c) => c.args[1] as any).find((c) => c.labels['io.kubernetes.pod.name'] === name);
    const env = Object.fromEntries(created.envs.map((e: any) => [e.key, e.value]));
    expect(env).toMatchObject({ CM_color: 'blue', CM_size: 'L', COLOR: 'blue', PASS: 'hunter2', POD: name, MSG: `blue-${name}` });
  });

  it('a missing ConfigMap gives CreateContainerConfigError, then the pod starts once it appears', async () => {
    const name = podName('cfgerr');
    await createPod(name, { containers: [{ name: 'app', image: 'busybox:1.36', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: `${name}-cm`, key: 'x' } } }] }] });
    const p = await waitFor('CreateContainerConfigError', async () => {
      const p = await getPod(name);
      return p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError' && p;
    });
    expect(p.status.containerStatuses[0].state.waiting.message).toContain(`configmap "${name}-cm" not found`);
    expect(p.status.phase).toBe('Pending');
    await client.create(CMS, NS, { metadata: { name: `${name}-cm` }, data: { x: '1' } } as any);
    await waitFor('Running after the ConfigMap appears', async () => (await getPod(name)).status?.phase === 'Running');
  });

  it('a failing liveness probe restarts the container and restartCount grows', async () => {
    const name = podName('live');
    let healthy = true;
    scripts.set(`${name}/app`, { exec: () => ({ exitCode: healthy ? 0 : 1, stdout: healthy ? '' : 'unhealthy' }) });
    await createPod(name, { containers: [{ name: 'app', image: 'busybox:1.36', livenessProbe: { exec: { command: ['check'] }, periodSeconds: 1, failureThreshold: 1 } }] });
    await waitFor('Running', async () => (await getPod(name)).status?.phase === 'Running');
    healthy = false;
    const p = await waitFor('restartCount >= 1', async () => {
      const p = await getPod(name);
      return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && p;
    });
    expect(p.status.containerStatuses[0].lastState.terminated).toBeTruthy();
    healthy = true;
  });

  it('readiness gates the Ready condition', async () => {
    const name = podName('ready');
    let ready = false;
    scripts.set(`${name}/app`, { exec: () => ({ exitCode: ready ? 0 : 1 }) });
    await createPod(name, { containers: [{ name: 'app', image: 'busybox:1.36', readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 1 } }] });
    const p = await waitFor('Running but not Ready', async () => {
      const p = await getPod(name);
      return p.status?.phase === 'Running' && p;
    });
    expect(cond(p, 'Ready')).toBe('False');
    expect(p.status.containerStatuses[0].ready).toBe(false);
    ready = true;
    await waitFor('Ready', async () => cond(await getPod(name), 'Ready') === 'True');
  });

  it('a crashing container reaches CrashLoopBackOff with growing back-off', async () => {
    const name = podName('crash');
    scripts.set(`${name}/app`, { exitAfterMs: 0, exitCode: 1 });
    await createPod(name, { containers: [{ name: 'app', image: 'busybox:1.36' }] });
    const messages = new Set<string>();
    await waitFor('CrashLoopBackOff twice with different delays', async () => {
      const p = await getPod(name);
      const w = p.status?.containerStatuses?.[0]?.state?.waiting;
      if (w?.reason === 'CrashLoopBackOff') messages.add(/back-off (\d+)s/.exec(w.message)?.[1] ?? '');
      return messages.size >= 2 && p;
    }, 25_000);
    const p = await getPod(name);
    expect(p.status.containerStatuses[0].restartCount).toBeGreaterThanOrEqual(2);
    expect(p.status.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });

  it('graceful deletion stops the containers, then deletes the pod', async () => {
    const name = podName('del');
    const pod = await createPod(name, { containers: [{ name: 'app', image: 'busybox:1.36' }] });
    await waitFor('Running', async () => (await getPod(name)).status?.phase === 'Running');
    await client.delete(PODS, NS, name);
    await waitFor('pod gone', async () => {
      try {
        await getPod(name);
        return false;
      } catch (err: any) {
        return err.code === 404;
      }
    });
    const sandboxes = await rt.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': pod.metadata.uid } });
    expect(sandboxes).toEqual([]);
    const stops = rt.calls.filter((c) => c.method === 'stopContainer').length;
    expect(stops).toBeGreaterThan(0);
  });

  it('an agent restart adopts running containers without restarting them', async () => {
    const name = podName('adopt');
    await createPod(name, { containers: [{ name: 'app', image: 'busybox:1.36' }] });
    const before = await waitFor('Running', async () => {
      const p = await getPod(name);
      return p.status?.phase === 'Running' && p;
    });
    await agent.stop();
    const mine = (c: { method: string; args: unknown[] }): boolean =>
      (c.method === 'createContainer' && (c.args[1] as any).labels['io.kubernetes.pod.name'] === name) ||
      (c.method === 'runPodSandbox' && (c.args[0] as any).metadata.name === name) ||
      (c.method === 'stopContainer' && c.args[0] === before.status.containerStatuses[0].containerID.split('://')[1]);
    const creates = rt.calls.filter(mine).length;
    agent = await startAgent(agentConfig());
    await new Promise((r) => setTimeout(r, 1500)); // a few PLEG and resync periods
    const after = await getPod(name);
    expect(rt.calls.filter(mine).length).toBe(creates);
    expect(after.status.containerStatuses[0].containerID).toBe(before.status.containerStatuses[0].containerID);
    expect(after.status.containerStatuses[0].restartCount).toBe(0);
    expect(after.status.phase).toBe('Running');
  });
});

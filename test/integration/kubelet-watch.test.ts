// What the agent learns through watches instead of API reads per sync (ISSUE-7 review): a
// ConfigMap change rewrites a volume file in place at once (per-object watch, no resync in the
// window), Service variables come from the Service informer, and a change to its own Node made
// by someone else is answered at once (Node informer, no status tick in the window). A second
// agent runs as a real node identity (system:node:<name>) behind the node authorizer.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustResource } from '../../api/registry.js';
import { RestClient } from '../../client/rest.js';
import { startAgent, type Agent } from '../../kubelet/agent.js';
import type { AgentConfig } from '../../kubelet/config.js';
import { podVolumeDir } from '../../kubelet/volumes.js';
import { FakeRuntime } from '../../runtime/fake/fake-runtime.js';
import { waitFor } from '../helpers/wait.js';
import { startTestCluster, type TestCluster } from './harness.js';

const PODS = mustResource('pods');
const NODES = mustResource('nodes');
const CMS = mustResource('configmaps');
const SECRETS = mustResource('secrets');
const SERVICES = mustResource('services');
const NAMESPACES = mustResource('namespaces');

const run = `${process.pid}`;
const NS = `kw-${run}`;
const ADMIN_NODE = `kw-admin-${run}`;
const NODE = `kw-node-${run}`;
const NODE_TOKEN = `kw-node-token-${run}`;
/** Long enough that neither a pod resync nor a status tick happens while a test waits. */
const NEVER = 600_000;

let cluster: TestCluster;
let admin: RestClient;
let nodeClient: RestClient;
let dir: string;
const agents: Agent[] = [];
const errors: string[] = [];

function config(client: RestClient, nodeName: string, runtime: FakeRuntime, extra: Partial<AgentConfig>): AgentConfig {
  return {
    client,
    nodeName,
    runtime,
    hostIP: '127.0.0.1',
    capacity: { cpu: '4', memory: '8Gi' },
    plegPeriodMs: 100,
    leaseRenewIntervalMs: 1000,
    rootDir: join(dir, nodeName),
    logDir: join(dir, nodeName, 'logs'),
    pressure: () => ({ memory: false, disk: false, pid: false }),
    onError: (err, what) => errors.push(`${nodeName} ${what}: ${String(err)}`),
    ...extra,
  };
}

const adminRt = new FakeRuntime();
const nodeRt = new FakeRuntime();

beforeAll(async () => {
  cluster = await startTestCluster();
  // The API server reads its token table live: the second agent authenticates as a node.
  cluster.config.tokens!.set(NODE_TOKEN, { name: `system:node:${NODE}`, groups: ['system:nodes', 'system:authenticated'] });
  admin = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
  nodeClient = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: NODE_TOKEN });
  dir = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? run}-kubelet-watch-`));
  await admin.create(NAMESPACES, undefined, { metadata: { name: NS } } as any);
  // Before the agents start, so their Service informers have it when they first sync.
  await admin.create(SERVICES, NS, { metadata: { name: 'web-front' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080 }] } } as any);
  agents.push(await startAgent(config(admin, ADMIN_NODE, adminRt, { resyncPeriodMs: NEVER, statusUpdateFrequencyMs: NEVER })));
  agents.push(await startAgent(config(nodeClient, NODE, nodeRt, { resyncPeriodMs: 1000, statusUpdateFrequencyMs: 1000 })));
}, 120_000);

afterAll(async () => {
  if (process.env.KW_DEBUG) console.log(errors.join("\n"));
  for (const a of agents) await a.stop().catch(() => undefined);
  await admin?.close();
  await nodeClient?.close();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function podRunning(client: RestClient, name: string): Promise<any> {
  return waitFor(`pod ${name} Running`, async () => {
    const p: any = await client.get(PODS, NS, name);
    return p.status?.phase === 'Running' && p;
  }, 60_000);
}

async function createVolumePod(name: string, nodeName: string, cm: string, secret: string): Promise<void> {
  await admin.create(PODS, NS, {
    metadata: { name },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 0,
      containers: [{
        name: 'app',
        image: 'busybox:1.36',
        volumeMounts: [{ name: 'conf', mountPath: '/etc/app' }],
        env: [{ name: 'PASS', valueFrom: { secretKeyRef: { name: secret, key: 'password' } } }],
      }],
      volumes: [{ name: 'conf', configMap: { name: cm } }],
    },
  } as any);
}

function envOf(rt: FakeRuntime, pod: string): Record<string, string> {
  const created = rt.calls.filter((c) => c.method === 'createContainer').map((c) => c.args[1] as any).find((c) => c.labels['io.kubernetes.pod.name'] === pod);
  return Object.fromEntries((created?.envs ?? []).map((e: any) => [e.key, e.value]));
}

async function changeGreeting(cm: string, greeting: string): Promise<void> {
  const cur: any = await admin.get(CMS, NS, cm);
  await admin.update(CMS, { ...cur, data: { greeting } });
}

describe('agent watches', () => {
  it('a ConfigMap change rewrites the volume file in place without a resync; Service variables come from the informer', async () => {
    await admin.create(CMS, NS, { metadata: { name: 'a-cm' }, data: { greeting: 'hello' } } as any);
    await admin.create(SECRETS, NS, { metadata: { name: 'a-s' }, stringData: { password: 'pw' } } as any);
    await createVolumePod('a', ADMIN_NODE, 'a-cm', 'a-s');
    const pod = await podRunning(admin, 'a');
    const file = join(podVolumeDir(join(dir, ADMIN_NODE), pod.metadata.uid), 'files', 'conf', 'greeting');
    expect(readFileSync(file, 'utf8')).toBe('hello');
    const svc: any = await admin.get(SERVICES, NS, 'web-front');
    expect(envOf(adminRt, 'a')).toMatchObject({ PASS: 'pw', WEB_FRONT_SERVICE_HOST: svc.spec.clusterIP, WEB_FRONT_SERVICE_PORT: '8080', WEB_FRONT_SERVICE_PORT_HTTP: '8080' });
    await changeGreeting('a-cm', 'goodbye');
    await waitFor('the new greeting in the volume', async () => readFileSync(file, 'utf8') === 'goodbye', 60_000);
    const created = adminRt.calls.filter((c) => c.method === 'createContainer' && (c.args[1] as any).labels['io.kubernetes.pod.name'] === 'a');
    expect(created).toHaveLength(1); // changed in place, nothing restarted
  }, 120_000);

  it('a pod waiting for a missing ConfigMap starts once it is created', async () => {
    await admin.create(SECRETS, NS, { metadata: { name: 'b-s' }, stringData: { password: 'pw' } } as any);
    await createVolumePod('b', ADMIN_NODE, 'b-cm', 'b-s');
    await waitFor('FailedMount, no container yet', async () => {
      const p: any = await admin.get(PODS, NS, 'b');
      return p.status?.phase === 'Pending' && p.status?.containerStatuses?.[0]?.state?.waiting;
    }, 60_000);
    await admin.create(CMS, NS, { metadata: { name: 'b-cm' }, data: { greeting: 'late' } } as any);
    await podRunning(admin, 'b');
  }, 120_000);

  it("a change someone else makes to the agent's Node is answered at once, not at the next status tick", async () => {
    const node: any = await admin.get(NODES, undefined, ADMIN_NODE);
    const conditions = node.status.conditions.map((c: any) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' } : c));
    const marked: any = await admin.patch(NODES, undefined, ADMIN_NODE, 'merge', { status: { conditions } }, { subresource: 'status' });
    expect(marked.status.conditions.find((c: any) => c.type === 'Ready')?.status).toBe('Unknown');
    await waitFor('Ready True again', async () => {
      const n: any = await admin.get(NODES, undefined, ADMIN_NODE);
      return n.status.conditions.find((c: any) => c.type === 'Ready')?.status === 'True';
    }, 60_000);
  }, 120_000);

  it("admission checks nodeSelector against the Node's labels from the informer", async () => {
    const pod = (name: string, nodeSelector: Record<string, string>) =>
      admin.create(PODS, NS, { metadata: { name }, spec: { nodeName: ADMIN_NODE, nodeSelector, containers: [{ name: 'app', image: 'busybox:1.36' }] } } as any);
    await pod('sel-ok', { 'kubernetes.io/hostname': ADMIN_NODE });
    await pod('sel-no', { 'kw-tier': 'gold' });
    await podRunning(admin, 'sel-ok');
    const rejected: any = await waitFor('sel-no Failed', async () => {
      const p: any = await admin.get(PODS, NS, 'sel-no');
      return p.status?.phase === 'Failed' && p;
    }, 60_000);
    expect(rejected.status).toMatchObject({ reason: 'NodeAffinity', message: "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector" });
  }, 120_000);

  it('as system:node:<name> behind the node authorizer: referenced objects are read and a ConfigMap change reaches the volume', async () => {
    await admin.create(CMS, NS, { metadata: { name: 'n-cm' }, data: { greeting: 'hello' } } as any);
    await admin.create(SECRETS, NS, { metadata: { name: 'n-s' }, stringData: { password: 'node-pw' } } as any);
    await createVolumePod('n', NODE, 'n-cm', 'n-s');
    const pod = await podRunning(admin, 'n');
    expect(envOf(nodeRt, 'n')).toMatchObject({ PASS: 'node-pw', WEB_FRONT_SERVICE_PORT: '8080' });
    const file = join(podVolumeDir(join(dir, NODE), pod.metadata.uid), 'files', 'conf', 'greeting');
    expect(readFileSync(file, 'utf8')).toBe('hello');
    await changeGreeting('n-cm', 'goodbye');
    // Through the watch where the authorizer allows it, else through the 1 s resync's GET.
    await waitFor('the new greeting in the volume', async () => readFileSync(file, 'utf8') === 'goodbye', 60_000);
    // An object no pod of this node references stays out of reach.
    await expect(nodeClient.get(CMS, NS, 'a-cm')).rejects.toMatchObject({ code: 403 });
  }, 120_000);
});

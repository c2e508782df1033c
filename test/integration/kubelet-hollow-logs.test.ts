// Hollow nodes and the log server against a real API server (ISSUE-7).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustResource } from '../../api/registry.js';
import { RestClient } from '../../client/rest.js';
import { startAgent } from '../../kubelet/agent.js';
import { startHollowNodes } from '../../kubelet/hollow.js';
import { FakeRuntime } from '../../runtime/fake/fake-runtime.js';
import { freePort, startTestCluster, type TestCluster } from './harness.js';
import { waitFor } from '../helpers/wait.js';

const PODS = mustResource('pods');
const NODES = mustResource('nodes');

let cluster: TestCluster;
let client: RestClient;
let dir: string;

beforeAll(async () => {
  cluster = await startTestCluster();
  client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
  dir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-logs-'));
});

afterAll(async () => {
  await client?.close();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('hollow nodes', () => {
  it('20 hollow nodes register Ready and run a pod each', async () => {
    const prefix = `hollow-${process.pid}`;
    const hollow = await startHollowNodes({ client, count: 20, prefix, agent: { plegPeriodMs: 100, statusUpdateFrequencyMs: 1000 } });
    try {
      const nodes: any = await client.list(NODES);
      const mine = nodes.items.filter((n: any) => n.metadata.name.startsWith(prefix));
      expect(mine).toHaveLength(20);
      expect(mine.every((n: any) => n.status.conditions.find((c: any) => c.type === 'Ready')?.status === 'True')).toBe(true);
      for (let i = 0; i < 20; i++) {
        await client.create(PODS, 'default', { metadata: { name: `${prefix}-p${i}` }, spec: { nodeName: `${prefix}-${i}`, containers: [{ name: 'c', image: 'pause:3.9' }] } } as any);
      }
      await waitFor('all hollow pods Running', async () => {
        const pods: any = await client.list(PODS, 'default');
        return pods.items.filter((p: any) => p.metadata.name.startsWith(prefix) && p.status?.phase === 'Running').length === 20;
      });
    } finally {
      await hollow.stop();
    }
  });
});

describe('log server', () => {
  it('serves CRI logs with tailLines and timestamps, and requires the token', async () => {
    const rt = new FakeRuntime({ writeLogs: true, script: () => ({ logLines: ['one', 'two', 'three'] }) });
    const port = await freePort();
    const node = `logs-${process.pid}`;
    const agent = await startAgent({
      client,
      nodeName: node,
      runtime: rt,
      hostIP: '127.0.0.1',
      rootDir: join(dir, 'root'),
      logDir: join(dir, 'logs'),
      plegPeriodMs: 100,
      pressure: () => ({ memory: false, disk: false, pid: false }),
      logServer: { port, host: '127.0.0.1', token: 'node-secret' },
    });
    try {
      const name = `logpod-${process.pid}`;
      await client.create(PODS, 'default', { metadata: { name }, spec: { nodeName: node, containers: [{ name: 'app', image: 'busybox:1.36' }] } } as any);
      await waitFor('Running', async () => ((await client.get(PODS, 'default', name)) as any).status?.phase === 'Running');
      const base = `http://127.0.0.1:${port}/containerLogs/default/${name}/app`;
      const auth = { authorization: 'Bearer node-secret' };
      expect((await fetch(base)).status).toBe(401);
      expect(await (await fetch(base, { headers: auth })).text()).toBe('one\ntwo\nthree\n');
      expect(await (await fetch(`${base}?tailLines=1`, { headers: auth })).text()).toBe('three\n');
      const ts = await (await fetch(`${base}?tailLines=2&timestamps=true`, { headers: auth })).text();
      expect(ts).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z two\n\S+ three\n$/);
    } finally {
      await agent.stop();
    }
  });
});

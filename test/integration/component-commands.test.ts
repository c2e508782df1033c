// The components as their own processes, configured by files (ISSUE-9; ISSUE-4's scheduler
// configuration): `skiff apiserver --config FILE` serves the API alone on an existing etcd, and
// `skiff scheduler --config` reads a KubeSchedulerConfiguration whose profile name decides which
// pods it places. Runs the built command (dist/skiff/main.js), as users do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import { RestClient } from '../../client/rest.js';
import { freePort, startTestEtcd, type TestEtcd } from './harness.js';
import { waitFor } from '../helpers/wait.js';

const MAIN = resolve(import.meta.dirname, '../../dist/skiff/main.js');
const NODES = mustResource('nodes');
const PODS = mustResource('pods');

let etcd: TestEtcd;
let home: string;
let client: RestClient | undefined;
const children: ChildProcess[] = [];
const logs = new Map<ChildProcess, string>();

function skiff(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  logs.set(child, '');
  const keep = (b: Buffer) => logs.set(child, logs.get(child) + b.toString());
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<number> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code ?? 1)));
}

beforeAll(async () => {
  etcd = await startTestEtcd();
  home = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-components-`));
}, 60_000);

afterAll(async () => {
  client?.close();
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map(exited));
  await etcd?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('component commands with config files', () => {
  it('runs the API server alone from a --config file, and the scheduler with its KubeSchedulerConfiguration', async () => {
    const port = await freePort();
    const config = join(home, 'apiserver.yaml');
    writeFileSync(config, `home: ${home}\nport: ${port}\netcd-servers: ${etcd.endpoint}\nservice-cidr: 10.97.0.0/16\n`);
    const apiserver = skiff(['apiserver', '--config', config]);
    const kubeconfig = join(home, 'kubeconfig');
    await waitFor('the API server to write its kubeconfig', async () => existsSync(kubeconfig) || apiserver.exitCode !== null, 60_000);
    expect(apiserver.exitCode, logs.get(apiserver)).toBeNull();
    expect(readFileSync(kubeconfig, 'utf8')).toContain(`https://127.0.0.1:${port}`);
    await waitFor('the API server to say what it runs', async () => logs.get(apiserver)!.includes('"msg":"running: apiserver"'), 20_000);
    expect(logs.get(apiserver)).not.toMatch(/running: apiserver, /);

    client = RestClient.fromKubeconfig(kubeconfig, 'component-commands-test');
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'cc-node', labels: { 'kubernetes.io/hostname': 'cc-node' } },
      status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } };
    await client.create(NODES, undefined, node as unknown as KubeObject);
    const pod = (name: string, schedulerName?: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { ...(schedulerName ? { schedulerName } : {}), containers: [{ name: 'c', image: 'busybox:1.36' }] } });
    await client.create(PODS, 'default', pod('for-cc', 'cc-scheduler') as unknown as KubeObject);

    const schedulerConfig = join(home, 'scheduler.yaml');
    writeFileSync(schedulerConfig, 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n- schedulerName: cc-scheduler\n');
    const scheduler = skiff(['scheduler', '--kubeconfig', kubeconfig, '--config', schedulerConfig]);
    const bound = await waitFor('the pod for cc-scheduler to be bound', async () => {
      expect(scheduler.exitCode, logs.get(scheduler)).toBeNull();
      const p = (await client!.get(PODS, 'default', 'for-cc')) as { spec?: { nodeName?: string } };
      return p.spec?.nodeName;
    }, 60_000);
    expect(bound).toBe('cc-node');
  }, 120_000);

  it('refuses an unusable scheduler configuration and an unknown config key before starting anything', async () => {
    const bad = join(home, 'bad-scheduler.yaml');
    writeFileSync(bad, 'kind: KubeletConfiguration\n');
    const scheduler = skiff(['scheduler', '--kubeconfig', join(home, 'kubeconfig'), '--config', bad]);
    expect(await exited(scheduler)).toBe(1);
    expect(logs.get(scheduler)).toContain(`scheduler config ${bad}: unexpected kind KubeletConfiguration`);

    const config = join(home, 'typo.yaml');
    writeFileSync(config, `home: ${home}\nprot: 7443\n`);
    const apiserver = skiff(['apiserver', '--config', config]);
    expect(await exited(apiserver)).toBe(1);
    expect(logs.get(apiserver)).toContain(`config file ${config}: unknown key "prot"`);
  }, 60_000);
});

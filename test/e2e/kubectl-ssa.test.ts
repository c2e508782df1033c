// The real kubectl 1.33 driving server-side apply against a real etcd + API server: create by
// apply, re-apply with a change, a conflicting apply from another field manager (kubectl's
// conflict message), --force-conflicts, and managedFields in `get --show-managed-fields`.
// Needs the PATCH handler to route application/apply-patch+yaml to apiserver/apply.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../integration/harness.js';
import { kubectlBinary, runKubectl } from '../helpers/kubectl.js';
import { httpFor } from '../integration/http.js';


const kubectlBin = (): string | undefined => kubectlBinary('1.33');

const bin = kubectlBin();
const NS = 'ssa';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const DEPLOYMENT_YAML = (replicas: number, image = 'nginx:1.25') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ${image}
          ports:
            - containerPort: 80
`;

describe.skipIf(!bin)('kubectl 1.33 apply --server-side', () => {
  let cluster: TestCluster;
  let dir = '';

  beforeAll(async () => {
    cluster = await startTestCluster();
    dir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-ssa-'));
    const res = await httpFor(cluster)('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NS },
    });
    expect(res.status, res.text).toBe(201);
  });

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function kubectl(...args: string[]): Promise<Result> {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
    delete env.KUBECONFIG;
    return runKubectl(bin as string, ['--kubeconfig', cluster.kubeconfig, '--cache-dir', join(dir, 'cache'), '-n', NS, ...args], env, 30_000);
  }

  async function ok(...args: string[]): Promise<string> {
    const r = await kubectl(...args);
    expect(r, `kubectl ${args.join(' ')}`).toMatchObject({ code: 0 });
    return r.stdout;
  }

  function file(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  async function replicas(): Promise<number> {
    const d = JSON.parse(await ok('get', 'deployment', 'web', '-o', 'json')) as { spec: { replicas: number } };
    return d.spec.replicas;
  }

  it('creates, re-applies, conflicts, forces and records managedFields', async () => {
    expect(await ok('apply', '--server-side', '-f', file('v1.yaml', DEPLOYMENT_YAML(3)))).toContain(
      'deployment.apps/web serverside-applied',
    );
    expect(await replicas()).toBe(3);

    expect(await ok('apply', '--server-side', '-f', file('v2.yaml', DEPLOYMENT_YAML(2, 'nginx:1.26')))).toContain(
      'deployment.apps/web serverside-applied',
    );
    expect(await replicas()).toBe(2);

    const other = file('other.yaml', DEPLOYMENT_YAML(5, 'nginx:1.26'));
    const conflict = await kubectl('apply', '--server-side', '--field-manager=other', '-f', other);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    expect(conflict.stderr).toContain('--force-conflicts');
    expect(await replicas()).toBe(2);

    expect(await ok('apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', other)).toContain(
      'deployment.apps/web serverside-applied',
    );
    expect(await replicas()).toBe(5);

    const yaml = await ok('get', 'deployment', 'web', '-o', 'yaml', '--show-managed-fields');
    expect(yaml).toContain('managedFields:');
    expect(yaml).toMatch(/manager: kubectl\n\s+operation: Apply/);
    expect(yaml).toMatch(/manager: other\n\s+operation: Apply/);
    expect(yaml).toContain('fieldsType: FieldsV1');
    expect(yaml).toContain('k:{"name":"web"}:');
    expect(yaml).toContain('f:replicas: {}');

    const plain = await ok('get', 'deployment', 'web', '-o', 'yaml');
    expect(plain).not.toContain('managedFields:');
  }, 90_000);
});

// The real kubectl binaries (1.27 … 1.33) against a real etcd + API server: create, get (JSON and
// Table), the three patch types, client-side apply and re-apply, set image, scale, delete, errors
// and discovery. Each version gets its own namespace, cache dir and HOME so they cannot interfere.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../integration/harness.js';
import { httpFor, type Http } from '../integration/http.js';
import { kubectlBinary, runKubectl } from '../helpers/kubectl.js';


const VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'].map((v) => {
  const bin = kubectlBinary(v);
  return { version: v, bin: bin ?? '', present: bin !== undefined };
});

// kubectl's JSON output, read loosely: the assertions check the shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type KubeObject = Record<string, any>;
interface Container {
  name: string;
  image: string;
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const CONFIGMAP_YAML = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  labels:
    app: demo
data:
  a: "1"
  greeting: hello
`;

const DEPLOYMENT_YAML = (name: string, image: string, replicas = 3) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: web
          image: ${image}
          ports:
            - containerPort: 80
          resources:
            requests:
              cpu: 100m
              memory: 64Mi
            limits:
              memory: 128Mi
        - name: sidecar
          image: busybox:1.36
          command: ["sleep", "3600"]
`;

let cluster: TestCluster;
let http: Http;

beforeAll(async () => {
  cluster = await startTestCluster();
  http = httpFor(cluster);
});

afterAll(async () => {
  await cluster?.stop();
});

describe.each(VERSIONS)('kubectl $version', ({ version, bin, present }) => {
  const ns = `kc-${version.replace('.', '')}`;
  let dir = '';

  async function kubectl(...args: string[]): Promise<Result> {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
    delete env.KUBECONFIG;
    return runKubectl(bin, ['--kubeconfig', cluster.kubeconfig, '--cache-dir', join(dir, 'cache'), '-n', ns, ...args], env, 30_000);
  }

  /** Runs kubectl and insists on success, showing its output if it failed. */
  async function ok(...args: string[]): Promise<string> {
    const r = await kubectl(...args);
    expect(r, `kubectl ${args.join(' ')}`).toMatchObject({ code: 0 });
    return r.stdout;
  }

  async function getJson(...args: string[]): Promise<KubeObject> {
    return JSON.parse(await ok('get', ...args, '-o', 'json')) as KubeObject;
  }

  function file(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  beforeAll(async () => {
    if (!present) return;
    dir = mkdtempSync(join(tmpdir(), `skiff-kubectl-${version}-`));
    const res = await http('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
    });
    expect(res.status, res.text).toBe(201);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!present)(
    `ConfigMap: create -f, get -o json, table, three patch types, delete (kubectl.${version}${present ? '' : ' missing: skipped'})`,
    async () => {
      const out = await ok('create', '-f', file('cm.yaml', CONFIGMAP_YAML('conf')));
      expect(out).toContain('configmap/conf created');

      const cm = await getJson('configmap', 'conf');
      expect(cm.kind).toBe('ConfigMap');
      expect(cm.metadata.namespace).toBe(ns);
      expect(cm.metadata.labels).toEqual({ app: 'demo' });
      expect(cm.data).toEqual({ a: '1', greeting: 'hello' });

      const table = await ok('get', 'configmaps');
      const lines = table.trim().split('\n');
      expect(lines[0]).toMatch(/^NAME\s+DATA\s+AGE$/);
      expect(lines.slice(1)).toContainEqual(expect.stringMatching(/^conf\s+2\s+\d+[smhd]/));

      expect(await ok('patch', 'configmap', 'conf', '-p', '{"data":{"b":"2"}}')).toContain(
        'configmap/conf patched',
      );
      expect((await getJson('configmap', 'conf')).data).toEqual({ a: '1', b: '2', greeting: 'hello' });

      await ok('patch', 'configmap', 'conf', '--type=merge', '-p', '{"data":{"c":"3","greeting":null}}');
      expect((await getJson('configmap', 'conf')).data).toEqual({ a: '1', b: '2', c: '3' });

      await ok(
        'patch',
        'configmap',
        'conf',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/data/a","value":"one"},{"op":"remove","path":"/data/b"}]',
      );
      expect((await getJson('configmap', 'conf')).data).toEqual({ a: 'one', c: '3' });

      expect(await ok('delete', 'configmap', 'conf')).toContain('configmap "conf" deleted');
      const gone = await kubectl('get', 'configmap', 'conf');
      expect(gone.code).not.toBe(0);
      expect(gone.stderr).toContain('Error from server (NotFound): configmaps "conf" not found');
    },
    90_000,
  );

  it.skipIf(!present)(
    `Deployment: apply, re-apply, table, set image, scale, -o wide, delete (kubectl.${version}${present ? '' : ' missing: skipped'})`,
    async () => {
      const manifest = file('deploy.yaml', DEPLOYMENT_YAML('web', 'nginx:1.25'));
      expect(await ok('apply', '-f', manifest)).toContain('deployment.apps/web created');
      let d = await getJson('deployment', 'web');
      expect(d.metadata.generation).toBe(1);
      expect(d.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeTruthy();

      // Re-apply with a changed image: a three-way patch that must keep everything else.
      file('deploy.yaml', DEPLOYMENT_YAML('web', 'nginx:1.26'));
      expect(await ok('apply', '-f', manifest)).toContain('deployment.apps/web configured');
      d = await getJson('deployment', 'web');
      expect(d.metadata.generation).toBe(2);
      const containers = d.spec.template.spec.containers as Container[];
      expect(containers.map((c) => c.name)).toEqual(['web', 'sidecar']);
      expect(containers[0]).toMatchObject({
        name: 'web',
        image: 'nginx:1.26',
        ports: [{ containerPort: 80 }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      });
      expect(containers[1]).toMatchObject({
        name: 'sidecar',
        image: 'busybox:1.36',
        command: ['sleep', '3600'],
      });
      expect(d.spec.replicas).toBe(3);

      // Re-applying the same file changes nothing.
      expect(await ok('apply', '-f', manifest)).toContain('deployment.apps/web unchanged');
      expect((await getJson('deployment', 'web')).metadata.generation).toBe(2);

      const table = (await ok('get', 'deploy')).trim().split('\n');
      expect(table[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
      expect(table.slice(1)).toContainEqual(expect.stringMatching(/^web\s+\d+\/3\s+\d+\s+\d+\s+\d+[smhd]/));

      expect(await ok('set', 'image', 'deployment/web', 'web=nginx:1.27')).toContain(
        'deployment.apps/web image updated',
      );
      d = await getJson('deployment', 'web');
      expect((d.spec.template.spec.containers as Container[]).map((c) => c.image)).toEqual([
        'nginx:1.27',
        'busybox:1.36',
      ]);
      expect(d.metadata.generation).toBe(3);

      expect(await ok('scale', 'deployment/web', '--replicas=4')).toContain('deployment.apps/web scaled');
      d = await getJson('deployment', 'web');
      expect(d.spec.replicas).toBe(4);

      const wide = (await ok('get', 'deploy', '-o', 'wide')).trim().split('\n');
      expect(wide[0]).toMatch(
        /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/,
      );
      expect(wide.slice(1)).toContainEqual(
        expect.stringMatching(
          /^web\s+\d+\/4\s+\d+\s+\d+\s+\S+\s+web,sidecar\s+nginx:1\.27,busybox:1\.36\s+app=web$/,
        ),
      );

      expect(await ok('delete', 'deploy', 'web')).toContain('deployment.apps "web" deleted');
      const gone = await kubectl('get', 'deploy', 'web');
      expect(gone.code).not.toBe(0);
      expect(gone.stderr).toContain('Error from server (NotFound): deployments.apps "web" not found');
      const list = await getJson('deployments');
      expect(list.items).toEqual([]);
    },
    90_000,
  );

  it.skipIf(!present)(
    `invalid Deployment is rejected by apply with the field error (kubectl.${version}${present ? '' : ' missing: skipped'})`,
    async () => {
      const r = await kubectl('apply', '-f', file('bad.yaml', DEPLOYMENT_YAML('bad', 'nginx:1.25', -1)));
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toContain(
        'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      );
      const gone = await kubectl('get', 'deploy', 'bad');
      expect(gone.stderr).toContain('Error from server (NotFound): deployments.apps "bad" not found');
    },
    60_000,
  );

  it.skipIf(!present)(
    `api-resources and get ns (kubectl.${version}${present ? '' : ' missing: skipped'})`,
    async () => {
      const resources = await ok('api-resources');
      expect(resources.split('\n')[0]).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND\s*$/);
      expect(resources).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment\s*$/m);
      expect(resources).toMatch(/^configmaps\s+cm\s+v1\s+true\s+ConfigMap\s*$/m);
      expect(resources).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace\s*$/m);

      const nsTable = (await ok('get', 'ns')).trim().split('\n');
      expect(nsTable[0]).toMatch(/^NAME\s+STATUS\s+AGE$/);
      for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease', ns]) {
        expect(nsTable.slice(1)).toContainEqual(
          expect.stringMatching(new RegExp(`^${name}\\s+Active\\s+\\S+$`)),
        );
      }
    },
    60_000,
  );
});

// `kubectl create <generator>` with kubectl 1.32 and 1.33, which send the objects as
// application/vnd.kubernetes.protobuf (kubectl-wire.md §10.6), against a real etcd + API server.
// Each version creates its own namespace (itself a protobuf create) and checks every object with a GET.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../integration/harness.js';
import { kubectlBinary, runKubectl } from '../helpers/kubectl.js';
import { httpFor, type Answer, type Http } from '../integration/http.js';


const VERSIONS = ['1.32', '1.33'].map((v) => {
  const bin = kubectlBinary(v);
  return { version: v, bin: bin ?? '', present: bin !== undefined };
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

let cluster: TestCluster;
let http: Http;

beforeAll(async () => {
  cluster = await startTestCluster();
  http = httpFor(cluster);
});

afterAll(async () => {
  await cluster?.stop();
});

describe.each(VERSIONS)('kubectl $version create (protobuf bodies)', ({ version, bin, present }) => {
  const ns = `pb-${version.replace('.', '')}`;
  let dir = '';

  async function kubectl(...args: string[]): Promise<Result> {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
    delete env.KUBECONFIG;
    return runKubectl(bin, ['--kubeconfig', cluster.kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], env, 30_000);
  }

  async function ok(...args: string[]): Promise<string> {
    const r = await kubectl(...args);
    expect(r, `kubectl ${args.join(' ')}`).toMatchObject({ code: 0 });
    return r.stdout;
  }

  /** GET over the bare HTTP client: the stored object, independent of kubectl's printing. */
  async function get(path: string): Promise<Answer['body']> {
    const res = await http('GET', path);
    expect(res.status, res.text).toBe(200);
    return res.body;
  }

  beforeAll(() => {
    if (present) dir = mkdtempSync(join(tmpdir(), `skiff-kubectl-create-${version}-`));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const skipped = present ? '' : ' missing: skipped';

  it.skipIf(!present)(`namespace, configmap, secret (kubectl.${version}${skipped})`, async () => {
    expect(await ok('create', 'namespace', ns)).toContain(`namespace/${ns} created`);
    expect((await get(`/api/v1/namespaces/${ns}`)).metadata.name).toBe(ns);

    expect(
      await ok('-n', ns, 'create', 'configmap', 'x', '--from-literal=a=1', '--from-literal=b=two'),
    ).toContain('configmap/x created');
    const cm = await get(`/api/v1/namespaces/${ns}/configmaps/x`);
    expect(cm.data).toEqual({ a: '1', b: 'two' });
    expect(cm.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);

    expect(await ok('-n', ns, 'create', 'secret', 'generic', 's', '--from-literal=pw=hunter2')).toContain(
      'secret/s created',
    );
    const secret = await get(`/api/v1/namespaces/${ns}/secrets/s`);
    expect(secret.data).toEqual({ pw: Buffer.from('hunter2').toString('base64') });
    expect(secret.type).toBe('Opaque');
  });

  it.skipIf(!present)(`deployment and services (kubectl.${version}${skipped})`, async () => {
    expect(
      await ok('-n', ns, 'create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '--port=80'),
    ).toContain('deployment.apps/web created');
    const deploy = await get(`/apis/apps/v1/namespaces/${ns}/deployments/web`);
    expect(deploy.metadata.labels).toEqual({ app: 'web' });
    expect(deploy.spec.replicas).toBe(2);
    expect(deploy.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(deploy.spec.template.metadata.labels).toEqual({ app: 'web' });
    expect(deploy.spec.template.spec.containers).toHaveLength(1);
    expect(deploy.spec.template.spec.containers[0]).toMatchObject({
      name: 'nginx',
      image: 'nginx:1.25',
      ports: [{ containerPort: 80 }],
    });

    expect(await ok('-n', ns, 'create', 'service', 'clusterip', 'web', '--tcp=80:8080')).toContain(
      'service/web created',
    );
    const svc = await get(`/api/v1/namespaces/${ns}/services/web`);
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.selector).toEqual({ app: 'web' });
    expect(svc.spec.ports).toHaveLength(1);
    expect(svc.spec.ports[0]).toMatchObject({ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 });

    expect(await ok('-n', ns, 'create', 'service', 'nodeport', 'np', '--tcp=80:8080')).toContain(
      'service/np created',
    );
    const np = await get(`/api/v1/namespaces/${ns}/services/np`);
    expect(np.spec.type).toBe('NodePort');
    expect(np.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080 });

    // kubectl reads the created objects back by name: the table lists all three.
    const table = await ok('-n', ns, 'get', 'deployments,services');
    expect(table).toMatch(/deployment\.apps\/web\s/);
    expect(table).toMatch(/service\/web\s/);
    expect(table).toMatch(/service\/np\s/);
  });

  it.skipIf(!present)(
    `errors come back as Status, not as decode failures (kubectl.${version}${skipped})`,
    async () => {
      const again = await kubectl('-n', ns, 'create', 'configmap', 'x', '--from-literal=a=1');
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain('configmaps "x" already exists');
    },
  );
});

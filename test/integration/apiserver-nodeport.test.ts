// NodePort allocation by the real API server over a real etcd: allocated on create, kept on
// update, conflicts and out-of-range ports refused, released on type change and delete, distinct
// under concurrent creates, and the used set rebuilt after a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness.js';
import { httpFor, type Answer, type Http } from './http.js';

let cluster: TestCluster;
let http: Http;
const NS = 'nodeports';
const SVCS = `/api/v1/namespaces/${NS}/services`;

beforeAll(async () => {
  cluster = await startTestCluster();
  http = httpFor(cluster);
  expect((await http('POST', '/api/v1/namespaces', { metadata: { name: NS } })).status).toBe(201);
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

function service(name: string, type: string, ports: Array<{ name?: string; port: number; nodePort?: number }>) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type, selector: { app: name }, ports } };
}

const nodePorts = (a: Answer): number[] => a.body.spec.ports.map((p: { nodePort?: number }) => p.nodePort);

/** The API server frees a deleted Service's ports once its cache shows the delete: retry briefly. */
async function until(fn: () => Promise<Answer>, ok: (a: Answer) => boolean): Promise<Answer> {
  let last = await fn();
  for (let i = 0; i < 100 && !ok(last); i++) {
    await new Promise((r) => setTimeout(r, 100));
    last = await fn();
  }
  return last;
}

describe('NodePort allocation', () => {
  it('allocates on create and keeps the ports on update; adding a port allocates one more', async () => {
    const created = await http('POST', SVCS, service('alloc', 'NodePort', [{ name: 'http', port: 80 }]));
    expect(created.status, created.text).toBe(201);
    const [port] = nodePorts(created);
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);

    const body = created.body;
    body.spec.ports = [{ name: 'http', port: 80 }, { name: 'https', port: 443 }];
    const updated = await http('PUT', `${SVCS}/alloc`, body);
    expect(updated.status, updated.text).toBe(200);
    const ports = nodePorts(updated);
    expect(ports[0]).toBe(port);
    expect(ports[1]).toBeGreaterThanOrEqual(30000);
    expect(ports[1]).not.toBe(port);

    const lb = await http('POST', SVCS, service('lb', 'LoadBalancer', [{ port: 80 }]));
    expect(lb.status, lb.text).toBe(201);
    expect(nodePorts(lb)[0]).toBeGreaterThanOrEqual(30000);
  });

  it('refuses a port already allocated and one out of range with 422', async () => {
    const first = await http('POST', SVCS, service('taken-a', 'NodePort', [{ port: 80, nodePort: 30080 }]));
    expect(first.status, first.text).toBe(201);
    expect(nodePorts(first)).toEqual([30080]);
    const dup = await http('POST', SVCS, service('taken-b', 'NodePort', [{ port: 80, nodePort: 30080 }]));
    expect(dup.status).toBe(422);
    expect(dup.body.reason).toBe('Invalid');
    expect(dup.body.message).toContain('spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');

    const out = await http('POST', SVCS, service('out', 'NodePort', [{ port: 80, nodePort: 29999 }]));
    expect(out.status).toBe(422);
    expect(out.body.message).toContain('provided port is not in the valid range. The range of valid ports is 30000-32767');

    // An update that asks for another Service's port is refused too.
    const other = await http('POST', SVCS, service('taken-c', 'NodePort', [{ port: 80 }]));
    expect(other.status, other.text).toBe(201);
    other.body.spec.ports[0].nodePort = 30080;
    const clash = await http('PUT', `${SVCS}/taken-c`, other.body);
    expect(clash.status).toBe(422);
    expect(clash.body.message).toContain('provided port is already allocated');
  });

  it('releases the ports on a change to ClusterIP and on delete; they can be taken again', async () => {
    const a = await http('POST', SVCS, service('rel-a', 'NodePort', [{ port: 80, nodePort: 30090 }]));
    expect(a.status, a.text).toBe(201);
    a.body.spec.type = 'ClusterIP';
    const toClusterIP = await http('PUT', `${SVCS}/rel-a`, a.body);
    expect(toClusterIP.status, toClusterIP.text).toBe(200);
    expect(nodePorts(toClusterIP)).toEqual([undefined]);

    const b = await until(
      () => http('POST', SVCS, service('rel-b', 'NodePort', [{ port: 80, nodePort: 30090 }])),
      (r) => r.status !== 422,
    );
    expect(b.status, b.text).toBe(201);
    expect((await http('DELETE', `${SVCS}/rel-b`)).status).toBe(200);

    const c = await until(
      () => http('POST', SVCS, service('rel-c', 'NodePort', [{ port: 80, nodePort: 30090 }])),
      (r) => r.status !== 422,
    );
    expect(c.status, c.text).toBe(201);
    expect(nodePorts(c)).toEqual([30090]);
  });

  it('gives 20 concurrent creates 20 distinct ports', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => http('POST', SVCS, service(`conc-${i}`, 'NodePort', [{ port: 80 }]))),
    );
    for (const a of answers) expect(a.status, a.text).toBe(201);
    const ports = answers.map((a) => nodePorts(a)[0]);
    expect(new Set(ports).size).toBe(20);
  });

  it('rebuilds the used set after an API server restart', async () => {
    const before = await http('POST', SVCS, service('restart-a', 'NodePort', [{ port: 80, nodePort: 30100 }]));
    expect(before.status, before.text).toBe(201);
    await cluster.restartApiServer();
    const dup = await until(
      () => http('POST', SVCS, service('restart-b', 'NodePort', [{ port: 80, nodePort: 30100 }])),
      (r) => r.status !== 503,
    );
    expect(dup.status).toBe(422);
    expect(dup.body.message).toContain('provided port is already allocated');
  });
});

// Issue 8, cluster DNS: the node's DNS server against a real API server, asked by Node's own
// resolver (c-ares) over UDP and TCP. It listens on a loopback address of its own and forwards
// to a fake upstream on loopback (no Internet here).
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import * as packet from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustResource } from '../../api/registry.js';
import { RestClient } from '../../client/rest.js';
import { startClusterDns, type ClusterDns } from '../../kubelet/dns/index.js';
import { frame } from '../../kubelet/dns/forward.js';
import { listenDns, type DnsServer } from '../../kubelet/dns/server.js';
import { createNamespace, waitFor, type Obj } from './controllers-deployment-helpers.js';
import { startTestCluster, type TestCluster } from './harness.js';

const services = mustResource('services');
const endpoints = mustResource('endpoints');

/** A loopback address of this test's own, so parallel runs never share a port space. */
function loopback(): string {
  const b = () => 1 + Math.floor(Math.random() * 254);
  return `127.${b()}.${b()}.${b()}`;
}

/** The fake upstream: example.test is 192.0.2.44, slow.test never answers, the rest NXDOMAIN. */
async function startUpstream(host: string): Promise<DnsServer & { asked: string[] }> {
  const asked: string[] = [];
  const server = await listenDns(
    host,
    0,
    async (msg) => {
      const q = packet.decode(msg);
      const name = q.questions?.[0]?.name ?? '';
      asked.push(name);
      if (name === 'slow.test') return undefined;
      const known = name === 'example.test';
      const answers: packet.Answer[] = known ? [{ type: 'A', name, ttl: 60, data: '192.0.2.44' }] : [];
      return packet.encode({ type: 'response', id: q.id, flags: packet.RECURSION_AVAILABLE | (known ? 0 : 3), questions: q.questions, answers });
    },
    () => undefined,
  );
  return Object.assign(server, { asked });
}

describe('cluster DNS', () => {
  let cluster: TestCluster;
  let client: RestClient;
  let dns: ClusterDns;
  let upstream: DnsServer & { asked: string[] };
  let resolver: Resolver;
  let ns: string;
  const errors: unknown[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster();
    client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
    const host = loopback();
    upstream = await startUpstream(host);
    dns = await startClusterDns(
      { address: loopback(), port: 0, upstreams: [`${host}:${upstream.port}`], forwardTimeoutMs: 500 },
      { client, host: { servers: [], searches: [], options: [] }, onError: (e) => errors.push(e) },
    );
    resolver = new Resolver({ timeout: 3000, tries: 2 });
    resolver.setServers([`${dns.address}:${dns.port}`]);
    ns = await createNamespace(client, 'dns');
  });

  afterAll(async () => {
    await dns?.stop();
    await upstream?.close();
    await client?.close();
    await cluster?.stop();
  });

  const fqdn = (name: string) => `${name}.${ns}.svc.cluster.local`;

  async function service(name: string, spec: Record<string, unknown>): Promise<Obj> {
    return client.create<Obj>(services, ns, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });
  }

  async function setEndpoints(name: string, subsets: Record<string, unknown>[]): Promise<void> {
    const body = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name }, subsets };
    const cur = await client.get<Obj>(endpoints, ns, name).catch(() => undefined);
    if (cur) await client.update(endpoints, { ...body, metadata: cur.metadata });
    else await client.create(endpoints, ns, body);
  }

  const sorted = (xs: string[]) => [...xs].sort();

  /** tcpQuery asks one question over TCP (RFC 7766 framing) and decodes the answer. */
  function tcpQuery(name: string, type: packet.RecordType): Promise<packet.DecodedPacket & { rcode?: string }> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host: dns.address, port: dns.port });
      let buf = Buffer.alloc(0);
      sock.setTimeout(10_000, () => sock.destroy(new Error('TCP query timed out')));
      sock.on('error', reject);
      sock.on('connect', () => sock.write(frame(packet.encode({ type: 'query', id: 99, flags: packet.RECURSION_DESIRED, questions: [{ type, name }] }))));
      sock.on('data', (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
        sock.destroy();
        resolve(packet.decode(buf.subarray(2, 2 + buf.readUInt16BE(0))));
      });
    });
  }

  it('answers A for a Service’s ClusterIP, and follows a new Service', async () => {
    const svc = await service('web', { ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
    const ip = (svc.spec as { clusterIP: string }).clusterIP;
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await waitFor('web resolves', () => resolver.resolve4(fqdn('web')))).toEqual([ip]);
  });

  it('answers SRV for a named port, with the Service as target', async () => {
    const srv = await waitFor('web SRV', () => resolver.resolveSrv(`_http._tcp.${fqdn('web')}`));
    expect(srv).toEqual([expect.objectContaining({ name: fqdn('web'), port: 80 })]);
  });

  it('answers a headless Service with its ready endpoints, over TCP once UDP is too small', async () => {
    await service('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] });
    await setEndpoints('db', [{ addresses: [{ ip: '10.244.1.5', hostname: 'db-0' }, { ip: '10.244.2.6' }], notReadyAddresses: [{ ip: '10.244.3.7' }], ports: [{ name: 'pg', port: 5432 }] }]);
    expect(sorted(await waitFor('db resolves', () => resolver.resolve4(fqdn('db'))))).toEqual(['10.244.1.5', '10.244.2.6']);
    expect(await resolver.resolve4(`db-0.${fqdn('db')}`)).toEqual(['10.244.1.5']);
    const srv = await resolver.resolveSrv(`_pg._tcp.${fqdn('db')}`);
    expect(sorted(srv.map((s) => `${s.name}:${s.port}`))).toEqual([`10-244-2-6.${fqdn('db')}:5432`, `db-0.${fqdn('db')}:5432`]);

    // An endpoint turning ready shows up; 60 addresses do not fit a UDP answer (c-ares retries over TCP).
    const many = Array.from({ length: 60 }, (_, i) => ({ ip: `10.245.0.${i + 1}` }));
    await setEndpoints('db', [{ addresses: many, ports: [{ name: 'pg', port: 5432 }] }]);
    const all = await waitFor('60 endpoints', async () => {
      const got = await resolver.resolve4(fqdn('db'));
      return got.length === 60 && got;
    });
    expect(sorted(all)).toEqual(sorted(many.map((a) => a.ip)));
  });

  it('answers and forwards over TCP too', async () => {
    const web = await tcpQuery(fqdn('web'), 'A');
    expect(web).toMatchObject({ id: 99, rcode: 'NOERROR', flag_aa: true, answers: [expect.objectContaining({ type: 'A', name: fqdn('web') })] });
    expect(await tcpQuery('example.test', 'A')).toMatchObject({ id: 99, rcode: 'NOERROR', answers: [expect.objectContaining({ data: '192.0.2.44' })] });
    expect(await tcpQuery(fqdn('nope'), 'A')).toMatchObject({ rcode: 'NXDOMAIN', authorities: [expect.objectContaining({ type: 'SOA', name: 'cluster.local' })] });
  });

  it('NXDOMAIN for unknown names in the cluster domain (nothing forwarded)', async () => {
    const before = upstream.asked.length;
    await expect(resolver.resolve4(fqdn('nope'))).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve4('web.no-such-ns.svc.cluster.local')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(upstream.asked.length).toBe(before);
  });

  it('forwards other names to the upstream, and SERVFAILs when it does not answer', async () => {
    expect(await resolver.resolve4('example.test')).toEqual(['192.0.2.44']);
    await expect(resolver.resolve4('other.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(upstream.asked).toEqual(expect.arrayContaining(['example.test', 'other.test']));
    await expect(resolver.resolve4('slow.test')).rejects.toMatchObject({ code: 'ESERVFAIL' });
  });

  it('drops a deleted Service', async () => {
    await service('gone', { ports: [{ port: 80 }] });
    await waitFor('gone resolves', () => resolver.resolve4(fqdn('gone')));
    await client.delete(services, ns, 'gone');
    await waitFor('gone is NXDOMAIN', () => resolver.resolve4(fqdn('gone')).then(() => false, (e: { code?: string }) => e.code === 'ENOTFOUND'));
    expect(errors).toEqual([]);
  });

  // The address design itself: a link-local address on a link of the node, reached from a pod's
  // network namespace through its default route over a bridge (as the CNI bridge plugin wires it).
  describe.skipIf(process.getuid?.() !== 0)('from a pod network namespace, on a node-local address', () => {
    const id = randomBytes(3).toString('hex');
    const [link, bridge, veth, peer, podNs] = [`skd${id}`, `skdb${id}`, `skdv${id}`, `skdp${id}`, `skiff-dnst-${id}`];
    const [x, y] = [...randomBytes(2)];
    const address = `169.254.${100 + (x! % 100)}.${1 + (y! % 250)}`;
    const subnet = `10.254.${x}`;
    let nodeDns: ClusterDns | undefined;
    const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' }).toString();

    beforeAll(async () => {
      ip('netns', 'add', podNs);
      ip('link', 'add', bridge, 'type', 'bridge');
      ip('addr', 'add', `${subnet}.1/24`, 'dev', bridge);
      ip('link', 'set', bridge, 'up');
      ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', peer);
      ip('link', 'set', veth, 'master', bridge, 'up');
      ip('link', 'set', peer, 'netns', podNs);
      ip('-n', podNs, 'addr', 'add', `${subnet}.2/24`, 'dev', peer);
      ip('-n', podNs, 'link', 'set', peer, 'up');
      ip('-n', podNs, 'route', 'add', 'default', 'via', `${subnet}.1`);
      nodeDns = await startClusterDns({ address, link, upstreams: [] }, { client, host: { servers: [], searches: [], options: [] } });
    });

    afterAll(async () => {
      await nodeDns?.stop();
      for (const args of [['netns', 'del', podNs], ['link', 'del', bridge], ['link', 'del', link]]) {
        try {
          ip(...args);
        } catch {
          // already gone
        }
      }
    });

    function resolveInPod(name: string): Promise<string> {
      const script = `const r=new (require('dns').promises.Resolver)({timeout:3000,tries:2});r.setServers(['${address}']);r.resolve4('${name}').then(a=>console.log(a.join(',')),e=>console.log(e.code))`;
      return new Promise((resolve, reject) =>
        execFile('ip', ['netns', 'exec', podNs, process.execPath, '-e', script], (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))),
      );
    }

    it('answers pods on the node, and removes its address and link on stop', async () => {
      const web = await resolver.resolve4(fqdn('web'));
      expect(await resolveInPod(fqdn('web'))).toBe(web.join(','));
      expect(await resolveInPod(fqdn('nope'))).toBe('ENOTFOUND');
      await nodeDns?.stop();
      nodeDns = undefined;
      expect(() => ip('link', 'show', 'dev', link)).toThrow();
    });
  });
});

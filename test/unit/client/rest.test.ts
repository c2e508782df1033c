// RestClient against a scripted loopback HTTP server: wire format, auth header, errors, watch.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusError } from '../../../api/errors.js';
import { mustResource } from '../../../api/registry.js';
import { RestClient } from '../../../client/rest.js';

interface Seen {
  method: string;
  url: string;
  auth?: string;
  type?: string;
  body: string;
}

const seen: Seen[] = [];
let server: Server;
let client: RestClient;

async function readBody(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const c of req) s += c;
  return s;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, type: req.headers['content-type'], body });
    res.setHeader('content-type', 'application/json');
    if (req.url!.includes('watch=1')) {
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"2"}}}\n{"type":"BOOK');
      res.end('MARK","object":{"metadata":{"resourceVersion":"9"}}}\n');
    } else if (req.url!.endsWith('/missing')) {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: 'pods "missing" not found' }));
    } else res.end(body || JSON.stringify({ metadata: { name: 'web' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  client = new RestClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, token: 'tok' });
});

afterAll(async () => {
  await client.close();
  await new Promise((r) => server.close(r));
});

describe('RestClient', () => {
  it('sends the bearer token and builds resource paths', async () => {
    const obj = await client.get(mustResource('deployments'), 'prod', 'web');
    expect(obj.metadata.name).toBe('web');
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/apis/apps/v1/namespaces/prod/deployments/web', auth: 'Bearer tok' });
  });

  it('throws a StatusError rebuilt from the Status body', async () => {
    const err = await client.get(mustResource('pods'), 'default', 'missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect([(err as StatusError).code, (err as StatusError).reason]).toEqual([404, 'NotFound']);
  });

  it.each([
    { type: 'merge' as const, want: 'application/merge-patch+json' },
    { type: 'json' as const, want: 'application/json-patch+json' },
    { type: 'strategic' as const, want: 'application/strategic-merge-patch+json' },
  ])('patches with $want', async ({ type, want }) => {
    await client.patch(mustResource('deployments'), 'prod', 'web', type, { spec: { replicas: 3 } }, { subresource: 'scale' });
    expect(seen.at(-1)).toMatchObject({ method: 'PATCH', url: '/apis/apps/v1/namespaces/prod/deployments/web/scale', type: want });
  });

  it('updates the status subresource of the object named in metadata', async () => {
    await client.updateStatus(mustResource('pods'), { metadata: { name: 'p', namespace: 'ns', resourceVersion: '4' } });
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', url: '/api/v1/namespaces/ns/pods/p/status' });
    expect(JSON.parse(seen.at(-1)!.body).metadata.resourceVersion).toBe('4');
  });

  it('streams watch events split across writes', async () => {
    const events = [];
    for await (const ev of client.watch(mustResource('pods'), undefined, { resourceVersion: '1', allowWatchBookmarks: true })) events.push(ev);
    expect(events.map((e) => `${e.type}@${e.object.metadata.resourceVersion}`)).toEqual(['ADDED@2', 'BOOKMARK@9']);
    expect(seen.at(-1)!.url).toBe('/api/v1/pods?watch=1&resourceVersion=1&allowWatchBookmarks=true');
  });
});

// RestClient's connection pools against a loopback HTTP server: ordinary requests share at most
// MAX_REQUEST_CONNECTIONS keep-alive connections, and open watches never take one of them.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustResource } from '../../../api/registry.js';
import { MAX_REQUEST_CONNECTIONS, RestClient } from '../../../client/rest.js';

let server: Server;
let url: string;
const sockets = new Set<Socket>();
const held: ServerResponse[] = [];
/** While gated, GETs are held until release(). */
let gated = false;
const pending: (() => void)[] = [];
let inFlight = 0;
let maxInFlight = 0;

function release(): void {
  gated = false;
  pending.splice(0).forEach((reply) => reply());
}

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url!.includes('watch=1')) {
      // A watch that stays open until the test ends.
      res.write('{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"1"}}}\n');
      held.push(res);
      return;
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const reply = () => {
      inFlight--;
      res.end(JSON.stringify({ metadata: { name: 'x' } }));
    };
    if (gated) pending.push(reply);
    else reply();
  });
  server.on('connection', (s: Socket) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const r of held) r.end();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(cond()).toBe(true);
}

describe('RestClient connection pools', () => {
  it('keeps ordinary requests within the connection cap and reuses the connections', async () => {
    const client = new RestClient({ server: url });
    const before = sockets.size;
    gated = true;
    maxInFlight = 0;
    const total = MAX_REQUEST_CONNECTIONS * 2;
    const all = Promise.all(Array.from({ length: total }, () => client.get(mustResource('pods'), 'default', 'x')));
    await until(() => pending.length === MAX_REQUEST_CONNECTIONS);
    // Give any request beyond the cap the chance to arrive (it must not).
    await new Promise((r) => setTimeout(r, 200));
    expect(maxInFlight).toBe(MAX_REQUEST_CONNECTIONS);
    release();
    const got = await all;
    expect(got).toHaveLength(total);
    expect(sockets.size - before).toBe(MAX_REQUEST_CONNECTIONS);
    await client.close();
  });

  it('serves requests while more watches than the cap are open', async () => {
    const client = new RestClient({ server: url });
    const aborts: AbortController[] = [];
    const firsts: Promise<unknown>[] = [];
    for (let i = 0; i < MAX_REQUEST_CONNECTIONS + 6; i++) {
      const ac = new AbortController();
      aborts.push(ac);
      const it = client.watch(mustResource('pods'), undefined, { resourceVersion: '1', signal: ac.signal })[Symbol.asyncIterator]();
      firsts.push(it.next());
    }
    await Promise.all(firsts);
    const obj = await client.get(mustResource('pods'), 'default', 'x');
    expect(obj.metadata.name).toBe('x');
    for (const ac of aborts) ac.abort();
    await client.close();
  });
});

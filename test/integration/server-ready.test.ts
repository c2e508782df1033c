// waitForApiServer: an agent started beside the API server (skiff up) begins the moment /readyz
// says ok, and gives up only when told to.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RestClient } from '../../client/rest.js';
import { waitForApiServer } from '../../client/server-ready.js';
import { freePort } from './harness.js';

let server: Server | undefined;
let client: RestClient | undefined;

afterEach(async () => {
  client?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

describe('waitForApiServer', () => {
  it('keeps asking while /readyz fails and returns once it says ok', async () => {
    const asked: string[] = [];
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      const ready = asked.length > 3;
      res.writeHead(ready ? 200 : 500, { 'content-type': 'text/plain' }).end(ready ? 'ok' : '[-]etcd failed\nreadyz check failed\n');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    client = new RestClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    await waitForApiServer(client, undefined, 10);
    expect(asked).toEqual(['/readyz', '/readyz', '/readyz', '/readyz']);
  });

  it('waits for a server that is not listening yet, until the signal aborts', async () => {
    client = new RestClient({ server: `http://127.0.0.1:${await freePort()}` });
    const abort = new AbortController();
    const waiting = waitForApiServer(client, abort.signal, 10);
    setTimeout(() => abort.abort(new Error('agent stopping')), 100);
    await expect(waiting).rejects.toThrow('agent stopping');
  });
});

// /healthz and /metrics on a small node:http server (off unless a port is configured).

import { createServer, type Server } from 'node:http';
import type { SchedulerMetrics } from './metrics.js';

/** startHttp listens on host:port (port 0 picks one) and resolves with the server and its port. */
export async function startHttp(metrics: SchedulerMetrics, port: number, host = '127.0.0.1', healthy: () => boolean = () => true): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url === '/healthz' || req.url === '/livez' || req.url === '/readyz') {
      const ok = healthy();
      res.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'not ready');
      return;
    }
    if (req.url === '/metrics') {
      metrics.registry.metrics().then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const addr = server.address();
  return { server, port: typeof addr === 'object' && addr ? addr.port : port };
}

// /healthz, /livez and /readyz (which checks etcd and the watch caches), plain text as upstream.
import type { FastifyInstance } from 'fastify';

export interface HealthChecks {
  etcd: () => Promise<void>;
  cachesReady: () => boolean;
}

export async function healthRoutes(app: FastifyInstance, checks: HealthChecks): Promise<void> {
  const ok = async () => 'ok';
  app.get('/healthz', ok);
  app.get('/livez', ok);
  app.get('/readyz', async (_req, reply) => {
    const failures: string[] = [];
    try {
      await checks.etcd();
    } catch (err) {
      failures.push(`[-]etcd failed: ${(err as Error).message}`);
    }
    if (!checks.cachesReady()) failures.push('[-]watch-caches failed: not synced');
    if (failures.length) return reply.code(500).type('text/plain').send(`${failures.join('\n')}\nreadyz check failed\n`);
    return reply.type('text/plain').send('ok');
  });
}

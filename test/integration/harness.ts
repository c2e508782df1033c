// Starts a real etcd and API server for a test, with unique names and ports, and always cleans
// up: the data directory, the etcd process (also if the test process exits early).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcd, type EtcdProcess } from '../../apiserver/storage/etcd-process.js';
import { startApiServer, type ApiServer, type ApiServerConfig } from '../../apiserver/server.js';
import { ensureAdminToken, ensureEncryptionKey, ensurePki, type Pki } from '../../apiserver/pki.js';
import { renderKubeconfig } from '../../cli/kubeconfig-write.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

const live = new Set<EtcdProcess>();
process.once('exit', () => {
  for (const e of live) e.child.kill('SIGKILL');
});

export interface TestEtcd {
  endpoint: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startTestEtcd(): Promise<TestEtcd> {
  // The run id lets test/global-setup.ts remove whatever a killed worker leaves behind.
  const dir = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-`));
  // freePort's port is free when it answers, not when etcd binds it: another test's process can
  // take it in between (etcd then exits at once). A few tries with fresh ports ride that out.
  let tries = 0;
  const start = async () =>
    startEtcd({
      dataDir: join(dir, tries++ ? `etcd-${tries}` : 'etcd'), // a fresh data dir: the failed one may hold the old ports
      clientPort: await freePort(),
      peerPort: await freePort(),
      name: `it-${process.pid}`,
      logFile: join(dir, 'etcd.log'),
    });
  const etcd = await start().catch(start).catch(start);
  live.add(etcd);
  return {
    endpoint: etcd.endpoint,
    dir,
    async stop() {
      await etcd.stop();
      live.delete(etcd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestCluster {
  etcd: TestEtcd;
  api: ApiServer;
  url: string;
  token: string;
  pki: Pki;
  kubeconfig: string;
  config: ApiServerConfig;
  /** Stops the API server only (etcd and data stay), for restart tests. */
  restartApiServer(): Promise<ApiServer>;
  stop(): Promise<void>;
}

/** etcd + API server over HTTPS with an admin token and a kubeconfig file, as a user gets. */
export async function startTestCluster(extra: Partial<ApiServerConfig> = {}): Promise<TestCluster> {
  const etcd = await startTestEtcd();
  try {
    const pki = ensurePki(join(etcd.dir, 'pki'));
    const token = ensureAdminToken(join(etcd.dir, 'pki'));
    const config: ApiServerConfig = {
      etcdEndpoints: [etcd.endpoint],
      host: '127.0.0.1',
      port: await freePort(),
      tls: { cert: pki.cert, key: pki.key },
      tokens: new Map([[token, { name: 'admin', groups: ['system:masters'] }]]),
      compactionIntervalMs: 0,
      encryption: ensureEncryptionKey(join(etcd.dir, 'pki')),
      ...extra,
    };
    const url = `https://127.0.0.1:${config.port}`;
    const kubeconfig = join(etcd.dir, 'kubeconfig');
    writeFileSync(kubeconfig, renderKubeconfig({ server: url, caCert: pki.caCert, token }));
    const cluster: TestCluster = {
      etcd,
      api: await startApiServer(config),
      url,
      token,
      pki,
      kubeconfig,
      config,
      async restartApiServer() {
        await cluster.api.stop();
        cluster.api = await startApiServer(config);
        return cluster.api;
      },
      async stop() {
        await cluster.api.stop().catch(() => {});
        await etcd.stop();
      },
    };
    return cluster;
  } catch (err) {
    await etcd.stop();
    throw err;
  }
}

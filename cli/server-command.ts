// `skiff server`: etcd (as a child, unless --etcd-servers is given) and the API server, with
// the PKI, admin token and kubeconfig under $SKIFF_HOME. Stops cleanly on SIGTERM/SIGINT.
import { join } from 'node:path';
import { writeFileSync, rmSync } from 'node:fs';
import { startEtcd, type EtcdProcess } from '../apiserver/storage/etcd-process.js';
import { startApiServer, type ApiServer } from '../apiserver/server.js';
import { ensureAdminToken, ensureEncryptionKey, ensurePki, ensureToken } from '../apiserver/pki.js';
import { writeKubeconfig } from './kubeconfig-write.js';
import { hostname } from 'node:os';
import { RestClient } from '../client/rest.js';
import { startScheduler } from '../scheduler/index.js';
import { startControllerManager } from '../controllers/manager.js';

export const KUBELET_CLIENT_TOKEN = 'kubelet-client.token';

export interface ServerOptions {
  home: string;
  bindAddress: string;
  port: number;
  etcdServers?: string;
  etcdClientPort: number;
  etcdPeerPort: number;
  serviceCidr: string;
  advertiseAddress: string;
  /** Which of scheduler and controller-manager to run beside the API server. */
  components: string[];
}

/** Starts the scheduler and the controller-manager, each electing a leader on its Lease. */
export async function startControlPlane(client: RestClient, names: string[]) {
  const identity = `${hostname()}_${process.pid}`;
  const running: { stop(): Promise<void> }[] = [];
  if (names.includes('scheduler')) running.push(await startScheduler({ client, leaderElection: true, identity }));
  if (names.includes('controller-manager')) running.push(await startControllerManager({ client, leaderElection: true, identity }));
  return {
    names,
    stop: async () => void (await Promise.all(running.map((r) => r.stop()))),
  };
}

export async function runServer(o: ServerOptions): Promise<void> {
  const pki = ensurePki(join(o.home, 'pki'), [o.advertiseAddress, o.bindAddress].filter((h) => h !== '0.0.0.0'));
  const token = ensureAdminToken(join(o.home, 'pki'));
  let etcd: EtcdProcess | undefined;
  if (!o.etcdServers) {
    log(`starting etcd (data in ${join(o.home, 'data', 'etcd')})`);
    etcd = await startEtcd({
      dataDir: join(o.home, 'data', 'etcd'),
      clientPort: o.etcdClientPort,
      peerPort: o.etcdPeerPort,
      logFile: join(o.home, 'logs', 'etcd.log'),
    });
  }
  const endpoints = o.etcdServers?.split(',') ?? [etcd!.endpoint];
  let api: ApiServer;
  try {
    api = await startApiServer({
      etcdEndpoints: endpoints,
      host: o.bindAddress,
      port: o.port,
      tls: { cert: pki.cert, key: pki.key },
      tokens: new Map([[token, { name: 'admin', groups: ['system:masters'] }]]),
      serviceCidr: o.serviceCidr,
      encryption: ensureEncryptionKey(join(o.home, 'pki')),
      // What node agents' log and exec endpoints accept from the API server.
      kubelet: { token: ensureToken(join(o.home, 'pki'), KUBELET_CLIENT_TOKEN) },
    });
  } catch (err) {
    await etcd?.stop();
    throw err;
  }
  const server = `https://${o.advertiseAddress}:${o.port}`;
  writeKubeconfig(join(o.home, 'kubeconfig'), { server, caCert: pki.caCert, token });
  // The other control-plane components talk to the API server over HTTPS like any client.
  const client = new RestClient({ server: `https://127.0.0.1:${o.port}`, ca: pki.caCert, token, userAgent: 'skiff-server' });
  const components = await startControlPlane(client, o.components);
  writeFileSync(join(o.home, 'server.pid'), `${process.pid}\n`);
  log(`API server listening on ${server}; admin kubeconfig in ${join(o.home, 'kubeconfig')}`);
  log(`running: apiserver${components.names.map((n) => `, ${n}`).join('')}`);
  const stop = async (signal: string) => {
    log(`${signal}: stopping`);
    await components.stop().catch(() => {});
    client.close();
    await api.stop().catch(() => {});
    await etcd?.stop();
    rmSync(join(o.home, 'server.pid'), { force: true });
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

function log(msg: string): void {
  console.log(`${new Date().toISOString()} skiff server: ${msg}`);
}

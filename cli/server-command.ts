// `skiff server`: etcd (as a child, unless --etcd-servers is given), the API server, scheduler and
// controller-manager, with the PKI, hashed token store and kubeconfigs under $SKIFF_HOME. Each
// component runs under its own identity (system:kube-scheduler, system:kube-controller-manager);
// a bootstrap token is made at every start and its join command printed. Stops cleanly on
// SIGTERM/SIGINT.
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { existsSync, writeFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from './files.js';
import type { EtcdProcess, SpawnedEtcd } from '../apiserver/storage/etcd-process.js';
import { etcdForServer } from './server-etcd.js';
import { startApiServer, type ApiServer } from '../apiserver/server.js';
import { CertRotator, ensureAdminToken, ensureEncryptionKey, ensureKubeletClientCert } from '../apiserver/pki.js';
import { componentLogger, type Logger } from './log.js';
import {
  GROUP_AUTHENTICATED,
  GROUP_MASTERS,
  TokenStore,
  USER_CONTROLLER_MANAGER,
  USER_SCHEDULER,
  type UserInfo,
} from '../apiserver/auth.js';
import { writeKubeconfig } from './kubeconfig-write.js';
import { hostname } from 'node:os';
import { RestClient } from '../client/rest.js';
import { loadKubeconfig } from '../client/kubeconfig.js';
import { startScheduler } from '../scheduler/index.js';
import type { SchedulerConfiguration } from '../scheduler/config.js';
import { startControllerManager } from '../controllers/manager.js';
import type { ControllerManagerConfig } from '../controllers/controller.js';
import { createJoinToken, pruneExpiredTokens } from './token.js';

/** JOIN_TOKEN_FILE holds the join string of the bootstrap token made at the server's last start. */
export const JOIN_TOKEN_FILE = 'join-token';

export const ADMIN_USER: UserInfo = { name: 'admin', groups: [GROUP_MASTERS, GROUP_AUTHENTICATED] };
const COMPONENT_USERS: Record<string, UserInfo> = {
  scheduler: { name: USER_SCHEDULER, groups: [GROUP_AUTHENTICATED] },
  'controller-manager': { name: USER_CONTROLLER_MANAGER, groups: [GROUP_AUTHENTICATED] },
};

export interface ServerOptions {
  home: string;
  bindAddress: string;
  port: number;
  etcdServers?: string;
  etcdClientPort: number;
  etcdPeerPort: number;
  serviceCidr: string;
  /** Pod addresses of the whole cluster; every node gets a /nodeCidrMaskSize block of it. */
  clusterCidr?: string;
  nodeCidrMaskSize?: number;
  /** How long a node may stay silent before the node lifecycle controller marks it NotReady. */
  nodeMonitorGracePeriodSeconds?: number;
  advertiseAddress: string;
  /** Which of scheduler and controller-manager to run beside the API server. */
  components: string[];
  /** The scheduler's KubeSchedulerConfiguration (default: one default profile). */
  schedulerConfiguration?: SchedulerConfiguration;
  /** An etcd already started for this server (see etcdForServer); else runServer starts one unless etcdServers is given. */
  etcd?: SpawnedEtcd;
}

/** Starts the scheduler and the controller-manager, each with its client, electing a leader on its Lease. */
export async function startControlPlane(
  clientFor: (component: string) => RestClient,
  names: string[],
  config: Partial<ControllerManagerConfig> = {},
  options: { schedulerConfiguration?: SchedulerConfiguration } = {},
) {
  const identity = `${hostname()}_${process.pid}`;
  const running: { stop(): Promise<void> }[] = [];
  if (names.includes('scheduler')) {
    running.push(await startScheduler({ client: clientFor('scheduler'), leaderElection: true, identity, configuration: options.schedulerConfiguration }));
  }
  if (names.includes('controller-manager')) {
    running.push(await startControllerManager({ client: clientFor('controller-manager'), leaderElection: true, identity, config }));
  }
  return {
    names,
    stop: async () => void (await Promise.all(running.map((r) => r.stop()))),
  };
}

/**
 * componentKubeconfig returns the path of a component's kubeconfig ($SKIFF_HOME/pki/<name>.kubeconfig),
 * reusing its token when the store still knows it for that user, else issuing a new one.
 */
export function componentKubeconfig(o: { pkiDir: string; store: TokenStore; component: string; server: string; caCert: string; now: Date }): string {
  const file = join(o.pkiDir, `${o.component}.kubeconfig`);
  const user = COMPONENT_USERS[o.component]!;
  const known = existsSync(file) ? loadKubeconfig(file).token : undefined;
  if (known && o.store.authenticate(known, o.now)?.name === user.name) return file;
  const token = o.store.issue(user, { now: o.now, replace: true });
  writeKubeconfig(file, { server: o.server, caCert: o.caCert, token, userName: user.name });
  return file;
}

export async function runServer(o: ServerOptions, logger: Logger = componentLogger('server')): Promise<void> {
  const log = (msg: string, fields: object = {}) => logger.info(fields, msg);
  const pkiDir = join(o.home, 'pki');
  // Certificates in their renewal window are re-issued now; the serving one also later, while running.
  let api: ApiServer | undefined;
  const rotator = new CertRotator({
    dir: pkiDir,
    hosts: [o.advertiseAddress, o.bindAddress].filter((h) => h !== '0.0.0.0'),
    onRotated: (p) => {
      api?.setServingCert(p);
      log('serving certificate renewed', { notAfter: new X509Certificate(p.cert).validTo });
    },
    onError: (err) => logger.error({ err }, 'could not renew the serving certificate'),
  });
  const pki = rotator.pki;
  const kubeletClient = ensureKubeletClientCert(pkiDir);
  for (const stem of [...(pki.issued ?? []), ...(kubeletClient.issued ? ['apiserver-kubelet-client'] : [])]) log(`issued ${stem}.crt`, { dir: pkiDir });
  if (pki.caRenewalDue) logger.warn({ notAfter: new X509Certificate(pki.caCert).validTo }, 'the cluster CA expires soon; rotate it by hand (it is not rotated automatically)');
  const store = new TokenStore(join(pkiDir, 'tokens.json'));
  const token = ensureAdminToken(pkiDir);
  if (store.authenticate(token, new Date())?.name !== ADMIN_USER.name) store.add(token, ADMIN_USER, { now: new Date(), replace: true });
  let etcd: EtcdProcess | undefined;
  if (!o.etcdServers) {
    const started = o.etcd ?? etcdForServer(o.home, o.etcdClientPort, o.etcdPeerPort);
    log(`waiting for etcd (data in ${join(o.home, 'data', 'etcd')})`);
    try {
      await started.healthy;
    } catch (err) {
      await started.stop();
      throw err;
    }
    etcd = started;
  }
  const endpoints = o.etcdServers?.split(',') ?? [etcd!.endpoint];
  try {
    api = await startApiServer({
      etcdEndpoints: endpoints,
      host: o.bindAddress,
      port: o.port,
      tls: { cert: pki.cert, key: pki.key },
      tokenStore: store,
      caCert: pki.caCert,
      serviceCidr: o.serviceCidr,
      encryption: ensureEncryptionKey(pkiDir),
      // Node agents accept this certificate for pods/log, exec, attach and port-forward.
      kubelet: { clientCert: kubeletClient },
    });
  } catch (err) {
    await etcd?.stop();
    throw err;
  }
  rotator.start();
  const server = `https://${o.advertiseAddress}:${o.port}`;
  const local = `https://127.0.0.1:${o.port}`;
  writeKubeconfig(join(o.home, 'kubeconfig'), { server, caCert: pki.caCert, token });
  const admin = new RestClient({ server: local, ca: pki.caCert, token, userAgent: 'skiff-server' });
  const join_ = await createJoinToken(admin, pki.caCert, { description: 'made by skiff server at start' });
  writeFileAtomic(join(o.home, JOIN_TOKEN_FILE), join_ + '\n');
  // After the token is out: a joining agent waits for that file, not for the pruning.
  void pruneExpiredTokens(admin, new Date()).catch((err: Error) => logger.warn({ err }, 'could not prune expired bootstrap tokens'));
  // The other control-plane components talk to the API server over HTTPS like any client, as themselves.
  const clients: RestClient[] = [];
  const clientFor = (component: string) => {
    const file = componentKubeconfig({ pkiDir, store, component, server: local, caCert: pki.caCert, now: new Date() });
    const c = RestClient.fromKubeconfig(file, `skiff-${component}`);
    clients.push(c);
    return c;
  };
  const components = await startControlPlane(clientFor, o.components, {
    ...(o.clusterCidr ? { clusterCidr: o.clusterCidr } : {}),
    ...(o.nodeCidrMaskSize ? { nodeCidrMaskSize: o.nodeCidrMaskSize } : {}),
    ...(o.nodeMonitorGracePeriodSeconds ? { nodeMonitorGracePeriodMs: o.nodeMonitorGracePeriodSeconds * 1000 } : {}),
  }, { schedulerConfiguration: o.schedulerConfiguration });
  writeFileSync(join(o.home, 'server.pid'), `${process.pid}\n`);
  log(`API server listening on ${server}`, { kubeconfig: join(o.home, 'kubeconfig'), certRenewal: rotator.nextCheck().toISOString() });
  log(`running: apiserver${components.names.map((n) => `, ${n}`).join('')}`);
  log('to join a node (token valid 24h; more with `skiff token create`)', { command: `skiff agent --server ${server} --token ${join_}` });
  const stop = async (signal: string) => {
    log(`${signal}: stopping`);
    rotator.stop();
    await components.stop().catch(() => {});
    for (const c of [admin, ...clients]) c.close();
    await api!.stop().catch(() => {});
    await etcd?.stop();
    rmSync(join(o.home, 'server.pid'), { force: true });
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

// AgentConfig: everything startAgent needs. Defaults follow upstream kubelet's.

import type { Taint } from '../api/types/core.js';
import type { Clock } from '../client/clock.js';
import type { RestClient } from '../client/rest.js';
import type { RuntimeService } from '../runtime/api.js';
import type { BackoffSettings } from './backoff.js';
import type { ClusterDnsOptions, DnsConfig } from './dns/index.js';
import type { NodeNetworkOptions } from './proxy/index.js';
import type { Prober } from './prober.js';
import type { HostInfo, PressureCheck } from './node-status.js';
import type { StreamBackend } from './stream-server/index.js';
import type { LogServerOptions } from './log-server.js';

/** AgentConfig configures one node agent. */
export interface AgentConfig {
  client: RestClient;
  /** Node registration, status and Lease writes (upstream's separate heartbeat client, so they never queue behind pod traffic); default client. */
  heartbeatClient?: RestClient;
  nodeName: string;
  runtime: RuntimeService;
  clock?: Clock;
  /** The node's InternalIP (default: first non-internal IPv4, else 127.0.0.1). */
  hostIP?: string;
  podCidr?: string;
  /** Capacity overrides, e.g. { cpu: '4', memory: '8Gi', pods: '110' }. */
  capacity?: Record<string, string>;
  /** Subtracted from capacity to give allocatable (kube-reserved + system-reserved). */
  reserved?: Record<string, string>;
  nodeLabels?: Record<string, string>;
  registerWithTaints?: Taint[];
  /** The Node most likely exists already (this agent ran here before): registration adopts it first instead of creating it. */
  registeredBefore?: boolean;
  /** How often node status is computed (upstream 10 s); written on change or every reportFrequencyMs. */
  statusUpdateFrequencyMs?: number;
  /** Status written at least this often even when unchanged (default 60 s). */
  statusReportFrequencyMs?: number;
  /** Lease duration (default 40 s); renewed every leaseRenewIntervalMs (default 10 s). */
  leaseDurationSeconds?: number;
  leaseRenewIntervalMs?: number;
  /** Container restart back-off (default 10 s doubling to 5 min). */
  crashBackoff?: BackoffSettings;
  imageBackoff?: BackoffSettings;
  /** How often the runtime is relisted for container changes (PLEG, default 1 s). */
  plegPeriodMs?: number;
  /** Periodic pod resync (default 10 s). */
  resyncPeriodMs?: number;
  /** Concurrent pod syncs (default 16). */
  podWorkers?: number;
  /** Volumes live under rootDir/pods (default /var/lib/skiff/kubelet). */
  rootDir?: string;
  /** Sandbox log directories live under logDir (default /var/log/pods). */
  logDir?: string;
  /** Log server; omitted → no log server. */
  /**
   * The node's HTTPS server (logs, exec). tls may be a function: it is called after the Node is
   * registered, so making a first serving certificate (openssl, blocking) does not delay Ready.
   */
  logServer?: { port: number; host?: string; tls?: TlsPair | (() => TlsPair); token?: string; streams?: StreamBackend } & Pick<LogServerOptions, 'clientCert' | 'reviewToken'>;
  /** Cluster DNS server on this node (kubelet/dns); omitted → none, and ClusterFirst pods get the host's resolvers. */
  clusterDns?: ClusterDnsOptions;
  /** Service proxy (iptables) and host-gw pod routes (kubelet/proxy, kubelet/routes); omitted → none. */
  network?: NodeNetworkOptions;
  /** The machine's facts (default: read from this host); hollow nodes read them once for all. */
  host?: HostInfo;
  /** The host's resolver configuration (default: read from /etc/resolv.conf at start). */
  hostDns?: DnsConfig;
  /** Node condition checks; default reads the host. */
  pressure?: PressureCheck;
  /** Probe runner; default runs real exec/http/tcp probes through the runtime. */
  prober?: Prober;
  /** Told about background errors (status writes, lease renewals); the agent never throws them. */
  onError?: (err: unknown, what: string) => void;
}

/** A PEM certificate and its key. */
export interface TlsPair {
  cert: string;
  key: string;
}

// startScheduler: the scheduler component's one entry (DESIGN.md: each component has start(config)).

import { hostname } from 'node:os';
import type { KubeObject } from '../api/meta.js';
import { mustResource } from '../api/registry.js';
import type { Node, Pod } from '../api/types/index.js';
import { realClock, type Clock } from '../client/clock.js';
import { InformerFactory } from '../client/informer-factory.js';
import { LeaderElector, restLeaseApi } from '../client/leader-election.js';
import type { RestClient } from '../client/rest.js';
import { DEFAULT_SCHEDULER_NAME, loadConfigFile, type ProfileConfig, type SchedulerConfiguration } from './config.js';
import { startHttp } from './http.js';
import { SchedulerMetrics } from './metrics.js';
import { buildFrameworks } from './profile.js';
import { Scheduler } from './scheduler.js';

/** SchedulerConfig configures startScheduler; only client is required. */
export interface SchedulerConfig {
  client: RestClient;
  /** Name of the single default profile when neither profile nor configFile is given. */
  schedulerName?: string;
  /** One profile (overrides configFile's profiles). */
  profile?: ProfileConfig;
  /** A KubeSchedulerConfiguration YAML file. */
  configFile?: string;
  /** An already parsed configuration (e.g. from tests). */
  configuration?: SchedulerConfiguration;
  clock?: Clock;
  random?: () => number;
  /** Elect a leader on the Lease kube-system/kube-scheduler before scheduling. */
  leaderElection?: boolean;
  leaseNamespace?: string;
  leaseName?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  identity?: string;
  /** Serve /healthz and /metrics on this port (0: any free port); undefined: no server. */
  port?: number;
  host?: string;
  bindConcurrency?: number;
  log?: (obj: Record<string, unknown>, msg: string) => void;
}

/** RunningScheduler is what startScheduler returns. */
export interface RunningScheduler {
  stop(): Promise<void>;
  /** The port /healthz and /metrics listen on, when enabled. */
  port?: number;
  metrics: SchedulerMetrics;
  isLeader(): boolean;
}

function configurationOf(cfg: SchedulerConfig): SchedulerConfiguration {
  const base = cfg.configuration ?? (cfg.configFile ? loadConfigFile(cfg.configFile) : {});
  if (cfg.profile) return { ...base, profiles: [cfg.profile] };
  if (base.profiles?.length) return base;
  return { ...base, profiles: [{ schedulerName: cfg.schedulerName ?? DEFAULT_SCHEDULER_NAME }] };
}

/** startScheduler syncs the informers, then schedules (once leader, when leader election is on). */
export async function startScheduler(config: SchedulerConfig): Promise<RunningScheduler> {
  const clock = config.clock ?? realClock;
  const metrics = new SchedulerMetrics();
  const frameworks = buildFrameworks(configurationOf(config), config.client);
  const sched = new Scheduler({ client: config.client, frameworks, clock, random: config.random ?? Math.random, metrics, bindConcurrency: config.bindConcurrency, log: config.log });
  const factory = InformerFactory.forClient(config.client, {}, { clock });
  sched.watchNodes(factory.informerFor<Node & KubeObject>(mustResource('nodes')));
  sched.watchPods(factory.informerFor<Pod & KubeObject>(mustResource('pods')));
  factory.start();
  await factory.waitForSync();
  let leader = !config.leaderElection;
  const elector = config.leaderElection ? electLeader(config, clock, sched, (v) => (leader = v)) : undefined;
  if (!elector) void sched.run();
  const http = config.port !== undefined ? await startHttp(metrics, config.port, config.host) : undefined;
  return {
    port: http?.port,
    metrics,
    isLeader: () => leader,
    async stop() {
      await elector?.stop();
      await sched.stop();
      await factory.stop();
      await new Promise<void>((r) => (http ? http.server.close(() => r()) : r()));
    },
  };
}

// Upstream exits when leadership is lost; here the loop stops and the process stays up for stop().
function electLeader(config: SchedulerConfig, clock: Clock, sched: Scheduler, setLeader: (v: boolean) => void): LeaderElector {
  const elector = new LeaderElector({
    api: restLeaseApi(config.client),
    namespace: config.leaseNamespace ?? 'kube-system',
    name: config.leaseName ?? 'kube-scheduler',
    identity: config.identity ?? `${hostname()}_${process.pid}`,
    leaseDurationMs: config.leaseDurationMs,
    renewDeadlineMs: config.renewDeadlineMs,
    retryPeriodMs: config.retryPeriodMs,
    clock,
    onStartedLeading: () => {
      setLeader(true);
      void sched.run();
    },
    onStoppedLeading: () => {
      setLeader(false);
      void sched.stop();
    },
    onError: (err) => config.log?.({ err: String(err) }, 'Leader election failed'),
  });
  void elector.run();
  return elector;
}

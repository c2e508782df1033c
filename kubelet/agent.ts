// startAgent: the node agent's kubelet part. Registers the Node, heartbeats its Lease, watches
// the pods bound to it and syncs each through a work queue keyed by pod (so one pod is never
// synced by two workers at once), relists the runtime for container changes (PLEG) and serves
// container logs. Stopping the agent leaves containers running; a new agent adopts them.

import { StatusError } from '../api/errors.js';
import { objectKey } from '../api/meta.js';
import { mustResource } from '../api/registry.js';
import type { Pod } from '../api/types/pod.js';
import { delay, realClock, type Clock } from '../client/clock.js';
import { WorkQueue } from '../client/workqueue.js';
import { admitPod } from './admission.js';
import { AgentInformers, ownPods, serviceEnvServices, type PodFeed, type PodSource } from './agent-informers.js';
import { Backoff, DEFAULT_CRASH_BACKOFF } from './backoff.js';
import type { AgentConfig } from './config.js';
import { podDnsSettings, readHostDns, startClusterDns, type ClusterDns, type ClusterDnsOptions, type DnsConfig } from './dns/index.js';
import { nodeEventRecorder, podRef } from './events.js';
import { hostPressure, readHostInfo } from './host.js';
import { LABEL_POD_UID } from './labels.js';
import { startLogServer, type LogServer } from './log-server.js';
import { NodeLease } from './node-lease.js';
import { NodeReporter } from './node.js';
import { waitForPodCidr } from './pod-cidr.js';
import { startNodeNetwork, type NodeNetwork } from './proxy/index.js';
import { allocatableOf, capacityOf } from './node-status.js';
import { ProbeManager } from './probe-manager.js';
import { runtimeProber } from './prober.js';
import { ReferencedObjects } from './referenced-objects.js';
import { readRuntimePodStatus, emptyRuntimePodStatus } from './runtime-state.js';
import { StatusWriter } from './status-writer.js';
import { killPod, removePodFromRuntime, reportStatus, syncPod, type PodSyncState, type SyncDeps } from './sync-pod.js';
import { tearDownVolumes } from './volumes.js';

const PODS = mustResource('pods');

/** Agent is a running node agent. */
export interface Agent {
  stop(): Promise<void>;
  /** For tests and hollow-node figures. */
  readonly stats: { syncs: number; statusWrites: () => number; leaseRenewals: () => number };
}

/**
 * startAgent registers the node and starts every loop; resolves once the pod informer synced.
 * shared: Service and Node informers owned by the caller (hollow nodes share one set); default:
 * the agent runs its own.
 */
export async function startAgent(config: AgentConfig, shared?: AgentInformers): Promise<Agent> {
  const agent = new NodeAgent(config, shared);
  await agent.start();
  return agent;
}

class NodeAgent implements Agent {
  private readonly clock: Clock;
  private readonly abort = new AbortController();
  private readonly queue: WorkQueue<string>;
  private readonly podFeed: PodFeed;
  private readonly pods: PodSource;
  private readonly informers: AgentInformers;
  private readonly objects: ReferencedObjects;
  private stopNodeWatch = (): void => undefined;
  private readonly deps: SyncDeps;
  private readonly node: NodeReporter;
  private readonly lease: NodeLease;
  private readonly states = new Map<string, PodSyncState>();
  private readonly uidByKey = new Map<string, string>();
  private readonly keyByUid = new Map<string, string>();
  private readonly admitted = new Set<string>();
  private readonly loops: Promise<void>[] = [];
  private logServer?: LogServer;
  private dns?: ClusterDns;
  private network?: NodeNetwork;
  private readonly hostDns: DnsConfig;
  private plegSeen = new Map<string, string>();
  readonly stats;

  constructor(
    private readonly cfg: AgentConfig,
    private readonly shared?: AgentInformers,
  ) {
    this.clock = cfg.clock ?? realClock;
    this.hostDns = cfg.hostDns ?? readHostDns();
    const host = cfg.host ? { ...cfg.host, hostIP: cfg.hostIP ?? cfg.host.hostIP } : readHostInfo(cfg.hostIP);
    const capacity = capacityOf(host, cfg.capacity);
    const allocatable = allocatableOf(capacity, cfg.reserved);
    this.queue = new WorkQueue<string>({ clock: this.clock });
    // Its own pod watch, or its view of the shared one (hollow nodes).
    const pods = shared?.podsFor(cfg.nodeName) ?? ownPods(cfg.client, this.clock, cfg.nodeName);
    this.podFeed = pods.feed;
    this.pods = pods.source;
    this.informers = shared ?? AgentInformers.forNode(cfg.client, this.clock, cfg.nodeName);
    this.objects = new ReferencedObjects({ client: cfg.client, clock: this.clock, onChange: (uids) => this.enqueueUids(uids), onError: (e, w) => this.report(e, w) });
    const events = nodeEventRecorder(cfg.client, this.clock, cfg.nodeName);
    const probes = new ProbeManager({
      clock: this.clock,
      prober: cfg.prober ?? runtimeProber(cfg.runtime),
      view: (uid, name) => this.containerView(uid, name),
      podIP: (uid) => this.states.get(uid)?.rs.sandboxes.find((s) => s.ready)?.ip ?? '',
      onChange: (key) => this.queue.add(key),
      onProbeFailure: (pod, c, type, out) =>
        events.event(podRef(pod, c.name), 'Warning', 'Unhealthy', `${type[0].toUpperCase()}${type.slice(1)} probe failed: ${out}`),
    });
    this.deps = {
      client: cfg.client,
      runtime: cfg.runtime,
      clock: this.clock,
      events,
      probes,
      statusWriter: new StatusWriter(cfg.client),
      crashBackoff: new Backoff(cfg.crashBackoff ?? DEFAULT_CRASH_BACKOFF),
      imageBackoff: new Backoff(cfg.imageBackoff ?? DEFAULT_CRASH_BACKOFF),
      hostIP: host.hostIP,
      runtimeName: 'containerd',
      rootDir: cfg.rootDir ?? '/var/lib/skiff/kubelet',
      logDir: cfg.logDir ?? '/var/log/pods',
      allocatable,
      objects: this.objects,
      services: (ns) => serviceEnvServices(this.informers.serviceLister, ns),
      dns: podDnsSettings(cfg.clusterDns, this.hostDns),
    };
    this.node = new NodeReporter({
      client: cfg.heartbeatClient ?? cfg.client,
      clock: this.clock,
      name: cfg.nodeName,
      host,
      labels: cfg.nodeLabels ?? {},
      taints: cfg.registerWithTaints ?? [],
      podCidr: cfg.podCidr,
      registeredBefore: cfg.registeredBefore,
      reportFrequencyMs: cfg.statusReportFrequencyMs ?? 60_000,
      facts: () => this.nodeFacts(),
      observed: () => this.informers.node(cfg.nodeName).get(),
    });
    this.lease = new NodeLease(cfg.heartbeatClient ?? cfg.client, this.clock, cfg.nodeName, cfg.leaseDurationSeconds ?? 40, () => this.node.uid);
    this.stats = { syncs: 0, statusWrites: () => this.deps.statusWriter.writes, leaseRenewals: () => this.lease.renewals };
  }

  async start(): Promise<void> {
    this.deps.runtimeName = (await this.cfg.runtime.version()).runtimeName;
    // The Node registers (and so reports Ready) first: no pod starts before the DNS server below is
    // up, and setting up its link spawns processes that would slow registration on a busy start.
    // The log server follows: its first certificate may take openssl a while.
    await this.node.register();
    const logServer = this.cfg.logServer;
    if (logServer) {
      const tls = typeof logServer.tls === 'function' ? logServer.tls() : logServer.tls;
      this.logServer = await startLogServer({ ...logServer, tls, runtime: this.cfg.runtime, lookup: (ns, name) => this.pods.store.getByName(ns, name) });
    }
    await this.renewLease();
    if (this.cfg.clusterDns) await this.startDns(this.cfg.clusterDns);
    if (this.cfg.network) await this.configureRuntimeNetwork();
    this.pods.addEventHandler({
      onAdd: (p) => this.enqueue(p),
      onUpdate: (_o, p) => this.enqueue(p),
      onDelete: (p) => this.enqueue(p),
    });
    this.stopNodeWatch = this.informers.node(this.cfg.nodeName).onChange((n) => void this.node.nodeChanged(n).catch((err) => this.report(err, 'update node status')));
    this.podFeed.start();
    if (!this.shared) this.informers.start();
    await Promise.all([this.podFeed.waitForSync(), this.informers.waitForSync()]);
    // Service proxy and pod routes (kubelet/proxy, kubelet/routes): own informers and queue, opt-in.
    if (this.cfg.network) this.network = startNodeNetwork({ ...this.cfg.network, client: this.cfg.client, nodeName: this.cfg.nodeName, clock: this.clock, onError: (e, w) => this.report(e, w) });
    const workers = this.cfg.podWorkers ?? 16;
    for (let i = 0; i < workers; i++) this.loops.push(this.worker());
    this.loops.push(this.every(this.cfg.leaseRenewIntervalMs ?? 10_000, () => this.renewLease()));
    this.loops.push(this.every(this.cfg.statusUpdateFrequencyMs ?? 10_000, () => this.node.update().then(() => undefined)));
    this.loops.push(this.every(this.cfg.plegPeriodMs ?? 1000, () => this.relist()));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.queue.shutDown();
    this.deps.probes.stop();
    await this.podFeed.stop();
    await this.objects.stop();
    this.stopNodeWatch();
    if (!this.shared) await this.informers.stop();
    await Promise.all(this.loops);
    await this.logServer?.close();
    await this.dns?.stop();
    await this.network?.stop(); // removes its chains and routes
    await this.deps.events.flush();
  }

  /** startDns runs the node's cluster DNS (kubelet/dns) before any pod is synced; without it pods get the host's resolvers. */
  private async startDns(o: ClusterDnsOptions): Promise<void> {
    try {
      this.dns = await startClusterDns(o, { client: this.cfg.client, host: this.hostDns, clock: this.clock, onError: (e, w) => this.report(e, w) });
    } catch (err) {
      this.report(err, 'cluster DNS not started, pods get the host resolvers');
      this.deps.dns = podDnsSettings(undefined, this.hostDns);
    }
  }

  private enqueue(p: Pod): void {
    const key = objectKey(p);
    if (p.metadata.uid && !this.uidByKey.has(key)) {
      this.uidByKey.set(key, p.metadata.uid);
      this.keyByUid.set(p.metadata.uid, key);
    }
    this.queue.add(key);
  }

  private enqueueUids(uids: string[]): void {
    for (const uid of uids) {
      const key = this.keyByUid.get(uid);
      if (key) this.queue.add(key);
    }
  }

  /**
   * configureRuntimeNetwork gives the runtime this node's pod CIDR before any pod starts. With a
   * cluster CIDR the service proxy masquerades traffic leaving the cluster, so the bridge must not
   * NAT pod-to-pod traffic between nodes.
   */
  private async configureRuntimeNetwork(): Promise<void> {
    const podCidr = this.cfg.podCidr ?? (await waitForPodCidr(this.cfg.client, this.cfg.nodeName, this.abort.signal));
    if (!podCidr) return;
    await this.cfg.runtime.updateRuntimeConfig({ podCidr, ipMasq: !this.cfg.network?.proxy?.clusterCidr });
  }

  private async renewLease(): Promise<void> {
    await this.lease.renew().catch((err) => this.report(err, 'renew lease'));
  }

  private async nodeFacts(): Promise<{ runtimeVersion: string; runtimeReady: boolean; pressure: { memory: boolean; disk: boolean; pid: boolean }; daemonPort: number; capacity?: Record<string, string>; reserved?: Record<string, string> }> {
    const pressure = (this.cfg.pressure ?? hostPressure(this.deps.rootDir))();
    const daemonPort = this.cfg.logServer?.port ?? 10250;
    try {
      const v = await this.cfg.runtime.version();
      return { runtimeVersion: `${v.runtimeName}://${v.runtimeVersion}`, runtimeReady: true, pressure, daemonPort, capacity: this.cfg.capacity, reserved: this.cfg.reserved };
    } catch {
      return { runtimeVersion: '', runtimeReady: false, pressure, daemonPort, capacity: this.cfg.capacity, reserved: this.cfg.reserved };
    }
  }

  /** every runs fn, waits ms on the clock, and repeats until stop. */
  private async every(ms: number, fn: () => Promise<void>): Promise<void> {
    while (!this.abort.signal.aborted) {
      await delay(this.clock, ms, this.abort.signal);
      if (this.abort.signal.aborted) return;
      await fn().catch((err) => this.report(err, 'periodic task'));
    }
  }

  private async worker(): Promise<void> {
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      try {
        await this.sync(key);
        this.queue.forget(key);
        if (!this.abort.signal.aborted && this.pods.store.get(key)) this.queue.addAfter(key, this.cfg.resyncPeriodMs ?? 10_000);
      } catch (err) {
        this.report(err, `sync pod ${key}`);
        if (!this.abort.signal.aborted) this.queue.addRateLimited(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async sync(key: string): Promise<void> {
    this.stats.syncs++;
    const pod = this.pods.store.get(key);
    const known = this.uidByKey.get(key);
    if (!pod || (known && known !== pod.metadata.uid)) {
      if (known) await this.cleanupOrphan(known);
      this.uidByKey.delete(key);
      if (!pod) return;
      this.enqueue(pod);
    }
    const uid = pod.metadata.uid ?? '';
    let st = this.states.get(uid);
    if (!st) this.states.set(uid, (st = { waiting: new Map(), rs: emptyRuntimePodStatus(uid) }));
    if (pod.metadata.deletionTimestamp) return this.terminate(pod, st);
    if (['Failed', 'Succeeded'].includes(pod.status?.phase ?? '') && !(await this.hasRunning(uid))) return;
    if (!(await this.admit(pod))) return;
    this.objects.setPod(pod);
    const r = await syncPod(this.deps, pod, st);
    if (r.requeueAfterMs !== undefined && r.requeueAfterMs > 0) this.queue.addAfter(key, r.requeueAfterMs);
  }

  private async hasRunning(uid: string): Promise<boolean> {
    return (await this.cfg.runtime.listContainers({ labelSelector: { [LABEL_POD_UID]: uid }, state: 'CONTAINER_RUNNING' })).length > 0;
  }

  /** admit runs admission once per pod; pods the runtime already runs are adopted, not re-checked. */
  private async admit(pod: Pod): Promise<boolean> {
    const uid = pod.metadata.uid ?? '';
    if (this.admitted.has(uid)) return true;
    const adopted = (await this.cfg.runtime.listPodSandbox({ labelSelector: { [LABEL_POD_UID]: uid } })).length > 0;
    const others = this.pods.store.list().filter((p) => this.admitted.has(p.metadata.uid ?? '') && !['Failed', 'Succeeded'].includes(p.status?.phase ?? ''));
    const res = adopted || pod.status?.phase === 'Running' ? ({ admit: true } as const) : admitPod(pod, others, this.deps.allocatable as Record<string, string>, this.nodeForAdmission());
    if (res.admit) {
      this.admitted.add(uid);
      return true;
    }
    this.deps.events.event(podRef(pod), 'Warning', res.reason, res.message);
    await this.deps.statusWriter.write(pod, { ...(pod.status ?? {}), phase: 'Failed', reason: res.reason, message: `Pod was rejected: ${res.message}` });
    return false;
  }

  /** nodeForAdmission: the Node's labels as the informer has them now; none yet → no label check. */
  private nodeForAdmission(): { name: string; labels: Record<string, string> } | undefined {
    const n = this.informers.node(this.cfg.nodeName).get();
    return n && { name: this.cfg.nodeName, labels: n.metadata.labels ?? {} };
  }

  /** terminate: preStop, stop with grace, final status, remove from the runtime, delete with grace 0. */
  private async terminate(pod: Pod, st: PodSyncState): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const rs = await readRuntimePodStatus(this.cfg.runtime, uid);
    this.deps.probes.removePod(uid);
    await killPod(this.deps, pod, rs);
    await reportStatus(this.deps, pod, st);
    await removePodFromRuntime(this.deps, await readRuntimePodStatus(this.cfg.runtime, uid));
    tearDownVolumes(this.deps.rootDir, uid);
    try {
      await this.cfg.client.delete(PODS, pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (err) {
      if (!(err instanceof StatusError && (err.code === 404 || err.code === 409))) throw err;
    }
    this.forgetPod(uid);
  }

  /** cleanupOrphan kills and removes what the runtime still has for a pod the API no longer has. */
  private async cleanupOrphan(uid: string): Promise<void> {
    const rs = await readRuntimePodStatus(this.cfg.runtime, uid);
    for (const c of rs.containers) if (c.state === 'running') await this.cfg.runtime.stopContainer(c.id, 2);
    await removePodFromRuntime(this.deps, rs);
    tearDownVolumes(this.deps.rootDir, uid);
    this.forgetPod(uid);
  }

  private forgetPod(uid: string): void {
    this.deps.probes.removePod(uid);
    this.objects.removePod(uid);
    this.states.delete(uid);
    this.admitted.delete(uid);
    this.deps.statusWriter.forget(uid);
    const key = this.keyByUid.get(uid);
    this.keyByUid.delete(uid);
    if (key && this.uidByKey.get(key) === uid) this.uidByKey.delete(key);
  }

  /** relist is the PLEG: enqueue pods whose containers changed state; clean up unknown sandboxes. */
  private async relist(): Promise<void> {
    const containers = await this.cfg.runtime.listContainers();
    const seen = new Map<string, string>();
    for (const c of containers) {
      seen.set(c.id, c.state);
      if (this.plegSeen.get(c.id) === c.state) continue;
      const key = this.keyByUid.get(c.labels[LABEL_POD_UID] ?? '');
      if (key) this.queue.add(key);
    }
    this.plegSeen = seen;
    const live = new Set(this.pods.store.list().map((p) => p.metadata.uid));
    for (const sb of await this.cfg.runtime.listPodSandbox()) {
      const uid = sb.labels[LABEL_POD_UID];
      if (uid && !live.has(uid) && !this.keyByUid.has(uid)) await this.cleanupOrphan(uid);
    }
  }

  private containerView(uid: string, name: string): ReturnType<ConstructorParameters<typeof ProbeManager>[0]['view']> {
    const st = this.states.get(uid);
    if (!st) return 'gone';
    if (['Succeeded', 'Failed'].includes(st.status?.phase ?? '')) return 'gone';
    const c = st.rs.containers.find((x) => x.name === name && !x.init);
    if (!c) return undefined;
    const pod = this.pods.store.get(this.keyByUid.get(uid) ?? '');
    const hasStartup = !!pod?.spec.containers.find((x) => x.name === name)?.startupProbe;
    const started = !hasStartup || this.deps.probes.result('startup', c.id) === 'success';
    return { containerId: c.id, running: c.state === 'running', startedAt: c.startedAt, started };
  }

  private report(err: unknown, what: string): void {
    this.cfg.onError?.(err, what);
  }
}

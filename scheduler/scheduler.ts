// The scheduler: informers feed the cache (bound pods, nodes) and the queue (pending pods);
// one loop pops a pod, runs a synchronous scheduling cycle over the cache, assumes the pod on
// the chosen node and binds asynchronously, so the next cycle never waits for the API.

import { objectKey, type KubeObject } from '../api/meta.js';
import { mustResource } from '../api/registry.js';
import type { Node, Pod } from '../api/types/index.js';
import type { Clock } from '../client/clock.js';
import type { Informer } from '../client/informer.js';
import type { RestClient } from '../client/rest.js';
import { WritePool } from '../client/write-pool.js';
import { schedulePod, type FitFailure } from './algorithm.js';
import { SchedulerCache } from './cache.js';
import { PodEventRecorder, unschedulableStatusPatch } from './events.js';
import { runBind, runPostFilter, runReserve, runUnreserve, type Framework } from './framework/framework.js';
import { Code } from './framework/status.js';
import { fitErrorMessage } from './message.js';
import type { SchedulerMetrics } from './metrics.js';
import { SchedulingQueue, type QueuedPodInfo } from './queue.js';
import { nodeChangeCouldHelp, isAssigned, isTerminal, podSpecChanged } from './events-filter.js';

/** SchedulerDeps are the parts a Scheduler is made of; everything is injected for tests. */
export interface SchedulerDeps {
  client: RestClient;
  frameworks: Map<string, Framework>;
  clock: Clock;
  random: () => number;
  metrics?: SchedulerMetrics;
  /** Concurrent bindings in flight (default 64). */
  bindConcurrency?: number;
  log?: (obj: Record<string, unknown>, msg: string) => void;
}

/** Scheduler owns the queue, the cache and the loop. */
export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  private readonly recorder: PodEventRecorder;
  private readonly writes = new WritePool(16, 20_000);
  private readonly binds: WritePool;
  private startIndex = 0;
  private running?: Promise<void>;

  constructor(private readonly d: SchedulerDeps) {
    this.queue = new SchedulingQueue({ clock: d.clock });
    this.recorder = new PodEventRecorder(d.client, d.clock, this.writes);
    this.binds = new WritePool(d.bindConcurrency ?? 64, Number.MAX_SAFE_INTEGER);
  }

  /** responsible: the pod names one of our profiles. */
  responsible(pod: Pod): boolean {
    return this.d.frameworks.has(pod.spec.schedulerName ?? 'default-scheduler');
  }

  /** watchNodes wires node events into the cache and retries unschedulable pods. */
  watchNodes(nodes: Informer<Node & KubeObject>): void {
    nodes.addEventHandler({
      onAdd: (n) => (this.cache.addNode(n), this.queue.moveAllToActiveOrBackoff()),
      onUpdate: (old, cur) => {
        this.cache.addNode(cur);
        if (nodeChangeCouldHelp(old, cur)) this.queue.moveAllToActiveOrBackoff();
      },
      onDelete: (n) => this.cache.removeNode(n.metadata.name ?? ''),
    });
  }

  /** watchPods routes bound pods to the cache and pending ones to the queue. */
  watchPods(pods: Informer<Pod & KubeObject>): void {
    pods.addEventHandler({
      onAdd: (p) => this.podAdded(p),
      onUpdate: (old, cur) => this.podUpdated(old, cur),
      onDelete: (p) => this.podDeleted(p),
    });
  }

  private podAdded(p: Pod): void {
    if (isAssigned(p)) {
      if (!isTerminal(p)) this.cache.addPod(p);
    } else if (this.responsible(p) && !p.metadata.deletionTimestamp) this.queue.add(p);
  }

  private podUpdated(old: Pod, cur: Pod): void {
    if (!isAssigned(cur)) {
      if (this.responsible(cur) && podSpecChanged(old, cur)) this.queue.update(cur);
      return;
    }
    if (!isAssigned(old)) this.queue.delete(old);
    if (isTerminal(cur)) {
      this.cache.removePod(cur);
      this.queue.moveAllToActiveOrBackoff();
    } else this.cache.updatePod(cur);
  }

  private podDeleted(p: Pod): void {
    if (!isAssigned(p)) return this.queue.delete(p);
    this.cache.removePod(p);
    this.queue.moveAllToActiveOrBackoff();
  }

  /** run starts the loop; it ends when stop() closes the queue. */
  run(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  /** stop closes the queue and waits for the loop and outstanding writes. */
  async stop(): Promise<void> {
    this.queue.close();
    await this.running;
    await this.binds.drain();
    await this.writes.drain();
  }

  private async loop(): Promise<void> {
    for (let q = await this.queue.pop(); q; q = await this.queue.pop()) {
      try {
        this.scheduleOne(q);
      } catch (err) {
        this.d.log?.({ pod: q.key, err: String(err) }, 'Failed to schedule pod');
        this.queue.addUnschedulable(q, this.queue.schedulingCycle, true);
      }
      this.updateQueueGauges();
      // Yield now and then so informer events (bindings confirmed, nodes) are processed.
      if (this.queue.schedulingCycle % 32 === 0) await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** scheduleOne runs one synchronous scheduling cycle and starts the binding cycle. */
  scheduleOne(q: QueuedPodInfo): void {
    const pod = q.pod;
    const fw = this.d.frameworks.get(pod.spec.schedulerName ?? 'default-scheduler');
    if (!fw || pod.metadata.deletionTimestamp || this.cache.isAssumed(q.key)) return this.queue.done(q.key);
    const cycle = this.queue.schedulingCycle;
    const state = new Map<string, unknown>();
    const started = performance.now();
    const r = schedulePod(fw, state, pod, this.cache, this.startIndex, this.d.random);
    this.d.metrics?.algorithmLatency.observe((performance.now() - started) / 1000);
    this.startIndex = r.nextStartIndex;
    if (r.kind === 'unschedulable') return this.handleFailure(fw, state, q, cycle, r);
    const assumed: Pod = { ...pod, spec: { ...pod.spec, nodeName: r.node } };
    this.cache.assumePod(assumed);
    const reserved = runReserve(fw, state, assumed, r.node);
    if (reserved.code !== Code.Success) {
      this.cache.forgetPod(assumed);
      return this.queue.addUnschedulable(q, cycle, true);
    }
    this.binds.run(() => this.bindingCycle(fw, state, q, assumed, r.node, cycle));
  }

  private async bindingCycle(fw: Framework, state: Map<string, unknown>, q: QueuedPodInfo, assumed: Pod, node: string, cycle: number): Promise<void> {
    const s = await runBind(fw, assumed, node);
    if (s.code === Code.Success) {
      this.cache.finishBinding(assumed);
      this.queue.done(q.key);
      this.d.metrics?.attempts.inc({ result: 'scheduled', profile: fw.schedulerName });
      this.d.metrics?.e2eLatency.observe((this.d.clock.now() - q.timestamp) / 1000);
      const ns = assumed.metadata.namespace;
      this.recorder.event(assumed, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${assumed.metadata.name} to ${node}`);
      return;
    }
    this.cache.forgetPod(assumed);
    runUnreserve(fw, state, assumed, node);
    this.d.metrics?.attempts.inc({ result: 'error', profile: fw.schedulerName });
    this.recorder.event(q.pod, 'Warning', 'FailedScheduling', `Binding rejected: ${s.reasons.join(', ')}`);
    this.queue.addUnschedulable(q, cycle, true);
  }

  private handleFailure(fw: Framework, state: Map<string, unknown>, q: QueuedPodInfo, cycle: number, r: FitFailure): void {
    const pod = q.pod;
    this.d.metrics?.attempts.inc({ result: 'unschedulable', profile: fw.schedulerName });
    if (r.numAllNodes === 0) return this.reportUnschedulable(q, cycle, 'no nodes available to schedule pods');
    const pf = fw.postFilter.length ? runPostFilter(fw, state, pod, this.cache, r.filtered) : undefined;
    if (pf?.nominatedNodeName) this.preempt(pod, pf.victims ?? []);
    const postMsg = pf && !pf.nominatedNodeName ? pf.status.reasons.join(' ') : '';
    this.reportUnschedulable(q, cycle, fitErrorMessage(r.numAllNodes, r.filtered.values(), postMsg), pf?.nominatedNodeName);
  }

  private reportUnschedulable(q: QueuedPodInfo, cycle: number, message: string, nominated?: string): void {
    this.recorder.event(q.pod, 'Warning', 'FailedScheduling', message);
    const patch = unschedulableStatusPatch(q.pod, message, this.d.clock.now(), nominated);
    const pods = mustResource('pods');
    const { namespace, name } = q.pod.metadata;
    if (patch) this.writes.run(() => this.d.client.patch(pods, namespace, name ?? '', 'merge', patch, { subresource: 'status' }));
    this.queue.addUnschedulable(q, cycle);
  }

  private preempt(preemptor: Pod, victims: Pod[]): void {
    const pods = mustResource('pods');
    for (const v of victims) {
      this.d.log?.({ pod: objectKey(v), preemptor: objectKey(preemptor) }, 'Preempted pod');
      this.d.metrics?.preemptionVictims.inc();
      this.recorder.event(v, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata.uid ?? objectKey(preemptor)}`);
      this.writes.run(() => this.d.client.delete(pods, v.metadata.namespace, v.metadata.name ?? '', { preconditions: { uid: v.metadata.uid } }));
    }
  }

  private updateQueueGauges(): void {
    const m = this.d.metrics;
    if (!m) return;
    const l = this.queue.lengths();
    m.pending.set({ queue: 'active' }, l.active);
    m.pending.set({ queue: 'backoff' }, l.backoff);
    m.pending.set({ queue: 'unschedulable' }, l.unschedulable);
  }
}

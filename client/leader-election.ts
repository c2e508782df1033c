// Leader election on a coordination.k8s.io/v1 Lease (client-go's tools/leaderelection):
// candidates try to acquire every retryPeriod; the leader renews every retryPeriod and gives up
// when it cannot renew within renewDeadline. Writes are conditional on resourceVersion, so of
// two racing candidates one gets 409 and simply tries again next period.

import { isStatusError } from '../api/errors.js';
import { mustResource } from '../api/registry.js';
import { delay, realClock, type Clock } from './clock.js';
import { decideLease, releasedLease, type Lease } from './lease.js';
import type { RestClient } from './rest.js';

/** LeaseApi is the slice of the API leader election needs; errors are StatusErrors. */
export interface LeaseApi {
  get(namespace: string, name: string): Promise<Lease | undefined>;
  create(lease: Lease): Promise<Lease>;
  update(lease: Lease): Promise<Lease>;
}

/** restLeaseApi adapts a RestClient; a 404 on get means no lease. */
export function restLeaseApi(client: RestClient): LeaseApi {
  const leases = mustResource('leases');
  return {
    get: (ns, name) => client.get<Lease>(leases, ns, name).catch((err: unknown) => {
      if (isStatusError(err, 'NotFound')) return undefined;
      throw err;
    }),
    create: (lease) => client.create<Lease>(leases, lease.metadata.namespace, lease),
    update: (lease) => client.update<Lease>(leases, lease),
  };
}

/** LeaderElectionConfig; durations default to client-go's 15 s / 10 s / 2 s. */
export interface LeaderElectionConfig {
  api: LeaseApi;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  clock?: Clock;
  /** Called once leadership is won; signal aborts when it is lost or the elector stops. */
  onStartedLeading(signal: AbortSignal): void;
  onStoppedLeading(): void;
  /** Called when a different holder is observed. */
  onNewLeader?(identity: string): void;
  onError?(err: unknown): void;
}

/** LeaderElector runs one candidate's acquire-and-renew loop. */
export class LeaderElector {
  private readonly clock: Clock;
  private readonly stopper = new AbortController();
  private leading?: AbortController;
  private lastSeen?: Lease;
  private observedLeader = '';
  private running?: Promise<void>;

  constructor(private readonly cfg: LeaderElectionConfig) {
    this.clock = cfg.clock ?? realClock;
  }

  /** run acquires, then renews until leadership is lost or stop() is called. */
  run(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  isLeader(): boolean {
    return this.leading !== undefined;
  }

  /** stop ends the loop and releases the lease if held. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.running;
  }

  private get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  private async loop(): Promise<void> {
    while (!this.stopped && !(await this.tryAcquireOrRenew())) await this.wait();
    if (this.stopped) return;
    this.leading = new AbortController();
    this.cfg.onStartedLeading(this.leading.signal);
    await this.renewLoop();
    await this.stepDown();
  }

  private async renewLoop(): Promise<void> {
    let lastRenew = this.clock.now();
    while (!this.stopped) {
      await this.wait();
      if (this.stopped) return;
      if (await this.tryAcquireOrRenew()) lastRenew = this.clock.now();
      else if (this.clock.now() - lastRenew >= (this.cfg.renewDeadlineMs ?? 10_000)) return;
    }
  }

  private async stepDown(): Promise<void> {
    if (this.stopped && this.lastSeen) await this.release(this.lastSeen);
    this.leading?.abort();
    this.leading = undefined;
    this.cfg.onStoppedLeading();
  }

  /** tryAcquireOrRenew reads the lease, decides, writes; true when we hold it afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { api, namespace, name, identity } = this.cfg;
    try {
      const current = await api.get(namespace, name);
      const d = decideLease(current, identity, this.clock.now(), this.cfg.leaseDurationMs ?? 15_000);
      this.observe(d.lease.spec?.holderIdentity ?? '');
      if (d.action === 'wait') return false;
      const lease = { ...d.lease, metadata: { ...d.lease.metadata, namespace, name } };
      this.lastSeen = d.action === 'create' ? await api.create(lease) : await api.update(lease);
      return true;
    } catch (err) {
      this.cfg.onError?.(err);
      return false;
    }
  }

  private async release(lease: Lease): Promise<void> {
    try {
      await this.cfg.api.update(releasedLease(lease, this.clock.now()));
    } catch (err) {
      this.cfg.onError?.(err);
    }
  }

  private observe(holder: string): void {
    if (holder === this.observedLeader) return;
    this.observedLeader = holder;
    if (holder && holder !== this.cfg.identity) this.cfg.onNewLeader?.(holder);
  }

  private wait(): Promise<void> {
    return delay(this.clock, this.cfg.retryPeriodMs ?? 2_000, this.stopper.signal);
  }
}

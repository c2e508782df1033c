// ServiceProxy keeps Skiff's iptables chains in step with Services and Endpoints: informer
// events only mark the single key dirty; one worker renders the rules (a pure function of the
// informers' stores) and, when the text differs from what it last applied, rewrites the chains
// with one iptables-restore. The key is held for minSyncPeriodMs after each sync, so a burst of
// changes (a rollout) costs one restore per period instead of one per event.
import type { Endpoints, Service } from '../../api/types/core.js';
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import { delay, realClock, type Clock } from '../../client/clock.js';
import type { InformerFactory } from '../../client/informer-factory.js';
import type { Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import { ensureSysctls, hostExec, iptablesRestore, iptablesSave, type Exec } from './iptables.js';
import { cleanupRestore, parseSave, planRestore, renderRules } from './restore.js';
import { buildProxyRules, checkPrefix, DEFAULT_PROXY_CONFIG, type ProxyConfig } from './rules.js';
import { servicePorts } from './service-ports.js';

/** ServiceProxyOptions configures a ServiceProxy; only the factory is required. */
export interface ServiceProxyOptions {
  /** A cluster-wide factory (no selectors); the caller starts it. */
  factory: InformerFactory;
  config?: Partial<ProxyConfig>;
  exec?: Exec;
  clock?: Clock;
  /** Least time between two restores (kube-proxy's --iptables-min-sync-period, default 1 s). */
  minSyncPeriodMs?: number;
  /** Set the sysctls the proxy relies on (default true). */
  sysctls?: boolean;
  onError?: (err: unknown, what: string) => void;
}

/** ProxyStats counts syncs for tests and figures. */
export interface ProxyStats {
  syncs: number;
  restores: number;
  unchanged: number;
}

const KEY = 'rules';

export class ServiceProxy {
  readonly config: ProxyConfig;
  readonly stats: ProxyStats = { syncs: 0, restores: 0, unchanged: 0 };
  private readonly exec: Exec;
  private readonly clock: Clock;
  private readonly queue: WorkQueue<string>;
  private readonly services: Informer<Service & KubeObject>;
  private readonly endpoints: Informer<Endpoints & KubeObject>;
  private readonly abort = new AbortController();
  private applied?: string;
  private sysctlsChecked: boolean;
  private worker?: Promise<void>;
  private waiters: (() => void)[] = [];

  constructor(private readonly opts: ServiceProxyOptions) {
    this.config = { ...DEFAULT_PROXY_CONFIG, ...opts.config };
    checkPrefix(this.config.prefix);
    this.exec = opts.exec ?? hostExec();
    this.clock = opts.clock ?? realClock;
    this.sysctlsChecked = opts.sysctls === false;
    this.queue = new WorkQueue<string>({ clock: this.clock });
    this.services = opts.factory.informerFor<Service & KubeObject>(mustResource('services'));
    this.endpoints = opts.factory.informerFor<Endpoints & KubeObject>(mustResource('endpoints'));
    const handlers = { onAdd: () => this.queue.add(KEY), onUpdate: () => this.queue.add(KEY), onDelete: () => this.queue.add(KEY) };
    this.services.addEventHandler(handlers);
    this.endpoints.addEventHandler(handlers);
  }

  /** start runs the worker; the first sync waits until both informers have synced. */
  start(): void {
    this.worker ??= this.run();
  }

  /** idle resolves after the next successful sync (for tests). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.queue.add(KEY);
    });
  }

  /** stop ends the worker and removes Skiff's chains and the jumps to them. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.queue.shutDown();
    await this.worker;
    await cleanupProxyRules(this.exec, this.config.prefix);
    this.applied = undefined;
  }

  private async run(): Promise<void> {
    const synced = await Promise.all([this.services.waitForSync(), this.endpoints.waitForSync()]);
    if (!synced.every(Boolean) || this.abort.signal.aborted) return;
    this.queue.add(KEY);
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      try {
        await this.sync();
        this.queue.forget(key);
        this.waiters.splice(0).forEach((w) => w());
      } catch (err) {
        this.opts.onError?.(err, 'sync service proxy rules');
        this.queue.addRateLimited(key);
      }
      // Changes arriving while the key is held are coalesced into one more sync afterwards.
      await delay(this.clock, this.opts.minSyncPeriodMs ?? 1000, this.abort.signal);
      this.queue.done(key);
    }
  }

  /** sync renders the rules and applies them when they differ from the last applied. */
  async sync(): Promise<void> {
    this.stats.syncs++;
    const rules = buildProxyRules(servicePorts(this.services.store.list(), this.endpoints.store.list()), this.config);
    const text = renderRules(rules);
    if (text === this.applied) {
      this.stats.unchanged++;
      return;
    }
    if (!this.sysctlsChecked) {
      for (const p of await ensureSysctls(this.exec)) this.opts.onError?.(new Error(`could not set sysctl ${p}`), 'service proxy sysctls');
      this.sysctlsChecked = true;
    }
    const plan = planRestore(rules, parseSave(await iptablesSave(this.exec), this.config.prefix));
    this.applied = undefined; // a failed restore may have changed one table: never skip the retry
    await iptablesRestore(this.exec, plan.text);
    this.applied = text;
    this.stats.restores++;
  }
}

/** cleanupProxyRules removes every chain with this prefix and every jump to them, atomically per table. */
export async function cleanupProxyRules(exec: Exec, prefix: string): Promise<boolean> {
  const text = cleanupRestore(parseSave(await iptablesSave(exec), prefix));
  if (!text) return false;
  await iptablesRestore(exec, text);
  return true;
}

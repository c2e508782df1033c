// Pod sandboxes: namespaces, the CNI network and the shared files, under <root>/sandboxes/<id>.
// run() undoes its partial work when a step fails; stopNetwork() and remove() are idempotent.
// One spare sandbox (spare.ts) is kept made, so a pod's RunPodSandbox mostly writes three files.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError, type PodSandboxConfig } from '../api.js';
import { nowNs, readRecord, writeRecord } from '../containers/exit-record.js';
import { removeCgroup } from '../containers/cgroup-remove.js';
import { cniAdd, cniDel } from './cni.js';
import { podIp, podNetwork, type CniNetwork, type CniResult, type NetworkOptions } from './cni-config.js';
import { hostsFile, resolvConf } from './files.js';
import { createIpcUts, createNetns, deleteNetns, loopbackUp, netnsPath, releaseIpcUts } from './namespaces.js';
import type { SandboxRecord } from './record.js';
import { sameNetwork, SPARE_FILE, spareFits, wantsPodNetwork, type SpareSandbox } from './spare.js';

/** When the next spare is begun after a sandbox is made, if no container start asks for it sooner. */
const SPARE_AFTER_RUN_MS = 1000;

/** SandboxManagerOptions are the node's network settings and where state lives. */
export interface SandboxManagerOptions {
  root: string;
  cniBinDir: string;
  network: Omit<NetworkOptions, 'ipamDataDir'>;
  /** Parent of per-pod cgroups the runtime names itself, e.g. /skiff. */
  cgroupRoot: string;
}

/** SandboxManager owns <root>/sandboxes. */
export class SandboxManager {
  private records = new Map<string, SandboxRecord>();
  /** A made spare, ready to take. */
  private spare?: SpareSandbox;
  /** Spares being made or torn down; close() waits for them. */
  private spareWork = new Set<Promise<void>>();
  /** The spare being made, which a RunPodSandbox waits for rather than making a second. */
  private making?: Promise<void>;
  private spareTimer?: NodeJS.Timeout;
  private spareDue = 0;
  /** Spares are made only once a pod here has used the pod network (a runtime of hostNetwork pods makes no bridge). */
  private usedPodNetwork = false;
  private closed = false;

  constructor(private readonly opts: SandboxManagerOptions) {}

  /** setNetwork changes the pod network of sandboxes made from now on (UpdateRuntimeConfig). */
  setNetwork(change: Partial<Pick<NetworkOptions, 'podCidr' | 'ipMasq'>>): void {
    this.opts.network = { ...this.opts.network, ...change };
  }

  async open(): Promise<void> {
    await mkdir(join(this.opts.root, 'sandboxes'), { recursive: true });
    for (const id of await readdir(join(this.opts.root, 'sandboxes'))) {
      const rec = await readRecord<SandboxRecord>(this.dir(id), 'sandbox.json');
      if (rec) this.records.set(id, rec);
      if (rec?.network) this.usedPodNetwork = true;
      const spare = await readRecord<SpareSandbox>(this.dir(id), SPARE_FILE);
      if (spare && rec) await rm(join(this.dir(id), SPARE_FILE)); // taken just before a crash
      else if (spare) await this.teardown(spare); // a previous runtime's spare: made again when needed
    }
  }

  /** close stops making spares and tears down the one held; pods' sandboxes stay. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.spareTimer);
    while (this.spareWork.size > 0) await Promise.all(this.spareWork);
    const spare = this.spare;
    this.spare = undefined;
    if (spare) await this.teardown(spare);
  }

  dir(id: string): string {
    return join(this.opts.root, 'sandboxes', id);
  }

  get(id: string): SandboxRecord {
    const rec = this.records.get(id);
    if (!rec) throw new RuntimeError('NOT_FOUND', `pod sandbox ${id} not found`);
    return rec;
  }

  find(id: string): SandboxRecord | undefined {
    return this.records.get(id);
  }

  all(): SandboxRecord[] {
    return [...this.records.values()];
  }

  /** run creates the sandbox (or takes the spare) and returns its id. */
  async run(config: PodSandboxConfig): Promise<string> {
    // A spare half made is nearer ready than a sandbox not begun, and two at once share two cores.
    if (!this.spare && this.making && wantsPodNetwork(config)) await this.making;
    const spare = this.takeSpare(config);
    if (!spare && wantsPodNetwork(config)) {
      // This pod's sandbox is made now, as a spare would be: one due meanwhile would share the
      // two cores with it. The next container start asks for one again.
      clearTimeout(this.spareTimer);
      this.spareTimer = undefined;
    }
    const id = spare?.id ?? randomBytes(32).toString('hex');
    const dir = this.dir(id);
    await mkdir(dir, { recursive: true });
    const rec: SandboxRecord = {
      id, config, createdAt: nowNs(), state: 'SANDBOX_READY', ip: '', ipc: '',
      cgroupParent: config.cgroupParent || `${this.opts.cgroupRoot}/${id.slice(0, 16)}`,
      ownsCgroupParent: !config.cgroupParent,
    };
    this.records.set(id, rec);
    if (!config.hostNetwork) this.usedPodNetwork = true;
    try {
      if (spare) Object.assign(rec, { netns: spare.netns, network: spare.network, cniResult: spare.cniResult, ip: spare.ip, ipc: spare.ipc, uts: spare.uts });
      else await this.setUp(rec);
      await this.writeFiles(rec);
      await this.save(rec);
      if (spare) await rm(join(dir, SPARE_FILE), { force: true });
      return id;
    } catch (err) {
      await this.remove(id).catch(() => undefined);
      throw new RuntimeError('INTERNAL', `running pod sandbox: ${(err as Error).message}`);
    } finally {
      this.prepareSpare(SPARE_AFTER_RUN_MS);
    }
  }

  /** takeSpare hands over the spare if config fits it; one made for another network is torn down. */
  private takeSpare(config: PodSandboxConfig): SpareSandbox | undefined {
    const spare = this.spare;
    if (!spare) return undefined;
    const wanted = this.network([]);
    if (!sameNetwork(spare, wanted)) {
      this.spare = undefined;
      this.track(this.teardown(spare));
      return undefined;
    }
    if (!spareFits(spare, config, wanted)) return undefined;
    this.spare = undefined;
    return spare;
  }

  private network(ports: PodSandboxConfig['portMappings']) {
    return podNetwork({ ...this.opts.network, ipamDataDir: join(this.opts.root, 'cni', 'ipam') }, ports);
  }

  /**
   * prepareSpare begins the next spare in delayMs (or sooner, if already due sooner), unless one is
   * made or being made, and only once pods have used the pod network here.
   */
  prepareSpare(delayMs: number): void {
    if (this.closed || this.spare || this.spareWork.size > 0 || !this.usedPodNetwork) return;
    const due = Date.now() + delayMs;
    if (this.spareTimer && this.spareDue <= due) return;
    clearTimeout(this.spareTimer);
    this.spareDue = due;
    this.spareTimer = setTimeout(() => {
      this.spareTimer = undefined;
      if (this.closed || this.spare) return;
      const making = this.track(this.makeSpare()).finally(() => {
        if (this.making === making) this.making = undefined;
      });
      this.making = making;
    }, delayMs);
    this.spareTimer.unref();
  }

  /** track keeps work on spares for close() to wait for; failures are dropped (the next pod makes its own). */
  private track(work: Promise<void>): Promise<void> {
    const p = work.catch(() => undefined).finally(() => this.spareWork.delete(p));
    this.spareWork.add(p);
    return p;
  }

  /** makeSpare makes the namespaces and network a pod would get; spare.json is written first, so a crash leaves nothing open() does not find. */
  private async makeSpare(): Promise<void> {
    const id = randomBytes(32).toString('hex');
    const dir = this.dir(id);
    const spare: SpareSandbox = { id, network: this.network([]), netns: '', ip: '', ipc: '' };
    await mkdir(dir, { recursive: true });
    await writeRecord(dir, SPARE_FILE, spare); // whole or not at all, for open() after a crash
    try {
      const made = await this.setUpNamespaces(id, spare.network, id.slice(0, 16), false);
      Object.assign(spare, made);
      await writeRecord(dir, SPARE_FILE, spare);
    } catch (err) {
      await this.teardown(spare);
      throw err;
    }
    if (this.closed) await this.teardown(spare);
    else this.spare = spare;
  }

  private async setUp(rec: SandboxRecord): Promise<void> {
    const hostNetwork = rec.config.hostNetwork === true;
    const network = hostNetwork ? undefined : this.network(rec.config.portMappings);
    const saveFirst = (part: { netns: string; network: CniNetwork }) => this.save(Object.assign(rec, part));
    Object.assign(rec, await this.setUpNamespaces(rec.id, network, rec.config.hostname, hostNetwork, saveFirst));
  }

  /**
   * setUpNamespaces makes the IPC/UTS namespaces and, given a network, the network namespace on
   * it. beforeAdd runs once the namespace exists and before CNI ADD (the caller records it, so a
   * crash mid-ADD is still torn down).
   */
  private async setUpNamespaces(
    id: string, network: CniNetwork | undefined, hostname: string, shareHostUts: boolean, beforeAdd?: (part: { netns: string; network: CniNetwork }) => Promise<void>,
  ): Promise<Pick<SandboxRecord, 'netns' | 'network' | 'cniResult' | 'ip' | 'ipc' | 'uts'>> {
    // The IPC/UTS namespaces need nothing of the network: made while the network is set up.
    const ipcUts = createIpcUts(this.dir(id), hostname, shareHostUts);
    ipcUts.catch(() => undefined); // handled here, awaited below: a failure while the network is set up must not crash the runtime
    const out: Pick<SandboxRecord, 'netns' | 'network' | 'cniResult' | 'ip'> = { ip: '' };
    if (network) {
      try {
        out.netns = await createNetns(id);
        out.network = network;
        await beforeAdd?.({ netns: out.netns, network });
        const [result] = await Promise.all([cniAdd(this.opts.cniBinDir, network, cniTarget(id, out.netns)), loopbackUp(id)]);
        out.cniResult = result;
        out.ip = podIp(result);
      } catch (err) {
        await ipcUts.catch(() => undefined); // settled before the caller removes what it made
        throw err;
      }
    }
    const ns = await ipcUts;
    return { ...out, ipc: ns.ipc, uts: ns.uts };
  }

  /** writeFiles writes the files the pod's containers mount: hostname, hosts, resolv.conf. */
  private async writeFiles(rec: SandboxRecord): Promise<void> {
    const dir = this.dir(rec.id);
    const hostResolv = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
    await writeFile(join(dir, 'hostname'), `${rec.config.hostname}\n`);
    await writeFile(join(dir, 'hosts'), hostsFile(rec.config.hostname, rec.ip));
    await writeFile(join(dir, 'resolv.conf'), resolvConf(rec.config.dnsConfig, hostResolv));
    await mkdir(rec.config.logDirectory, { recursive: true });
  }

  /** stopNetwork releases the pod's IP and network namespace and marks it not ready. */
  async stopNetwork(id: string): Promise<void> {
    const rec = this.records.get(id);
    if (!rec) return;
    await this.releaseNetwork(id, rec.network, rec.netns, rec.cniResult);
    rec.state = 'SANDBOX_NOTREADY';
    if (existsSync(this.dir(id))) await this.save(rec);
  }

  /** releaseNetwork gives back the IP (CNI DEL) and deletes the network namespace; absent is fine. */
  private async releaseNetwork(id: string, network: CniNetwork | undefined, netns: string | undefined, cniResult: CniResult | undefined): Promise<void> {
    if (network && netns && existsSync(netns)) await cniDel(this.opts.cniBinDir, network, cniTarget(id, netns), cniResult);
    await deleteNetns(id);
  }

  /** teardown undoes a spare (also a half-made one, whose record has no netns yet); absent parts are fine. */
  private async teardown(spare: SpareSandbox): Promise<void> {
    await this.releaseNetwork(spare.id, spare.network, spare.netns || netnsPath(spare.id), spare.cniResult);
    await releaseIpcUts(this.dir(spare.id));
    await rm(this.dir(spare.id), { recursive: true, force: true });
  }

  /** remove tears everything down; the caller has removed the containers first. */
  async remove(id: string): Promise<void> {
    const rec = this.records.get(id);
    if (!rec) return;
    await this.stopNetwork(id);
    await releaseIpcUts(this.dir(id));
    if (rec.ownsCgroupParent) await removeCgroup(rec.cgroupParent);
    await rm(this.dir(id), { recursive: true, force: true });
    this.records.delete(id);
  }

  private async save(rec: SandboxRecord): Promise<void> {
    await writeFile(join(this.dir(rec.id), 'sandbox.json'), JSON.stringify(rec));
  }
}

/** cniTarget is where the plugins act for a sandbox: its id and its network namespace. */
function cniTarget(id: string, netns: string) {
  return { containerId: id, netns, ifName: 'eth0' };
}

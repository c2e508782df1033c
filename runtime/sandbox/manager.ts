// Pod sandboxes: namespaces, the CNI network and the shared files, under <root>/sandboxes/<id>.
// run() undoes its partial work when a step fails; stopNetwork() and remove() are idempotent.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError, type PodSandboxConfig } from '../api.js';
import { nowNs, readRecord } from '../containers/exit-record.js';
import { removeCgroup } from '../containers/cgroup-remove.js';
import { cniAdd, cniDel } from './cni.js';
import { podIp, podNetwork, type NetworkOptions } from './cni-config.js';
import { hostsFile, resolvConf } from './files.js';
import { createIpcUts, createNetns, deleteNetns, loopbackUp, releaseIpcUts } from './namespaces.js';
import type { SandboxRecord } from './record.js';

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
    }
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

  /** run creates the sandbox and returns its id. */
  async run(config: PodSandboxConfig): Promise<string> {
    const id = randomBytes(32).toString('hex');
    const dir = this.dir(id);
    await mkdir(dir, { recursive: true });
    const rec: SandboxRecord = {
      id, config, createdAt: nowNs(), state: 'SANDBOX_READY', ip: '', ipc: '',
      cgroupParent: config.cgroupParent || `${this.opts.cgroupRoot}/${id.slice(0, 16)}`,
      ownsCgroupParent: !config.cgroupParent,
    };
    this.records.set(id, rec);
    try {
      await this.setUp(rec);
      await this.save(rec);
      return id;
    } catch (err) {
      await this.remove(id).catch(() => undefined);
      throw new RuntimeError('INTERNAL', `running pod sandbox: ${(err as Error).message}`);
    }
  }

  private async setUp(rec: SandboxRecord): Promise<void> {
    const dir = this.dir(rec.id);
    const hostNetwork = rec.config.hostNetwork === true;
    // The IPC/UTS namespaces need nothing of the network: made while the network is set up.
    const ipcUts = createIpcUts(dir, rec.config.hostname, hostNetwork);
    ipcUts.catch(() => undefined); // handled here, awaited below: a failure while the network is set up must not crash the runtime
    if (!hostNetwork) {
      try {
        rec.netns = await createNetns(rec.id);
        rec.network = podNetwork({ ...this.opts.network, ipamDataDir: join(this.opts.root, 'cni', 'ipam') }, rec.config.portMappings);
        await this.save(rec); // before ADD, so a crash mid-ADD is still torn down
        const [result] = await Promise.all([cniAdd(this.opts.cniBinDir, rec.network, this.cniTarget(rec)), loopbackUp(rec.id)]);
        rec.cniResult = result;
        rec.ip = podIp(result);
      } catch (err) {
        await ipcUts.catch(() => undefined); // settled before the caller removes what it made
        throw err;
      }
    }
    const ns = await ipcUts;
    rec.ipc = ns.ipc;
    rec.uts = ns.uts;
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
    if (rec.network && rec.netns && existsSync(rec.netns)) {
      await cniDel(this.opts.cniBinDir, rec.network, this.cniTarget(rec), rec.cniResult);
    }
    await deleteNetns(id);
    rec.state = 'SANDBOX_NOTREADY';
    if (existsSync(this.dir(id))) await this.save(rec);
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

  private cniTarget(rec: SandboxRecord) {
    return { containerId: rec.id, netns: rec.netns ?? '', ifName: 'eth0' };
  }

  private async save(rec: SandboxRecord): Promise<void> {
    await writeFile(join(this.dir(rec.id), 'sandbox.json'), JSON.stringify(rec));
  }
}

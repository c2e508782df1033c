// Hollow nodes (kubemark style): N node agents in one process, each with its own FakeRuntime,
// registering, heartbeating and "running" pods instantly, for scale benchmarks.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realClock, type Clock } from '../client/clock.js';
import type { RestClient } from '../client/rest.js';
import { FakeRuntime } from '../runtime/fake/fake-runtime.js';
import { startAgent, type Agent } from './agent.js';
import { AgentInformers } from './agent-informers.js';
import type { AgentConfig } from './config.js';
import { readHostDns } from './dns/host.js';
import { readHostInfo } from './host.js';

/** HollowOptions configure a set of hollow nodes. */
export interface HollowOptions {
  client: RestClient;
  count: number;
  /** Node names are `${prefix}-${i}` (default hollow-node). */
  prefix?: string;
  clock?: Clock;
  /** How many agents start at once (default 50). */
  startConcurrency?: number;
  /** Passed to every agent (capacity, intervals, ...). */
  agent?: Partial<Omit<AgentConfig, 'client' | 'nodeName' | 'runtime'>>;
}

/** HollowNodes is a running set of hollow agents. */
export interface HollowNodes {
  agents: Agent[];
  runtimes: FakeRuntime[];
  stop(): Promise<void>;
}

/** startHollowNodes starts count agents with fake runtimes; resolves when all are registered. */
export async function startHollowNodes(o: HollowOptions): Promise<HollowNodes> {
  const root = mkdtempSync(join(tmpdir(), 'skiff-hollow-'));
  const agents: Agent[] = new Array(o.count);
  const runtimes: FakeRuntime[] = [];
  // One Service, one Node and one pod informer for all of them; each agent still registers,
  // renews its Lease and writes its pods' status itself.
  const shared = AgentInformers.shared(o.client, o.clock ?? realClock);
  shared.start();
  await shared.waitForSync();
  // The machine's facts and resolv.conf are read once, not once per node (os.cpus() alone costs ~1 ms).
  const host = readHostInfo();
  const hostDns = readHostDns();
  // Heartbeats (Node status, Leases) over connections of their own, as upstream's heartbeat
  // client: 5,000 nodes' pod status writes and events must not hold a Lease renewal back.
  const heartbeatClient = o.client.withOwnConnections();
  // A pool rather than batches: one slow registration does not hold the next 49 back.
  let next = 0;
  const startOne = async (n: number): Promise<void> => {
    const runtime = new FakeRuntime({ clock: o.clock, ipPrefix: `10.${100 + (Math.floor(n / 256) % 100)}.${n % 256}` });
    runtimes[n] = runtime;
    agents[n] = await startAgent({
      hostIP: `10.0.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`,
      pressure: () => ({ memory: false, disk: false, pid: false }),
      rootDir: join(root, String(n)),
      logDir: join(root, String(n), 'logs'),
      podWorkers: 4,
      host,
      hostDns,
      heartbeatClient,
      ...o.agent,
      client: o.client,
      nodeName: `${o.prefix ?? 'hollow-node'}-${n}`,
      runtime,
      clock: o.clock,
      clusterDns: undefined, // one real DNS server per host at most; hollow nodes never run it
    }, shared);
  };
  const worker = async (): Promise<void> => {
    while (next < o.count) await startOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(o.startConcurrency ?? 50, o.count) }, worker));
  return {
    agents,
    runtimes,
    stop: async () => {
      await Promise.all(agents.map((a) => a?.stop()));
      await shared.stop();
      await heartbeatClient.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

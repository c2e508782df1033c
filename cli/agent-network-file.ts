// What an agent's network left on the host, kept in its home so `skiff down` can clean up after
// an agent that was killed: its iptables chain prefix, the cluster CIDR its pod routes lie in and
// its node-local DNS address. Another cluster's chains and routes on the same host stay.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AgentNetworkRecord {
  prefix?: string;
  clusterCidr?: string;
  dnsAddress?: string;
}

const FILE = 'agent-network.json';

export function writeAgentNetwork(home: string, rec: AgentNetworkRecord): void {
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, FILE), `${JSON.stringify(rec)}\n`);
}

export function readAgentNetwork(home: string): AgentNetworkRecord {
  const file = join(home, FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AgentNetworkRecord) : {};
}

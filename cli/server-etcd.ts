// The etcd that `skiff server` runs, in a module of its own: the server command starts it before it
// loads the control plane's modules (each takes about a second), so this must import little.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnEtcd, type SpawnedEtcd } from '../apiserver/storage/etcd-process.js';

/** etcdForServer starts etcd with its data in the home's data/etcd and its log in logs/etcd.log. */
export function etcdForServer(home: string, clientPort: number, peerPort: number): SpawnedEtcd {
  mkdirSync(join(home, 'logs'), { recursive: true }); // a fresh home has none; `skiff up` made it before
  return spawnEtcd({ dataDir: join(home, 'data', 'etcd'), clientPort, peerPort, logFile: join(home, 'logs', 'etcd.log') });
}

// Periodic etcd compaction, as kube-apiserver's: each tick compacts to the revision seen at the
// previous tick, so watchers get one full interval to catch up before history goes.
import type { Etcd3 } from 'etcd3';

export class Compactor {
  private timer?: NodeJS.Timeout;
  private lastRevision = 0;

  constructor(
    private readonly client: Etcd3,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick().catch((e: Error) => console.error(`compaction failed: ${e.message}`)), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    const target = this.lastRevision;
    this.lastRevision = await currentRevision(this.client);
    if (target > 0) await compact(this.client, target);
  }
}

export async function currentRevision(client: Etcd3): Promise<number> {
  const res = await client.get('/registry/revision-probe').exec();
  return Number(res.header.revision);
}

export async function compact(client: Etcd3, revision: number): Promise<void> {
  try {
    await client.kv.compact({ revision: String(revision), physical: false });
  } catch (err) {
    // Compacting to an already compacted revision is fine.
    if (!/compacted/.test((err as Error).message)) throw err;
  }
}

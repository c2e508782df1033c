// ControllerExpectations (upstream pkg/controller/controller_utils.go): per owner key, how many
// creations and which deletions the controller has asked for but not yet seen in its informer.
// While any are outstanding the owner's sync makes no new create/delete decisions, so a slow
// watch never causes double creation or deletion. Records expire after 5 minutes, so a lost
// event cannot wedge an owner forever.
import type { Clock } from '../../client/clock.js';

/** EXPECTATIONS_TTL_MS is upstream's ExpectationsTimeout. */
export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

interface Record_ {
  adds: number;
  dels: Set<string>;
  at: number;
}

/** Expectations tracks outstanding creations (a count) and deletions (by pod key) per owner. */
export class Expectations {
  private records = new Map<string, Record_>();

  constructor(private readonly clock: Clock) {}

  /** satisfied: nothing outstanding, no record at all, or the record has expired. */
  satisfied(owner: string): boolean {
    const r = this.records.get(owner);
    if (!r) return true;
    if (r.adds <= 0 && r.dels.size === 0) return true;
    return this.clock.now() - r.at > EXPECTATIONS_TTL_MS;
  }

  /** expect replaces the owner's record: `adds` creations and these pod keys' deletions. */
  expect(owner: string, adds: number, dels: string[] = []): void {
    this.records.set(owner, { adds, dels: new Set(dels), at: this.clock.now() });
  }

  /** creationObserved lowers the expected creations by one (also used for skipped creates). */
  creationObserved(owner: string, n = 1): void {
    const r = this.records.get(owner);
    if (r) r.adds -= n;
  }

  /** deletionObserved removes one pod key from the expected deletions. */
  deletionObserved(owner: string, podKey: string): void {
    this.records.get(owner)?.dels.delete(podKey);
  }

  /** delete forgets the owner (it was deleted). */
  delete(owner: string): void {
    this.records.delete(owner);
  }

  /** pending reports the outstanding counts, for tests and logs. */
  pending(owner: string): { adds: number; dels: number } | undefined {
    const r = this.records.get(owner);
    return r && { adds: r.adds, dels: r.dels.size };
  }
}

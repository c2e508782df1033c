// Moving ownership after a change, as structured-merge-diff's Updater.update: every other
// manager that owns a field the change added or modified is in conflict; without force that is
// the 409, with force (and always for updates) those fields leave the other manager's set.
// Fields the change removed leave every other set too. Managers left with nothing are dropped.

import type { Comparison } from './compare.js';
import { conflictError, conflictsOf } from './conflicts.js';
import { FieldSet } from './field-set.js';
import type { Manager, Managers } from './managers.js';

/** settleOwnership returns the managers after `selfId`'s change; throws the 409 on conflict. */
export function settleOwnership(managers: Managers, selfId: string, cmp: Comparison, force: boolean): Managers {
  const changed = cmp.modified.union(cmp.added);
  const conflicts: { id: string; manager: Manager; set: FieldSet }[] = [];
  for (const [id, manager] of managers) {
    if (id === selfId) continue;
    const set = manager.set.intersection(changed);
    if (!set.isEmpty()) conflicts.push({ id, manager, set });
  }
  if (!force && conflicts.length > 0) throw conflictError(conflictsOf(conflicts));

  const out: Managers = new Map();
  for (const [id, manager] of managers) {
    let set = manager.set;
    if (id !== selfId) {
      const lost = conflicts.find((c) => c.id === id);
      set = set.difference(cmp.removed);
      if (lost) set = set.difference(lost.set);
    }
    if (!set.isEmpty()) out.set(id, { ...manager, set });
  }
  return out;
}

/** ownedByAnyone is the union of every manager's set. */
export function ownedByAnyone(managers: Managers): FieldSet {
  let all = new FieldSet();
  for (const m of managers.values()) all = all.union(m.set);
  return all;
}

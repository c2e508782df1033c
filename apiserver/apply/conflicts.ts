// The 409 for an apply that would change fields other managers own, worded as upstream's
// managedfields/internal/conflict.go: `Apply failed with 1 conflict: conflict with "m" using
// apps/v1: .spec.replicas`, or for several: `Apply failed with 2 conflicts: conflicts with "m"
// using apps/v1:\n- .spec.replicas\n- .spec.paused`. Appliers print without "using"; Update
// managers name their apiVersion.

import { StatusError, type StatusCause } from '../../api/errors.js';
import type { FieldSet, FieldPath } from './field-set.js';
import { managerId, type Manager } from './managers.js';
import { printPath } from './path-element.js';

/** Conflict is one field another manager owns. */
export interface Conflict {
  readonly manager: Manager;
  readonly path: FieldPath;
}

/** conflictsOf lists, per manager and in upstream's path order, the leaves of each conflict set. */
export function conflictsOf(sets: ReadonlyArray<{ manager: Manager; set: FieldSet }>): Conflict[] {
  return [...sets]
    .sort((a, b) => (managerId(a.manager) < managerId(b.manager) ? -1 : 1))
    .flatMap(({ manager, set }) => set.leaves().map((path) => ({ manager, path })));
}

/** conflictError builds the 409 Status with one FieldManagerConflict cause per field. */
export function conflictError(conflicts: readonly Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: printPath(c.path),
  }));
  return new StatusError(409, 'Conflict', conflictMessage(conflicts), { causes });
}

function conflictMessage(conflicts: readonly Conflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only) {
    return `Apply failed with 1 conflict: conflict with ${printManager(only.manager)}: ${printPath(only.path)}`;
  }
  const lines: string[] = [];
  let previous: Manager | undefined;
  for (const c of conflicts) {
    if (c.manager !== previous) lines.push(`conflicts with ${printManager(c.manager)}:`);
    previous = c.manager;
    lines.push(`- ${printPath(c.path)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** printManager names a manager as upstream's printManager (the identity carries no time). */
export function printManager(m: Manager): string {
  const name = m.subresource
    ? `${JSON.stringify(m.manager)} with subresource ${JSON.stringify(m.subresource)}`
    : JSON.stringify(m.manager);
  return m.operation === 'Update' ? `${name} using ${m.apiVersion}` : name;
}

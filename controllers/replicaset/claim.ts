// Pod ownership (upstream's PodControllerRefManager.ClaimPods), decided as a pure function:
// an owner keeps the pods it controls whose labels still match, adopts matching orphans, and
// releases pods it controls whose labels stopped matching.
import type { KubeObject, OwnerReference } from '../../api/meta.js';
import type { Selector } from '../../api/labels.js';
import { controllerRef } from './objects.js';

/** ClaimPlan: what the owner keeps after the plan is applied, and the writes it needs. */
export interface ClaimPlan<T> {
  owned: T[];
  adopt: T[];
  release: T[];
}

/** ownerRefFor builds the controller reference an owner puts on its children. */
export function ownerRefFor(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/**
 * planClaims sorts candidates into owned / adopt / release. An owner being deleted adopts
 * nothing; children being deleted are neither adopted nor released.
 */
export function planClaims<T extends KubeObject>(owner: KubeObject, selector: Selector, candidates: T[]): ClaimPlan<T> {
  const plan: ClaimPlan<T> = { owned: [], adopt: [], release: [] };
  const ownerDeleting = !!owner.metadata.deletionTimestamp;
  for (const c of candidates) {
    const ref = controllerRef(c);
    const matches = selector.matches(c.metadata.labels);
    if (ref && ref.uid !== owner.metadata.uid) continue;
    if (ref && matches) plan.owned.push(c);
    else if (ref && !c.metadata.deletionTimestamp) plan.release.push(c);
    else if (!ref && matches && !ownerDeleting && !c.metadata.deletionTimestamp) plan.adopt.push(c);
  }
  return plan;
}

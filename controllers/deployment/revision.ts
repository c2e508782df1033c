// Revision bookkeeping (upstream deployment_util.go SetNewReplicaSetAnnotations and friends):
// every ReplicaSet carries deployment.kubernetes.io/revision; the new RS gets max(old)+1, and an
// old RS brought back by a rollback is bumped to max+1 with its former numbers kept in
// revision-history. Deployment annotations (e.g. kubernetes.io/change-cause) are copied onto it.
import type { ReplicaSetObj } from '../replicaset/objects.js';
import { DESIRED_REPLICAS, MAX_REPLICAS } from './proportional.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';

// Never copied from the Deployment to its ReplicaSets (upstream's annotationsToSkip).
const SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

/** revisionOf parses an object's revision annotation (0 when absent or malformed). */
export function revisionOf(o: { metadata: { annotations?: Record<string, string> } }): number {
  const v = o.metadata.annotations?.[REVISION];
  return v && /^\d+$/.test(v) ? Number(v) : 0;
}

/** maxRevision over ReplicaSets. */
export function maxRevision(rss: ReplicaSetObj[]): number {
  return Math.max(0, ...rss.map(revisionOf));
}

/**
 * newRSAnnotations: the annotations the new RS should carry given the deployment's annotations
 * and the next revision; copies deployment annotations, bumps the revision when it is lower,
 * recording the old one in revision-history.
 */
export function newRSAnnotations(deployAnn: Record<string, string> | undefined, rs: ReplicaSetObj, newRevision: number): Record<string, string> {
  const out: Record<string, string> = { ...(rs.metadata.annotations ?? {}) };
  for (const [k, v] of Object.entries(deployAnn ?? {})) if (!SKIP.has(k)) out[k] = v;
  const old = revisionOf(rs);
  if (old >= newRevision) return out;
  out[REVISION] = String(newRevision);
  if (old > 0) {
    const hist = out[REVISION_HISTORY];
    out[REVISION_HISTORY] = hist ? `${hist},${old}` : String(old);
  }
  return out;
}

/** replicasAnnotations: the desired/max replicas annotations for proportional scaling. */
export function replicasAnnotations(desired: number, max: number): Record<string, string> {
  return { [DESIRED_REPLICAS]: String(desired), [MAX_REPLICAS]: String(max) };
}

/** sameAnnotations compares two annotation maps. */
export function sameAnnotations(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => a![k] === b?.[k]);
}

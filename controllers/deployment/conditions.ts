// Deployment conditions with upstream's types, reasons and update rules
// (pkg/controller/deployment/util/deployment_util.go).
import type { Condition } from '../../api/types/common.js';
import type { DeploymentStatus } from '../../api/types/apps.js';
import { rfc3339 } from '../../api/time.js';

/** Condition reasons, as upstream's constants. */
export const Reason = {
  NewRSAvailable: 'NewReplicaSetAvailable',
  RSUpdated: 'ReplicaSetUpdated',
  NewRSCreated: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  FailedRSCreate: 'ReplicaSetCreateError',
} as const;

/** newCondition stamps both times with now. */
export function newCondition(type: string, status: string, reason: string, message: string, now: number): Condition {
  const t = rfc3339(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** getCondition finds a condition by type. */
export function getCondition(status: DeploymentStatus | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * setCondition replaces the condition of the same type; it keeps lastTransitionTime when status
 * is unchanged, and does nothing when status and reason are both unchanged (upstream).
 */
export function setCondition(status: DeploymentStatus, c: Condition): void {
  const cur = getCondition(status, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  const next = cur && cur.status === c.status ? { ...c, lastTransitionTime: cur.lastTransitionTime } : c;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), next];
}

/** removeCondition drops the condition of that type. */
export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  status.conditions = rest.length ? rest : undefined;
}

// The pure half of leader election: given the Lease as read, decide what to write (client-go's
// tools/leaderelection tryAcquireOrRenew, without the I/O).

import type { ObjectMeta } from '../api/meta.js';
import { rfc3339Micro } from '../api/time.js';

/** LeaseSpec is coordination.k8s.io/v1 LeaseSpec; times are RFC 3339 MicroTime strings. */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** Lease is a coordination.k8s.io/v1 Lease. */
export interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: LeaseSpec;
  [field: string]: unknown;
}

/** LeaseAction is what the elector must do next. */
export type LeaseAction = 'create' | 'acquire' | 'renew' | 'wait';

/** LeaseDecision: the action and the lease to write (for 'wait', the lease as read). */
export interface LeaseDecision {
  action: LeaseAction;
  lease: Lease;
}

/** microTime formats ms since the epoch as Kubernetes MicroTime: 2024-05-01T10:00:00.123000Z. */
export { rfc3339Micro as microTime } from '../api/time.js';

/**
 * leaseExpired: a lease is held until renewTime + leaseDurationSeconds. A lease with no holder
 * (released) or no renewTime is free.
 */
export function leaseExpired(spec: LeaseSpec | undefined, now: number): boolean {
  if (!spec?.holderIdentity || !spec.renewTime) return true;
  const renewed = Date.parse(spec.renewTime);
  return Number.isNaN(renewed) || renewed + (spec.leaseDurationSeconds ?? 0) * 1000 <= now;
}

/**
 * decideLease: absent → create; held by identity → renew (acquireTime kept); held by another
 * and unexpired → wait; otherwise (expired or released) → acquire, counting a transition. The returned lease keeps the
 * metadata (and so the resourceVersion) it was read with, so a racing writer gets 409.
 */
export function decideLease(lease: Lease | undefined, identity: string, now: number, durationMs: number): LeaseDecision {
  const stamp = rfc3339Micro(now);
  const leaseDurationSeconds = Math.ceil(durationMs / 1000);
  if (!lease) {
    const spec = { holderIdentity: identity, leaseDurationSeconds, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0 };
    return { action: 'create', lease: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {}, spec } };
  }
  const cur = lease.spec ?? {};
  if (cur.holderIdentity === identity) {
    return { action: 'renew', lease: { ...lease, spec: { ...cur, leaseDurationSeconds, renewTime: stamp } } };
  }
  if (!leaseExpired(cur, now)) return { action: 'wait', lease };
  const leaseTransitions = (cur.leaseTransitions ?? 0) + 1; // the holder changes, as client-go counts it
  const spec = { holderIdentity: identity, leaseDurationSeconds, acquireTime: stamp, renewTime: stamp, leaseTransitions };
  return { action: 'acquire', lease: { ...lease, spec } };
}

/** releasedLease gives up a held lease the way client-go does: empty holder, 1 s duration. */
export function releasedLease(lease: Lease, now: number): Lease {
  const stamp = rfc3339Micro(now);
  return { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: stamp, renewTime: stamp } };
}

// Pod updates (core/validation's ValidatePodUpdate): the spec is frozen except container images,
// activeDeadlineSeconds, added tolerations and a negative terminationGracePeriodSeconds set to 1.

import { fieldErr, type FieldError } from '../errors.js';
import type { Container, PodSpec } from '../types/pod.js';
import { child, index } from './path.js';
import { deepEqual } from './common.js';

export const POD_UPDATE_MSG =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export function validatePodSpecUpdate(next: PodSpec, old: PodSpec, path = 'spec'): FieldError[] {
  const errs = [
    ...requireImages(next.containers ?? [], child(path, 'containers')),
    ...requireImages(next.initContainers ?? [], child(path, 'initContainers')),
    ...validateDeadlineUpdate(next.activeDeadlineSeconds, old.activeDeadlineSeconds, child(path, 'activeDeadlineSeconds')),
    ...validateTolerationsUpdate(next, old, child(path, 'tolerations')),
  ];
  if (!deepEqual(withMutableFrom(old, next), next)) errs.push(fieldErr.forbidden(path, POD_UPDATE_MSG));
  return errs;
}

function requireImages(containers: Container[], path: string): FieldError[] {
  return containers.flatMap((c, i) => (c.image ? [] : [fieldErr.required(child(index(path, i), 'image'), '')]));
}

/** old with every mutable field taken from next; equal to next iff nothing else changed. */
function withMutableFrom(old: PodSpec, next: PodSpec): PodSpec {
  const images = (o: Container[] | undefined, n: Container[] | undefined): Container[] | undefined =>
    o?.map((c, i) => (n?.[i] ? { ...c, image: n[i].image } : c));
  const tgps = old.terminationGracePeriodSeconds;
  return {
    ...old,
    containers: images(old.containers, next.containers) ?? old.containers,
    initContainers: images(old.initContainers, next.initContainers),
    activeDeadlineSeconds: next.activeDeadlineSeconds,
    tolerations: next.tolerations,
    terminationGracePeriodSeconds: tgps !== undefined && tgps < 0 && next.terminationGracePeriodSeconds === 1 ? 1 : tgps,
  };
}

function validateDeadlineUpdate(next: number | undefined, old: number | undefined, path: string): FieldError[] {
  if (old === undefined || old === null) return [];
  if (next === undefined || next === null) return [fieldErr.invalid(path, next, 'must not update from a positive integer to nil value')];
  return next > old ? [fieldErr.invalid(path, next, 'must be less than or equal to previous value')] : [];
}

/** Existing tolerations stay; only tolerationSeconds may change. */
function validateTolerationsUpdate(next: PodSpec, old: PodSpec, path: string): FieldError[] {
  const strip = (t: object): object => ({ ...t, tolerationSeconds: undefined });
  const current = (next.tolerations ?? []).map(strip);
  return (old.tolerations ?? []).flatMap((t, i) =>
    current.some((n) => deepEqual(n, strip(t)))
      ? []
      : [fieldErr.forbidden(index(path, i), 'existing toleration can not be modified except its tolerationSeconds')],
  );
}

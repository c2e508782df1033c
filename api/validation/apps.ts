// apps/v1 Deployment and ReplicaSet (apps/validation's ValidateDeploymentSpec, ValidateReplicaSetSpec).

import { fieldErr, type FieldError } from '../errors.js';
import { selectorFromLabelSelector, validateLabelSelector } from '../labels.js';
import type { DeploymentSpec, DeploymentStrategy, ReplicaSetSpec } from '../types/apps.js';
import type { IntOrString, LabelSelector } from '../types/common.js';
import type { PodTemplateSpec } from '../types/pod.js';
import { child } from './path.js';
import { each, nonNegative } from './common.js';
import { validatePodTemplate } from './pod.js';

const PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%', or '93%', regex used for validation is '[0-9]+%')";

/** Selector present, non-empty, and matching the template's labels. */
function validateSelector(sel: LabelSelector | undefined, template: PodTemplateSpec | undefined, path: string, what: string): FieldError[] {
  const p = child(path, 'selector');
  if (!sel) return [fieldErr.required(p, '')];
  const errs = validateLabelSelector(sel, p);
  if (errs.length) return errs;
  const selector = selectorFromLabelSelector(sel);
  if (selector.empty()) return [fieldErr.invalid(p, sel, `empty selector is invalid for ${what}`)];
  const labels = template?.metadata?.labels ?? {};
  if (template && !selector.matches(labels)) {
    errs.push(fieldErr.invalid(child(path, 'template', 'metadata', 'labels'), labels, '`selector` does not match template `labels`'));
  }
  return errs;
}

export function validateReplicaSetSpec(spec: ReplicaSetSpec, path = 'spec'): FieldError[] {
  return [
    ...nonNegative(spec.replicas, child(path, 'replicas')),
    ...nonNegative(spec.minReadySeconds, child(path, 'minReadySeconds')),
    ...validateSelector(spec.selector, spec.template, path, 'replicaset'),
    ...validatePodTemplate(spec.template, child(path, 'template')),
  ];
}

export function validateDeploymentSpec(spec: DeploymentSpec, path = 'spec'): FieldError[] {
  const errs = [
    ...nonNegative(spec.replicas, child(path, 'replicas')),
    ...validateSelector(spec.selector, spec.template, path, 'deployment'),
    ...validatePodTemplate(spec.template, child(path, 'template')),
    ...validateStrategy(spec.strategy ?? {}, child(path, 'strategy')),
    ...nonNegative(spec.minReadySeconds, child(path, 'minReadySeconds')),
    ...nonNegative(spec.revisionHistoryLimit, child(path, 'revisionHistoryLimit')),
  ];
  const deadline = spec.progressDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) {
    const p = child(path, 'progressDeadlineSeconds');
    errs.push(...nonNegative(deadline, p));
    if (deadline <= (spec.minReadySeconds ?? 0)) errs.push(fieldErr.invalid(p, deadline, 'must be greater than minReadySeconds'));
  }
  return errs;
}

function validateStrategy(s: DeploymentStrategy, path: string): FieldError[] {
  if (s.type === 'Recreate') {
    return s.rollingUpdate ? [fieldErr.forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (s.type !== 'RollingUpdate') return [fieldErr.notSupported(child(path, 'type'), s.type ?? '', ['Recreate', 'RollingUpdate'])];
  if (!s.rollingUpdate) return [fieldErr.required(child(path, 'rollingUpdate'), 'this should be defaulted and never be nil')];
  return validateRollingUpdate(s.rollingUpdate.maxSurge, s.rollingUpdate.maxUnavailable, child(path, 'rollingUpdate'));
}

function validateRollingUpdate(surge: IntOrString | undefined, unavailable: IntOrString | undefined, path: string): FieldError[] {
  const su = child(path, 'maxSurge');
  const un = child(path, 'maxUnavailable');
  const errs = [...intOrPercent(unavailable, un), ...intOrPercent(surge, su)];
  if (isZero(surge) && isZero(unavailable)) {
    errs.push(fieldErr.invalid(un, unavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  if (typeof unavailable === 'string' && percent(unavailable) > 100) {
    errs.push(fieldErr.invalid(un, unavailable, 'must not be greater than 100%'));
  }
  return errs;
}

function intOrPercent(v: IntOrString | undefined, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'number') return nonNegative(v, path);
  return each(path, v, /^[0-9]+%$/.test(v) ? [] : [PERCENT_MSG]);
}

function percent(v: string): number {
  return /^[0-9]+%$/.test(v) ? Number(v.slice(0, -1)) : NaN;
}

function isZero(v: IntOrString | undefined): boolean {
  return v === undefined || v === null || v === 0 || (typeof v === 'string' && percent(v) === 0);
}

// PodSpec, pod templates and Pods (core/validation's ValidatePodSpec, ValidatePodTemplateSpec).

import { fieldErr, type FieldError } from '../errors.js';
import { validateLabels } from '../labels.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../names.js';
import type { PodSpec, PodTemplateSpec, Toleration, Volume } from '../types/pod.js';
import { child, index } from './path.js';
import { each, nonNegative, oneOf } from './common.js';
import { validateContainer, validateRelativePath, type ContainerContext } from './container.js';
import { validateAnnotations } from './meta.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_INT32 = 2 ** 31 - 1;

/** Every rule on a pod spec; `restartPolicies` narrows the policy (templates of controllers: Always). */
export function validatePodSpec(spec: PodSpec, path: string, restartPolicies = RESTART_POLICIES): FieldError[] {
  const volumes = validateVolumes(spec.volumes ?? [], child(path, 'volumes'));
  return [
    ...volumes.errs,
    ...validateContainerList(spec, path, volumes.names),
    ...validateRestartPolicy(spec.restartPolicy, child(path, 'restartPolicy'), restartPolicies),
    ...oneOf(spec.dnsPolicy, child(path, 'dnsPolicy'), DNS_POLICIES, true),
    ...validateLabels(spec.nodeSelector ?? {}, child(path, 'nodeSelector')),
    ...nonNegative(spec.terminationGracePeriodSeconds, child(path, 'terminationGracePeriodSeconds')),
    ...validateActiveDeadline(spec.activeDeadlineSeconds, child(path, 'activeDeadlineSeconds')),
    ...optionalName(spec.serviceAccountName, child(path, 'serviceAccountName'), isDNS1123Subdomain),
    ...optionalName(spec.nodeName, child(path, 'nodeName'), isDNS1123Subdomain),
    ...optionalName(spec.hostname, child(path, 'hostname'), isDNS1123Label),
    ...optionalName(spec.subdomain, child(path, 'subdomain'), isDNS1123Label),
    ...(spec.tolerations ?? []).flatMap((t, i) => validateToleration(t, index(child(path, 'tolerations'), i))),
  ];
}

function validateRestartPolicy(policy: string | undefined, path: string, allowed: string[]): FieldError[] {
  if (!policy) return [fieldErr.required(path, '')];
  return allowed.includes(policy) ? [] : [fieldErr.notSupported(path, policy, allowed)];
}

function validateActiveDeadline(v: number | undefined, path: string): FieldError[] {
  if (v === undefined || v === null || (v >= 1 && v <= MAX_INT32)) return [];
  return [fieldErr.invalid(path, v, `must be between 1 and ${MAX_INT32}, inclusive`)];
}

function optionalName(v: string | undefined, path: string, fn: (s: string) => string[]): FieldError[] {
  return v ? each(path, v, fn(v)) : [];
}

function validateContainerList(spec: PodSpec, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.containers?.length) errs.push(fieldErr.required(child(path, 'containers'), ''));
  const names = new Set<string>();
  const lists = [['initContainers', spec.initContainers ?? []], ['containers', spec.containers ?? []]] as const;
  for (const [field, list] of lists) {
    const ctx: ContainerContext = { volumes, hostNetwork: !!spec.hostNetwork, init: field === 'initContainers' };
    list.forEach((c, i) => {
      const cp = index(child(path, field), i);
      errs.push(...validateContainer(c, cp, ctx));
      // Names are unique across init and regular containers.
      if (c.name && names.has(c.name)) errs.push(fieldErr.duplicate(child(cp, 'name'), c.name));
      names.add(c.name);
    });
  }
  return errs;
}

const VOLUME_SOURCES = ['emptyDir', 'hostPath', 'configMap', 'secret', 'persistentVolumeClaim', 'downwardAPI'] as const;

function validateVolumes(volumes: Volume[], path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const vp = index(path, i);
    if (!v.name) errs.push(fieldErr.required(child(vp, 'name'), ''));
    else errs.push(...each(child(vp, 'name'), v.name, isDNS1123Label(v.name)));
    if (v.name && names.has(v.name)) errs.push(fieldErr.duplicate(child(vp, 'name'), v.name));
    names.add(v.name);
    errs.push(...validateVolumeSource(v, vp));
  });
  return { errs, names };
}

function validateVolumeSource(v: Volume, path: string): FieldError[] {
  const set = VOLUME_SOURCES.filter((k) => v[k]);
  if (set.length === 0) return [fieldErr.required(path, 'must specify a volume type')];
  const errs = set.slice(1).map((k) => fieldErr.forbidden(child(path, k), 'may not specify more than 1 volume type'));
  if (v.hostPath && !v.hostPath.path) errs.push(fieldErr.required(child(path, 'hostPath', 'path'), ''));
  if (v.configMap && !v.configMap.name) errs.push(fieldErr.required(child(path, 'configMap', 'name'), ''));
  if (v.secret && !v.secret.secretName) errs.push(fieldErr.required(child(path, 'secret', 'secretName'), ''));
  if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) {
    errs.push(fieldErr.required(child(path, 'persistentVolumeClaim', 'claimName'), ''));
  }
  for (const src of ['configMap', 'secret'] as const) {
    (v[src]?.items ?? []).forEach((it, i) => {
      const ip = index(child(path, src, 'items'), i);
      if (!it.path) errs.push(fieldErr.required(child(ip, 'path'), ''));
      else errs.push(...validateRelativePath(it.path, child(ip, 'path')));
    });
  }
  return errs;
}

/** Tolerations (core/validation's ValidateTolerations). */
export function validateToleration(t: Toleration, path: string): FieldError[] {
  const errs = t.key ? each(child(path, 'key'), t.key, isQualifiedName(t.key)) : [];
  if (!t.key && t.operator !== 'Exists') {
    errs.push(fieldErr.invalid(child(path, 'operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
  }
  if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
    errs.push(fieldErr.invalid(child(path, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  }
  if (t.operator === 'Exists' && t.value) {
    errs.push(fieldErr.invalid(child(path, 'operator'), t.value, "value must be empty when `operator` is 'Exists'"));
  } else if (t.operator && t.operator !== 'Equal' && t.operator !== 'Exists') {
    errs.push(fieldErr.notSupported(child(path, 'operator'), t.operator, ['Equal', 'Exists']));
  }
  errs.push(...oneOf(t.effect, child(path, 'effect'), TAINT_EFFECTS, false));
  return errs;
}

/** A controller's pod template: labels/annotations valid, restartPolicy Always, no deadline. */
export function validatePodTemplate(t: PodTemplateSpec | undefined, path: string): FieldError[] {
  if (!t) return [fieldErr.required(path, '')];
  const meta = t.metadata ?? {};
  const errs = [
    ...validateLabels(meta.labels ?? {}, child(path, 'metadata', 'labels')),
    ...validateAnnotations(meta.annotations ?? {}, child(path, 'metadata', 'annotations')),
    ...validatePodSpec(t.spec ?? ({} as PodSpec), child(path, 'spec'), ['Always']),
  ];
  if (t.spec?.activeDeadlineSeconds !== undefined && t.spec.activeDeadlineSeconds !== null) {
    errs.push(fieldErr.forbidden(child(path, 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

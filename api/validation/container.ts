// One container: name, image, ports, env, mounts, probes, resources, policies
// (core/validation's validateContainers and validateContainerCommon).

import { fieldErr, type FieldError } from '../errors.js';
import { isDNS1123Label, isEnvVarName, isValidPortName, isValidPortNum } from '../names.js';
import type { Container, ContainerPort, EnvVar, EnvVarSource, VolumeMount } from '../types/pod.js';
import { child, index } from './path.js';
import { each, oneOf, unique } from './common.js';
import { validateConfigKey } from './config.js';
import { validateHandler, validateProbe } from './probe.js';
import { validateResources } from './resources.js';

/** What a container's checks need to know about its pod. */
export interface ContainerContext {
  volumes: Set<string>;
  hostNetwork: boolean;
  init: boolean;
}

export function validateContainer(c: Container, path: string, ctx: ContainerContext): FieldError[] {
  return [
    ...(c.name ? each(child(path, 'name'), c.name, isDNS1123Label(c.name)) : [fieldErr.required(child(path, 'name'), '')]),
    ...(c.image && c.image.trim() ? [] : [fieldErr.required(child(path, 'image'), '')]),
    ...validatePorts(c.ports ?? [], child(path, 'ports'), ctx.hostNetwork),
    ...(c.env ?? []).flatMap((e, i) => validateEnv(e, index(child(path, 'env'), i))),
    ...validateMounts(c.volumeMounts ?? [], child(path, 'volumeMounts'), ctx.volumes),
    ...validateResources(c.resources, child(path, 'resources')),
    ...validateProbes(c, path, ctx.init),
    ...validateLifecycle(c, path),
    ...oneOf(c.imagePullPolicy, child(path, 'imagePullPolicy'), ['Always', 'IfNotPresent', 'Never'], true),
    ...oneOf(c.terminationMessagePolicy, child(path, 'terminationMessagePolicy'), ['File', 'FallbackToLogsOnError'], true),
    ...validateContainerRestartPolicy(c, path, ctx.init),
  ];
}

function validatePorts(ports: ContainerPort[], path: string, hostNetwork: boolean): FieldError[] {
  const errs = unique(ports, path, 'name', (p) => p.name);
  ports.forEach((p, i) => {
    const pp = index(path, i);
    if (p.name) errs.push(...each(child(pp, 'name'), p.name, isValidPortName(p.name)));
    if (!p.containerPort) errs.push(fieldErr.required(child(pp, 'containerPort'), ''));
    else errs.push(...each(child(pp, 'containerPort'), p.containerPort, isValidPortNum(p.containerPort)));
    if (p.hostPort) errs.push(...each(child(pp, 'hostPort'), p.hostPort, isValidPortNum(p.hostPort)));
    if (hostNetwork && p.hostPort && p.hostPort !== p.containerPort) {
      errs.push(fieldErr.invalid(child(pp, 'hostPort'), p.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
    }
    errs.push(...oneOf(p.protocol, child(pp, 'protocol'), ['SCTP', 'TCP', 'UDP'], true));
  });
  return errs;
}

function validateEnv(e: EnvVar, path: string): FieldError[] {
  const errs = e.name ? each(child(path, 'name'), e.name, isEnvVarName(e.name)) : [fieldErr.required(child(path, 'name'), '')];
  if (e.valueFrom) errs.push(...validateEnvSource(e.valueFrom, child(path, 'valueFrom'), e.value));
  return errs;
}

const FIELD_PATHS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.labels', 'metadata.annotations',
  'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];

function validateEnvSource(src: EnvVarSource, path: string, value: string | undefined): FieldError[] {
  const set = (['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] as const).filter((k) => src[k]);
  const errs: FieldError[] = [];
  if (value) errs.push(fieldErr.invalid(path, '', 'may not be specified when `value` is not empty'));
  if (set.length === 0) {
    errs.push(fieldErr.invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (set.length > 1) errs.push(fieldErr.invalid(path, '', 'may not have more than one field specified at a time'));
  if (src.fieldRef) errs.push(...validateFieldRef(src.fieldRef.fieldPath, child(path, 'fieldRef', 'fieldPath')));
  if (src.resourceFieldRef && !src.resourceFieldRef.resource) errs.push(fieldErr.required(child(path, 'resourceFieldRef', 'resource'), ''));
  for (const k of ['configMapKeyRef', 'secretKeyRef'] as const) {
    const ref = src[k];
    if (ref) errs.push(...(ref.key ? validateConfigKey(ref.key, child(path, k, 'key')) : [fieldErr.required(child(path, k, 'key'), '')]));
  }
  return errs;
}

function validateFieldRef(fieldPath: string | undefined, path: string): FieldError[] {
  if (!fieldPath) return [fieldErr.required(path, '')];
  // metadata.labels['app'] selects one label, as upstream allows.
  const base = fieldPath.replace(/^(metadata\.(labels|annotations))\['[^']*'\]$/, '$1');
  return FIELD_PATHS.includes(base) ? [] : [fieldErr.notSupported(path, fieldPath, FIELD_PATHS)];
}

function validateMounts(mounts: VolumeMount[], path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  mounts.forEach((m, i) => {
    const mp = index(path, i);
    if (!m.name) errs.push(fieldErr.required(child(mp, 'name'), ''));
    // Upstream says `Not found: "x"`; errors.ts has no NotFound type, so it is reported as Invalid.
    else if (!volumes.has(m.name)) errs.push(fieldErr.invalid(child(mp, 'name'), m.name, 'volume not found'));
    if (!m.mountPath) errs.push(fieldErr.required(child(mp, 'mountPath'), ''));
    else if (seen.has(m.mountPath)) errs.push(fieldErr.invalid(child(mp, 'mountPath'), m.mountPath, 'must be unique'));
    if (m.mountPath) seen.add(m.mountPath);
    if (m.subPath) errs.push(...validateRelativePath(m.subPath, child(mp, 'subPath')));
  });
  return errs;
}

/** A path below the volume root: relative, no `..` element. */
export function validateRelativePath(p: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(fieldErr.invalid(path, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(fieldErr.invalid(path, p, "must not contain '..'"));
  return errs;
}

function validateProbes(c: Container, path: string, init: boolean): FieldError[] {
  // Only restartable init containers (sidecars) may have probes.
  if (init && c.restartPolicy !== 'Always') {
    return (['livenessProbe', 'readinessProbe', 'startupProbe'] as const)
      .filter((k) => c[k])
      .map((k) => fieldErr.forbidden(child(path, k), 'may not be set for init containers without restartPolicy=Always'));
  }
  return [
    ...validateProbe(c.livenessProbe, child(path, 'livenessProbe'), 'liveness'),
    ...validateProbe(c.readinessProbe, child(path, 'readinessProbe'), 'readiness'),
    ...validateProbe(c.startupProbe, child(path, 'startupProbe'), 'startup'),
  ];
}

function validateLifecycle(c: Container, path: string): FieldError[] {
  const l = c.lifecycle;
  if (!l) return [];
  return [
    ...(l.postStart ? validateHandler(l.postStart, child(path, 'lifecycle', 'postStart')) : []),
    ...(l.preStop ? validateHandler(l.preStop, child(path, 'lifecycle', 'preStop')) : []),
  ];
}

function validateContainerRestartPolicy(c: Container, path: string, init: boolean): FieldError[] {
  if (c.restartPolicy === undefined || c.restartPolicy === null) return [];
  const p = child(path, 'restartPolicy');
  if (!init) return [fieldErr.forbidden(p, 'may not be set for non-init containers')];
  return oneOf(c.restartPolicy, p, ['Always'], true);
}

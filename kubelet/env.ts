// A container's environment, built as upstream kubelet_pods.go makeEnvironmentVariables does:
// Service variables first, then envFrom, then env (later wins), with $(VAR) expansion against
// what came before. Pure: the ConfigMaps, Secrets and Services are looked up by the caller.

import type { ConfigMap, Secret, Service } from '../api/types/core.js';
import type { ResourceList } from '../api/types/common.js';
import type { Container, Pod } from '../api/types/pod.js';
import type { KeyValue } from '../runtime/api.js';
import { resourceValue } from './resources.js';

/** ConfigError is a missing ConfigMap, Secret or key: the container waits in CreateContainerConfigError. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** EnvSources are the objects and facts the environment may draw on. */
export interface EnvSources {
  configMap(name: string): ConfigMap | undefined;
  secret(name: string): Secret | undefined;
  /** Services in the pod's namespace (plus the master service), for <SVC>_SERVICE_HOST etc. */
  services: Service[];
  podIP: string;
  hostIP: string;
  allocatable: ResourceList;
}

/** referencedNames lists the ConfigMaps and Secrets the container's env and envFrom name. */
export function referencedNames(c: Container): { configMaps: string[]; secrets: string[] } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const f of c.envFrom ?? []) {
    if (f.configMapRef?.name) configMaps.add(f.configMapRef.name);
    if (f.secretRef?.name) secrets.add(f.secretRef.name);
  }
  for (const e of c.env ?? []) {
    if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
    if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
  }
  return { configMaps: [...configMaps], secrets: [...secrets] };
}

/** makeEnvironment returns the container's variables in order, or throws ConfigError. */
export function makeEnvironment(pod: Pod, c: Container, src: EnvSources): KeyValue[] {
  const env = new Map<string, string>();
  if (pod.spec.enableServiceLinks !== false) for (const [k, v] of serviceEnv(src.services)) env.set(k, v);
  for (const from of c.envFrom ?? []) for (const [k, v] of envFrom(from, src)) env.set(k, v);
  for (const e of c.env ?? []) {
    if (e.valueFrom) {
      const v = valueFrom(pod, c, e.valueFrom, src);
      if (v !== undefined) env.set(e.name, v);
    } else env.set(e.name, expandVars(e.value ?? '', env));
  }
  return [...env].map(([key, value]) => ({ key, value }));
}

function envFrom(from: NonNullable<Container['envFrom']>[number], src: EnvSources): [string, string][] {
  const prefix = from.prefix ?? '';
  if (from.configMapRef) {
    const cm = src.configMap(from.configMapRef.name ?? '');
    if (!cm) return missing(from.configMapRef.optional, `configmap "${from.configMapRef.name}" not found`);
    return Object.entries(cm.data ?? {}).map(([k, v]) => [prefix + k, v]);
  }
  if (from.secretRef) {
    const s = src.secret(from.secretRef.name ?? '');
    if (!s) return missing(from.secretRef.optional, `secret "${from.secretRef.name}" not found`);
    return Object.entries(s.data ?? {}).map(([k, v]) => [prefix + k, Buffer.from(v, 'base64').toString('utf8')]);
  }
  return [];
}

function missing(optional: boolean | undefined, message: string): [] {
  if (optional) return [];
  throw new ConfigError(message);
}

function valueFrom(pod: Pod, c: Container, vf: NonNullable<Container['env']>[number]['valueFrom'] & object, src: EnvSources): string | undefined {
  if (vf.configMapKeyRef) {
    const ref = vf.configMapKeyRef;
    const cm = src.configMap(ref.name ?? '');
    if (!cm) return optionalMissing(ref.optional, `configmap "${ref.name}" not found`);
    const v = cm.data?.[ref.key];
    return v ?? optionalMissing(ref.optional, `couldn't find key ${ref.key} in ConfigMap ${pod.metadata.namespace}/${ref.name}`);
  }
  if (vf.secretKeyRef) {
    const ref = vf.secretKeyRef;
    const s = src.secret(ref.name ?? '');
    if (!s) return optionalMissing(ref.optional, `secret "${ref.name}" not found`);
    const v = s.data?.[ref.key];
    if (v === undefined) return optionalMissing(ref.optional, `couldn't find key ${ref.key} in Secret ${pod.metadata.namespace}/${ref.name}`);
    return Buffer.from(v, 'base64').toString('utf8');
  }
  if (vf.fieldRef) return fieldRefValue(pod, vf.fieldRef.fieldPath, src);
  if (vf.resourceFieldRef) {
    const ref = vf.resourceFieldRef;
    const target = ref.containerName ? pod.spec.containers.find((x) => x.name === ref.containerName) ?? c : c;
    return resourceValue(target, ref.resource, ref.divisor, src.allocatable);
  }
  return undefined;
}

function optionalMissing(optional: boolean | undefined, message: string): undefined {
  if (optional) return undefined;
  throw new ConfigError(message);
}

/** fieldRefValue resolves a downward-API field path (env fieldRef and downwardAPI volumes). */
export function fieldRefValue(pod: Pod, path: string, src: Pick<EnvSources, 'podIP' | 'hostIP'>): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]] ?? '';
  switch (path) {
    case 'metadata.name': return pod.metadata.name ?? '';
    case 'metadata.namespace': return pod.metadata.namespace ?? '';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'metadata.labels': return formatMap(pod.metadata.labels);
    case 'metadata.annotations': return formatMap(pod.metadata.annotations);
    case 'spec.nodeName': return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec.serviceAccountName ?? '';
    case 'status.podIP': case 'status.podIPs': return src.podIP;
    case 'status.hostIP': case 'status.hostIPs': return src.hostIP;
    default: throw new ConfigError(`unsupported fieldPath: ${path}`);
  }
}

function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}="${m?.[k]}"`).join('\n');
}

/**
 * expandVars replaces $(VAR) with earlier values, leaves unknown references as written and
 * turns $$ into $ (upstream third_party/forked/golang/expansion). "$(A)-$$(A)" with A=x → "x-$(A)".
 */
export function expandVars(s: string, env: ReadonlyMap<string, string>): string {
  return s.replace(/\$\$|\$\(([^)]*)\)/g, (whole, name: string | undefined) => {
    if (whole === '$$') return '$';
    return name !== undefined && env.has(name) ? (env.get(name) as string) : whole;
  });
}

/** serviceEnv gives the docker-links style variables for each Service with a cluster IP. */
export function serviceEnv(services: Service[]): [string, string][] {
  const out: [string, string][] = [];
  for (const s of services) {
    const ip = s.spec?.clusterIP;
    const ports = s.spec?.ports ?? [];
    if (!ip || ip === 'None' || ports.length === 0) continue;
    const base = (s.metadata.name ?? '').toUpperCase().replace(/-/g, '_');
    out.push([`${base}_SERVICE_HOST`, ip], [`${base}_SERVICE_PORT`, String(ports[0].port)]);
    for (const p of ports) if (p.name) out.push([`${base}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port)]);
    const proto = (ports[0].protocol ?? 'TCP').toLowerCase();
    out.push([`${base}_PORT`, `${proto}://${ip}:${ports[0].port}`]);
    for (const p of ports) {
      const pr = (p.protocol ?? 'TCP').toUpperCase();
      const pre = `${base}_PORT_${p.port}_${pr}`;
      out.push([pre, `${pr.toLowerCase()}://${ip}:${p.port}`], [`${pre}_PROTO`, pr.toLowerCase()], [`${pre}_PORT`, String(p.port)], [`${pre}_ADDR`, ip]);
    }
  }
  return out;
}

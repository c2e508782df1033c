// core/v1 Service (core/validation's ValidateService and ValidateServiceUpdate).

import { fieldErr, type FieldError } from '../errors.js';
import { validateLabels } from '../labels.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortNum } from '../names.js';
import type { ServicePort, ServiceSpec } from '../types/core.js';
import { child, index } from './path.js';
import { each, immutable, IP_MSG, isIP, oneOf, portNumOrName, unique } from './common.js';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

export function validateServiceSpec(spec: ServiceSpec, path = 'spec'): FieldError[] {
  const type = spec.type ?? 'ClusterIP';
  const headless = spec.clusterIP === 'None';
  const ports = spec.ports ?? [];
  const errs = [
    ...oneOf(spec.type, child(path, 'type'), TYPES, true),
    ...validateClusterIP(spec, type, child(path, 'clusterIP')),
    ...validateLabels(spec.selector ?? {}, child(path, 'selector')),
    ...oneOf(spec.sessionAffinity, child(path, 'sessionAffinity'), ['ClientIP', 'None'], true),
    ...unique(ports, child(path, 'ports'), 'name', (p) => p.name),
    ...ports.flatMap((p, i) => validatePort(p, index(child(path, 'ports'), i), ports.length > 1, type)),
    ...(spec.externalIPs ?? []).flatMap((ip, i) => (isIP(ip) ? [] : [fieldErr.invalid(index(child(path, 'externalIPs'), i), ip, IP_MSG)])),
  ];
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(fieldErr.required(child(path, 'ports'), ''));
  if (type === 'ExternalName') errs.push(...validateExternalName(spec.externalName, child(path, 'externalName')));
  return errs;
}

function validateClusterIP(spec: ServiceSpec, type: string, path: string): FieldError[] {
  const ip = spec.clusterIP;
  if (!ip) return [];
  if (type === 'ExternalName') return [fieldErr.forbidden(path, 'may not be set for ExternalName services')];
  if (ip === 'None') {
    return type === 'ClusterIP' ? [] : [fieldErr.invalid(path, ip, `may not be set to 'None' for ${type} services`)];
  }
  return isIP(ip) ? [] : [fieldErr.invalid(path, ip, IP_MSG)];
}

function validateExternalName(name: string | undefined, path: string): FieldError[] {
  if (!name) return [fieldErr.required(path, '')];
  // A trailing dot (fully qualified) is allowed, as upstream.
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  return each(path, name, isDNS1123Subdomain(bare));
}

function validatePort(p: ServicePort, path: string, named: boolean, type: string): FieldError[] {
  const errs: FieldError[] = [];
  if (named && !p.name) errs.push(fieldErr.required(child(path, 'name'), ''));
  else if (p.name) errs.push(...each(child(path, 'name'), p.name, isDNS1123Label(p.name)));
  errs.push(...each(child(path, 'port'), p.port, isValidPortNum(p.port)));
  errs.push(...oneOf(p.protocol, child(path, 'protocol'), ['SCTP', 'TCP', 'UDP'], true));
  if (p.targetPort !== undefined && p.targetPort !== null) errs.push(...portNumOrName(p.targetPort, child(path, 'targetPort')));
  errs.push(...validateNodePort(p.nodePort, type, child(path, 'nodePort')));
  return errs;
}

function validateNodePort(port: number | undefined, type: string, path: string): FieldError[] {
  if (!port) return [];
  if (type === 'ClusterIP' || type === 'ExternalName') {
    return [fieldErr.forbidden(path, `may not be used when \`type\` is '${type}'`)];
  }
  if (port < NODE_PORT_MIN || port > NODE_PORT_MAX) {
    return [fieldErr.invalid(path, port, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`)];
  }
  return [];
}

/** clusterIP is fixed once allocated; an empty value on update means "keep" (the server fills it). */
export function validateServiceUpdate(next: ServiceSpec, old: ServiceSpec, path = 'spec'): FieldError[] {
  if (!old.clusterIP || !next.clusterIP || old.type === 'ExternalName' || next.type === 'ExternalName') return [];
  return immutable(next.clusterIP, old.clusterIP, child(path, 'clusterIP'));
}

// Service and Endpoints rows, as upstream's printService / printEndpoints.

import type { Endpoints, Service, ServicePort } from '../../api/types/core.js';
import { since } from './duration.js';
import { AGE, NAME, column, orNone, printer, wide } from './columns.js';

/** `80/TCP`, `80:30080/TCP`, comma-separated. */
export function portsText(ports: ServicePort[] | undefined): string {
  const text = (ports ?? []).map((p) => {
    const proto = p.protocol ?? 'TCP';
    return p.nodePort ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
  });
  return orNone(text.join(','));
}

function loadBalancerIPs(svc: Service): string[] {
  return (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean);
}

export function externalIP(svc: Service): string {
  const external = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return orNone(external.join(','));
    case 'LoadBalancer': {
      const all = [...loadBalancerIPs(svc), ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** labels.FormatLabels: sorted `k=v` pairs, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const pairs = Object.keys(labels ?? {}).sort().map((k) => `${k}=${labels![k]}`);
  return orNone(pairs.join(','));
}

export const servicePrinter = printer<Service>(
  [
    NAME,
    column('Type', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'The list of ports that are exposed by this service.'),
    AGE,
    wide('Selector', 'Route service traffic to pods with label keys and values matching this selector.'),
  ],
  (svc, now) => [
    svc.metadata.name,
    svc.spec?.type ?? 'ClusterIP',
    svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>',
    externalIP(svc),
    portsText(svc.spec?.ports),
    since(svc.metadata.creationTimestamp, now),
    formatLabels(svc.spec?.selector),
  ],
);

const MAX_ENDPOINTS = 3;

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** `10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...`; ready addresses only, as upstream. */
export function endpointsText(ep: Endpoints): string {
  const all: string[] = [];
  for (const ss of ep.subsets ?? []) {
    const ips = (ss.addresses ?? []).map((a) => a.ip);
    const ports = ss.ports ?? [];
    // Headless services may have no ports: list the bare addresses.
    if (!ports.length) all.push(...ips);
    for (const p of ports) all.push(...ips.map((ip) => hostPort(ip, p.port)));
  }
  const shown = all.slice(0, MAX_ENDPOINTS).join(',');
  if (all.length > MAX_ENDPOINTS) return `${shown} + ${all.length - MAX_ENDPOINTS} more...`;
  return orNone(shown);
}

export const endpointsPrinter = printer<Endpoints>(
  [NAME, column('Endpoints', 'Endpoints is the list of ready addresses with their ports.'), AGE],
  (ep, now) => [ep.metadata.name, endpointsText(ep), since(ep.metadata.creationTimestamp, now)],
);

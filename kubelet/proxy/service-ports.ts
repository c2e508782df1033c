// Services and Endpoints flattened into one record per service port with its ready endpoints:
// what the rule generator works from. Pure; the order is deterministic so that the same state
// always renders the same iptables text.
import type { Endpoints, Service, ServicePort } from '../../api/types/core.js';

/** Endpoint is one ready backend of a service port. */
export interface Endpoint {
  ip: string;
  port: number;
}

/** ServicePortInfo is everything the proxy programs for one port of one Service. */
export interface ServicePortInfo {
  /** kube-proxy's ServicePortName: `ns/svc:port`, or `ns/svc` when the port has no name. */
  name: string;
  protocol: 'tcp' | 'udp' | 'sctp';
  clusterIP: string;
  port: number;
  nodePort?: number;
  externalIPs: string[];
  /** sessionAffinity ClientIP timeout in seconds; absent for no affinity. */
  affinitySeconds?: number;
  /** Ready endpoints only (Endpoints.subsets[].addresses), sorted. */
  endpoints: Endpoint[];
}

/** Default sessionAffinityConfig.clientIP.timeoutSeconds (3 hours), as upstream. */
export const DEFAULT_AFFINITY_SECONDS = 10_800;

const PROTOCOLS = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' } as const;

function key(ns: string | undefined, name: string | undefined): string {
  return `${ns ?? 'default'}/${name ?? ''}`;
}

/** proxied reports whether a Service gets rules: it has a cluster IP and is not ExternalName. */
export function proxied(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return svc.spec?.type !== 'ExternalName' && !!ip && ip !== 'None' && !ip.includes(':');
}

/** readyEndpoints are the ready addresses serving port `portName`/protocol, resolved to numbers by the endpoints controller. */
export function readyEndpoints(ep: Endpoints | undefined, portName: string, protocol: string): Endpoint[] {
  const out = new Map<string, Endpoint>();
  for (const subset of ep?.subsets ?? []) {
    const port = subset.ports?.find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol);
    if (!port) continue;
    for (const a of subset.addresses ?? []) out.set(`${a.ip}:${port.port}`, { ip: a.ip, port: port.port });
  }
  return [...out.values()].sort((a, b) => compareIP(a.ip, b.ip) || a.port - b.port);
}

function compareIP(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

function portInfo(svc: Service, sp: ServicePort, ep: Endpoints | undefined): ServicePortInfo | undefined {
  const protocol = PROTOCOLS[(sp.protocol ?? 'TCP') as keyof typeof PROTOCOLS];
  if (!protocol) return undefined;
  const spec = svc.spec ?? {};
  const base = key(svc.metadata.namespace, svc.metadata.name);
  const withNodePort = (spec.type === 'NodePort' || spec.type === 'LoadBalancer') && !!sp.nodePort;
  return {
    name: sp.name ? `${base}:${sp.name}` : base,
    protocol,
    clusterIP: spec.clusterIP!,
    port: sp.port,
    ...(withNodePort ? { nodePort: sp.nodePort } : {}),
    externalIPs: [...(spec.externalIPs ?? [])].filter((ip) => !ip.includes(':')).sort(compareIP),
    ...(spec.sessionAffinity === 'ClientIP' ? { affinitySeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS } : {}),
    endpoints: readyEndpoints(ep, sp.name ?? '', sp.protocol ?? 'TCP'),
  };
}

/** servicePorts joins Services with their Endpoints (same namespace/name), one record per proxied port. */
export function servicePorts(services: readonly Service[], endpoints: readonly Endpoints[]): ServicePortInfo[] {
  const eps = new Map(endpoints.map((e) => [key(e.metadata.namespace, e.metadata.name), e]));
  const out: ServicePortInfo[] = [];
  for (const svc of services) {
    if (!proxied(svc)) continue;
    const ep = eps.get(key(svc.metadata.namespace, svc.metadata.name));
    for (const sp of svc.spec?.ports ?? []) {
      const info = portInfo(svc, sp, ep);
      if (info) out.push(info);
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0));
}

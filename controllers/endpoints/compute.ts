// The Endpoints controller's pure decision (upstream's endpoints_controller.go syncService plus
// endpoints/util RepackSubsets): which pods back a Service, on which ports, ready or not, grouped
// into subsets of addresses that share the same port set.
import { selectorFromLabelSelector } from '../../api/labels.js';
import type { EndpointAddress, EndpointPort, EndpointSubset, Service, ServicePort } from '../../api/types/core.js';
import type { Pod } from '../../api/types/pod.js';

/** isPodReady: the pod's Ready condition is True. */
export function isPodReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** selectedPods: pods in the Service's namespace matching its (map) selector; none without one. */
export function selectedPods(svc: Service, pods: readonly Pod[]): Pod[] {
  const sel = svc.spec?.selector;
  if (!sel || Object.keys(sel).length === 0) return [];
  const s = selectorFromLabelSelector({ matchLabels: sel });
  return pods.filter((p) => p.metadata.namespace === svc.metadata.namespace && s.matches(p.metadata.labels ?? {}));
}

/**
 * resolveTargetPort: a number is used as is; a name is looked up among the pod's container ports
 * with the Service port's protocol (upstream's podutil.FindPort). undefined when it cannot resolve.
 */
export function resolveTargetPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  const asNumber = Number(target);
  if (target !== '' && Number.isInteger(asNumber)) return asNumber;
  const protocol = sp.protocol ?? 'TCP';
  for (const c of pod.spec.containers ?? []) {
    const port = c.ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol);
    if (port) return port.containerPort;
  }
  return undefined;
}

/** endpointAddress: the pod's IP with nodeName, hostname (if in the Service's subdomain) and targetRef. */
function endpointAddress(svc: Service, pod: Pod): EndpointAddress {
  const addr: EndpointAddress = { ip: pod.status!.podIP! };
  if (pod.spec.hostname && pod.spec.subdomain === svc.metadata.name) addr.hostname = pod.spec.hostname;
  if (pod.spec.nodeName) addr.nodeName = pod.spec.nodeName;
  const m = pod.metadata;
  addr.targetRef = { kind: 'Pod', namespace: m.namespace, name: m.name, uid: m.uid };
  return addr;
}

/** endpointPort: the Service port's name and protocol with the pod's resolved port. */
function endpointPort(sp: ServicePort, port: number): EndpointPort {
  const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
  if (sp.name) ep.name = sp.name;
  if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
  return ep;
}

/**
 * podCounts: whether a pod can be listed at all. Pods without an IP, being deleted, or finished
 * are left out, as upstream's ShouldPodBeInEndpoints (unless publishNotReadyAddresses tolerates
 * the terminating ones).
 */
function podCounts(svc: Service, pod: Pod): boolean {
  if (!pod.status?.podIP) return false;
  const phase = pod.status.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return !pod.metadata.deletionTimestamp || svc.spec?.publishNotReadyAddresses === true;
}

interface Entry {
  addr: EndpointAddress;
  ready: boolean;
  ports: EndpointPort[];
}

/** podEntry resolves one pod's ports; a headless Service without ports lists addresses alone. */
function podEntry(svc: Service, pod: Pod): Entry | undefined {
  const ports: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = resolveTargetPort(pod, sp);
    if (port !== undefined) ports.push(endpointPort(sp, port));
  }
  const headless = svc.spec?.clusterIP === 'None';
  if (ports.length === 0 && !(headless && (svc.spec?.ports ?? []).length === 0)) return undefined;
  const ready = svc.spec?.publishNotReadyAddresses === true || isPodReady(pod);
  return { addr: endpointAddress(svc, pod), ready, ports };
}

/**
 * computeEndpoints returns the subsets for svc given every pod the controller knows of: ready pods
 * in `addresses`, the others in `notReadyAddresses`, grouped by identical port sets. Addresses
 * sort by IP and ports by name so that an unchanged world yields an identical result.
 */
export function computeEndpoints(svc: Service, pods: readonly Pod[]): EndpointSubset[] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of selectedPods(svc, pods)) {
    const e = podCounts(svc, pod) ? podEntry(svc, pod) : undefined;
    if (!e) continue;
    const ports = [...e.ports].sort(comparePorts);
    const key = JSON.stringify(ports);
    const g = groups.get(key) ?? { ports, ready: [], notReady: [] };
    groups.set(key, g);
    (e.ready ? g.ready : g.notReady).push(e.addr);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => toSubset(g));
}

function toSubset(g: { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }): EndpointSubset {
  const s: EndpointSubset = {};
  if (g.ready.length) s.addresses = g.ready.sort(compareAddresses);
  if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(compareAddresses);
  if (g.ports.length) s.ports = g.ports;
  return s;
}

function comparePorts(a: EndpointPort, b: EndpointPort): number {
  const an = a.name ?? '';
  const bn = b.name ?? '';
  return an < bn ? -1 : an > bn ? 1 : a.port - b.port;
}

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? '');
}

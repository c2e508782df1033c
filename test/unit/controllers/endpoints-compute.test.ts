import { describe, expect, it } from 'vitest';
import { computeEndpoints, planEndpoints, resolveTargetPort } from '../../../controllers/endpoints/index.js';
import type { Endpoints, Service, ServicePort } from '../../../api/types/core.js';
import type { Pod } from '../../../api/types/pod.js';

function svc(ports: ServicePort[], extra: Partial<Service['spec']> = {}): Service {
  return { metadata: { name: 'web', namespace: 'ns', labels: { tier: 'fe' } }, spec: { selector: { app: 'web' }, ports, ...extra } };
}

interface PodOpts {
  ready?: boolean;
  ip?: string;
  labels?: Record<string, string>;
  ns?: string;
  phase?: string;
  deleting?: boolean;
  ports?: { name: string; containerPort: number; protocol?: string }[];
}

function pod(name: string, o: PodOpts = {}): Pod {
  return {
    metadata: { name, namespace: o.ns ?? 'ns', uid: `uid-${name}`, labels: o.labels ?? { app: 'web' }, deletionTimestamp: o.deleting ? '2024-01-01T00:00:00Z' : undefined },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i', ports: o.ports }] },
    status: {
      phase: o.phase ?? 'Running',
      podIP: o.ip === '' ? undefined : (o.ip ?? `10.0.0.${name.length}`),
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  };
}

const addr = (name: string, ip: string) => ({ ip, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name, uid: `uid-${name}` } });
const http: ServicePort = { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' };
const named: ServicePort = { name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' };

describe('computeEndpoints', () => {
  const cases = [
    { name: 'ready pod goes to addresses', svc: svc([http]), pods: [pod('a', { ip: '10.0.0.1' })], want: [{ addresses: [addr('a', '10.0.0.1')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] },
    { name: 'unready pod goes to notReadyAddresses', svc: svc([http]), pods: [pod('a', { ip: '10.0.0.1', ready: false })], want: [{ notReadyAddresses: [addr('a', '10.0.0.1')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] },
    {
      name: 'ready and unready share a subset, addresses sorted by IP',
      svc: svc([http]),
      pods: [pod('b', { ip: '10.0.0.9' }), pod('a', { ip: '10.0.0.2' }), pod('c', { ip: '10.0.0.5', ready: false })],
      want: [{ addresses: [addr('a', '10.0.0.2'), addr('b', '10.0.0.9')], notReadyAddresses: [addr('c', '10.0.0.5')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
    },
    { name: 'pods without IP, other labels, other namespace, finished or deleting are left out', svc: svc([http]), pods: [pod('a', { ip: '' }), pod('b', { labels: { app: 'x' } }), pod('c', { ns: 'other' }), pod('d', { phase: 'Succeeded' }), pod('e', { deleting: true })], want: [] },
    {
      name: 'named targetPort resolves per pod into separate subsets',
      svc: svc([named]),
      pods: [pod('a', { ip: '10.0.0.1', ports: [{ name: 'web', containerPort: 8080 }] }), pod('b', { ip: '10.0.0.2', ports: [{ name: 'web', containerPort: 9090 }] })],
      want: [
        { addresses: [addr('a', '10.0.0.1')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
        { addresses: [addr('b', '10.0.0.2')], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
      ],
    },
    { name: 'named targetPort that does not resolve drops the pod', svc: svc([named]), pods: [pod('a', { ports: [{ name: 'other', containerPort: 1 }] })], want: [] },
    { name: 'publishNotReadyAddresses lists unready pods as ready', svc: svc([http], { publishNotReadyAddresses: true }), pods: [pod('a', { ip: '10.0.0.1', ready: false })], want: [{ addresses: [addr('a', '10.0.0.1')], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] },
    { name: 'headless Service without ports lists addresses alone', svc: svc([], { clusterIP: 'None' }), pods: [pod('a', { ip: '10.0.0.1' })], want: [{ addresses: [addr('a', '10.0.0.1')] }] },
    { name: 'no selector selects nothing', svc: { metadata: { name: 'web', namespace: 'ns' }, spec: { ports: [http] } }, pods: [pod('a')], want: [] },
  ];
  for (const tc of cases) it(tc.name, () => expect(computeEndpoints(tc.svc, tc.pods)).toEqual(tc.want));
});

describe('resolveTargetPort', () => {
  const p = pod('a', { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'web', containerPort: 8080 }] });
  const cases = [
    { name: 'number', sp: { port: 80, targetPort: 8080 }, want: 8080 },
    { name: 'unset means port', sp: { port: 80 }, want: 80 },
    { name: 'numeric string', sp: { port: 80, targetPort: '81' }, want: 81 },
    { name: 'name', sp: { port: 80, targetPort: 'web' }, want: 8080 },
    { name: 'name with matching protocol', sp: { port: 53, targetPort: 'dns', protocol: 'UDP' }, want: 53 },
    { name: 'name with other protocol', sp: { port: 53, targetPort: 'dns', protocol: 'TCP' }, want: undefined },
  ];
  for (const tc of cases) it(tc.name, () => expect(resolveTargetPort(p, tc.sp)).toBe(tc.want));
});

describe('planEndpoints', () => {
  const s = svc([http]);
  const pods = [pod('a', { ip: '10.0.0.1' })];
  const wanted = planEndpoints(s, undefined, pods);
  const current = (wanted as { endpoints: Endpoints }).endpoints;
  it('creates when absent, labelled like the Service', () => {
    expect(wanted.action).toBe('create');
    expect(current.metadata).toEqual({ name: 'web', namespace: 'ns', labels: { tier: 'fe' } });
  });
  it('does nothing when unchanged', () => expect(planEndpoints(s, current, pods).action).toBe('none'));
  it('updates when readiness changed', () => expect(planEndpoints(s, current, [pod('a', { ip: '10.0.0.1', ready: false })]).action).toBe('update'));
});

import { describe, expect, it } from 'vitest';
import { fieldErrorMessage } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/meta.js';
import { mustResource } from '../../../api/registry.js';
import type { Service, ServiceSpec } from '../../../api/types/core.js';
import { applyDefaults, validateCreate, validateUpdate } from '../../../api/validate.js';

const services = mustResource('services');

function svc(spec: ServiceSpec, name = 'web'): Service {
  const s: Service = { metadata: { name, namespace: 'default' }, spec };
  applyDefaults(services, s as unknown as KubeObject);
  return s;
}
const messages = (s: Service): string[] => validateCreate(services, s as unknown as KubeObject).map(fieldErrorMessage);

describe('service create validation', () => {
  const ok: { name: string; s: Service }[] = [
    { name: 'one unnamed port', s: svc({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }) },
    { name: 'headless without ports', s: svc({ clusterIP: 'None' }) },
    { name: 'ExternalName without ports', s: svc({ type: 'ExternalName', externalName: 'db.example.com' }) },
    { name: 'NodePort in range', s: svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }) },
    { name: 'explicit IPv6 clusterIP', s: svc({ clusterIP: 'fd00::10', ports: [{ port: 80 }] }) },
  ];
  it.each(ok)('accepts $name', ({ s }) => expect(messages(s)).toEqual([]));

  const cases: { name: string; s: Service; want: string[] }[] = [
    { name: 'ports required', s: svc({}), want: ['spec.ports: Required value'] },
    {
      name: 'names required and unique with several ports',
      s: svc({ ports: [{ name: 'a', port: 80 }, { port: 81 }, { name: 'a', port: 82 }] }),
      want: ['spec.ports[1].name: Required value', 'spec.ports[2].name: Duplicate value: "a"'],
    },
    {
      name: 'port range, targetPort name, protocol',
      s: svc({ ports: [{ port: 0, targetPort: 'Not_A_Name', protocol: 'ICMP' }] }),
      want: [
        'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
        'spec.ports[0].targetPort: Invalid value: "Not_A_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      ],
    },
    {
      name: 'nodePort out of range',
      s: svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }),
      want: ['spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767'],
    },
    {
      name: 'nodePort on ClusterIP',
      s: svc({ ports: [{ port: 80, nodePort: 30080 }] }),
      want: ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    },
    {
      name: 'type and clusterIP',
      s: svc({ type: 'Magic', clusterIP: '10.0.0.300', ports: [{ port: 80 }] }),
      want: [
        'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
        'spec.clusterIP: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      ],
    },
    {
      name: 'name must be a DNS-1035 label',
      s: svc({ ports: [{ port: 80 }] }, '1web'),
      want: [
        `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      ],
    },
    { name: 'ExternalName needs externalName', s: svc({ type: 'ExternalName' }), want: ['spec.externalName: Required value'] },
  ];
  it.each(cases)('$name', ({ s, want }) => expect(messages(s).sort()).toEqual([...want].sort()));
});

describe('service update validation', () => {
  const update = (next: Service, old: Service): string[] =>
    validateUpdate(services, next as unknown as KubeObject, old as unknown as KubeObject).map(fieldErrorMessage);
  const allocated = (): Service => svc({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] });

  it.each([
    { name: 'unchanged clusterIP', ip: '10.96.0.10', want: [] },
    { name: 'empty clusterIP keeps the allocated one', ip: '', want: [] },
    { name: 'changed clusterIP', ip: '10.96.0.11', want: ['spec.clusterIP: Invalid value: "10.96.0.11": field is immutable'] },
  ])('$name', ({ ip, want }) => {
    const next = allocated();
    next.spec!.clusterIP = ip;
    expect(update(next, allocated())).toEqual(want);
  });
});

import { describe, expect, it } from 'vitest';
import { fieldErrorMessage } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/meta.js';
import { mustResource } from '../../../api/registry.js';
import type { Container, Pod, PodSpec } from '../../../api/types/pod.js';
import { applyDefaults, validateCreate, validateUpdate } from '../../../api/validate.js';

const pods = mustResource('pods');

function pod(spec: Partial<PodSpec> = {}, container: Partial<Container> = {}): Pod {
  const p: Pod = {
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx:1.25', ...container }], ...spec },
  };
  applyDefaults(pods, p as unknown as KubeObject);
  return p;
}
const messages = (p: Pod): string[] => validateCreate(pods, p as unknown as KubeObject).map(fieldErrorMessage);
const C = 'spec.containers[0]';

describe('pod create validation', () => {
  it('accepts a defaulted pod', () => {
    expect(messages(pod({}, { ports: [{ name: 'http', containerPort: 80 }], livenessProbe: { tcpSocket: { port: 'http' } } }))).toEqual([]);
  });

  const cases: { name: string; pod: Pod; want: string[] }[] = [
    { name: 'no containers', pod: pod({ containers: [] }), want: ['spec.containers: Required value'] },
    { name: 'image required', pod: pod({}, { image: '' }), want: [`${C}.image: Required value`] },
    {
      name: 'duplicate container names',
      pod: pod({ containers: [{ name: 'a', image: 'x:1', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' }, { name: 'a', image: 'x:1', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' }] }),
      want: ['spec.containers[1].name: Duplicate value: "a"'],
    },
    {
      name: 'container name not a DNS label',
      pod: pod({}, { name: 'Web_1' }),
      want: [`${C}.name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`],
    },
    {
      name: 'ports: range, duplicate names, protocol, hostPort',
      pod: pod({}, { ports: [{ name: 'http', containerPort: 70000 }, { name: 'http', containerPort: 81, protocol: 'ICMP', hostPort: 0 }, { containerPort: 82, hostPort: 99999 }] }),
      want: [
        `${C}.ports[1].name: Duplicate value: "http"`,
        `${C}.ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive`,
        `${C}.ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"`,
        `${C}.ports[2].hostPort: Invalid value: 99999: must be between 1 and 65535, inclusive`,
      ],
    },
    {
      name: 'missing containerPort and bad port name',
      pod: pod({}, { ports: [{ name: 'HTTP', containerPort: 0 }] }),
      want: [
        `${C}.ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
        `${C}.ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)`,
        `${C}.ports[0].containerPort: Required value`,
      ],
    },
    {
      name: 'env names',
      pod: pod({}, { env: [{ name: '' }, { name: '1BAD' }] }),
      want: [`${C}.env[0].name: Required value`, `${C}.env[1].name: Invalid value: "1BAD": a valid environment variable name must consist only of printable ASCII characters other than '='`],
    },
    {
      name: 'volumes: duplicate, no source, mount of unknown volume',
      pod: pod({ volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }, { name: 'empty' }] }, { volumeMounts: [{ name: 'nope', mountPath: '/x' }] }),
      want: [
        'spec.volumes[1].name: Duplicate value: "data"',
        'spec.volumes[2]: Required value: must specify a volume type',
        `${C}.volumeMounts[0].name: Invalid value: "nope": volume not found`,
      ],
    },
    {
      name: 'requests above limits',
      pod: pod({}, { resources: { limits: { memory: '64Mi', cpu: '1' }, requests: { memory: '128Mi', cpu: '500m' } } }),
      want: [`${C}.resources.requests[memory]: Invalid value: "128Mi": must be less than or equal to memory limit of 64Mi`],
    },
    {
      name: 'negative and non-standard resources',
      pod: pod({}, { resources: { limits: { cpu: '-1', gpu: '1' } } }),
      want: [
        `${C}.resources.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0`,
        `${C}.resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers`,
      ],
    },
    {
      name: 'probe with no handler and with two',
      pod: pod({}, { livenessProbe: { periodSeconds: 10 }, readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 }, failureThreshold: -1 } }),
      want: [
        `${C}.livenessProbe: Required value: must specify a handler type`,
        `${C}.readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type`,
        `${C}.readinessProbe.failureThreshold: Invalid value: -1: must be greater than or equal to 0`,
      ],
    },
    {
      name: 'liveness successThreshold must be 1',
      pod: pod({}, { livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 } }),
      want: [`${C}.livenessProbe.successThreshold: Invalid value: 2: must be 1`],
    },
    {
      name: 'restartPolicy and terminationGracePeriodSeconds',
      pod: pod({ restartPolicy: 'Sometimes', terminationGracePeriodSeconds: -5 }),
      want: [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        'spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or equal to 0',
      ],
    },
    {
      name: 'toleration rules',
      pod: pod({ tolerations: [{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Exists', value: 'v', effect: 'Never' }] }),
      want: [
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
        'spec.tolerations[1].operator: Invalid value: "v": value must be empty when `operator` is \'Exists\'',
        'spec.tolerations[1].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ],
    },
  ];
  it.each(cases)('$name', ({ pod: p, want }) => {
    expect(messages(p).sort()).toEqual([...want].sort());
  });
});

describe('pod update validation', () => {
  const update = (next: Pod, old: Pod): string[] =>
    validateUpdate(pods, next as unknown as KubeObject, old as unknown as KubeObject).map(fieldErrorMessage);

  it('allows image changes, tolerations added and activeDeadlineSeconds lowered', () => {
    const old = pod({ activeDeadlineSeconds: 100, tolerations: [{ key: 'a', operator: 'Exists' }] });
    const next = structuredClone(old);
    next.spec.containers[0]!.image = 'nginx:1.26';
    next.spec.activeDeadlineSeconds = 50;
    next.spec.tolerations!.push({ key: 'b', operator: 'Exists' });
    expect(update(next, old)).toEqual([]);
  });

  const cases: { name: string; change: (p: Pod) => void; want: RegExp }[] = [
    { name: 'other spec field', change: (p) => (p.spec.restartPolicy = 'Never'), want: /^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/ },
    { name: 'container ports', change: (p) => (p.spec.containers[0]!.ports = [{ containerPort: 1, protocol: 'TCP' }]), want: /^spec: Forbidden: pod updates/ },
    { name: 'image removed', change: (p) => (p.spec.containers[0]!.image = ''), want: /^spec.containers\[0\].image: Required value$/ },
    { name: 'deadline raised', change: (p) => (p.spec.activeDeadlineSeconds = 200), want: /must be less than or equal to previous value/ },
    { name: 'toleration removed', change: (p) => (p.spec.tolerations = []), want: /^spec.tolerations\[0\]: Forbidden: existing toleration can not be modified/ },
    { name: 'name changed', change: (p) => (p.metadata.name = 'other'), want: /^metadata.name: Invalid value: "other": field is immutable$/ },
  ];
  it.each(cases)('$name', ({ change, want }) => {
    const old = pod({ activeDeadlineSeconds: 100, tolerations: [{ key: 'a', operator: 'Exists' }] });
    const next = structuredClone(old);
    change(next);
    expect(update(next, old).some((m) => want.test(m))).toBe(true);
  });
});

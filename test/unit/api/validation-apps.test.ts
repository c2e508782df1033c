import { describe, expect, it } from 'vitest';
import { fieldErrorMessage } from '../../../api/errors.js';
import type { KubeObject } from '../../../api/meta.js';
import { mustResource } from '../../../api/registry.js';
import type { Deployment, DeploymentSpec, ReplicaSet } from '../../../api/types/apps.js';
import { applyDefaults, validateCreate, validateUpdate } from '../../../api/validate.js';

const deployments = mustResource('deployments');
const replicasets = mustResource('replicasets');

function deploy(spec: Partial<DeploymentSpec> = {}): Deployment {
  const d: Deployment = {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
      ...spec,
    },
  };
  applyDefaults(deployments, d as unknown as KubeObject);
  return d;
}
const messages = (d: Deployment): string[] => validateCreate(deployments, d as unknown as KubeObject).map(fieldErrorMessage);
const template = deploy().spec.template;

describe('deployment create validation', () => {
  it('accepts a defaulted deployment', () => expect(messages(deploy())).toEqual([]));

  const cases: { name: string; d: Deployment; want: string[] }[] = [
    { name: 'negative replicas', d: deploy({ replicas: -1 }), want: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'] },
    {
      name: 'selector does not match template',
      d: deploy({ selector: { matchLabels: { app: 'api' } } }),
      want: ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'],
    },
    { name: 'empty selector', d: deploy({ selector: {} }), want: ['spec.selector: Invalid value: {}: empty selector is invalid for deployment'] },
    {
      name: 'both surge and unavailable zero',
      d: deploy({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } }),
      want: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
    },
    {
      name: 'bad percent and over 100%',
      d: deploy({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'lots', maxUnavailable: '150%' } } }),
      want: [
        `spec.strategy.rollingUpdate.maxSurge: Invalid value: "lots": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%', or '93%', regex used for validation is '[0-9]+%')`,
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
      ],
    },
    {
      name: 'rollingUpdate with Recreate',
      d: deploy({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }),
      want: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    },
    {
      name: 'unknown strategy type',
      d: deploy({ strategy: { type: 'BlueGreen' } }),
      want: ['spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"'],
    },
    {
      name: 'history limit and deadline',
      d: deploy({ revisionHistoryLimit: -1, minReadySeconds: 10, progressDeadlineSeconds: 5 }),
      want: [
        'spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0',
        'spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds',
      ],
    },
    {
      name: 'template restartPolicy must be Always',
      d: deploy({ template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } }),
      want: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
    {
      name: 'template container port errors carry the full path',
      d: deploy({ template: { ...template, spec: { ...template.spec, containers: [{ ...template.spec.containers[0]!, ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 0, protocol: 'TCP' }] }] } } }),
      want: ['spec.template.spec.containers[0].ports[1].containerPort: Required value'],
    },
  ];
  it.each(cases)('$name', ({ d, want }) => expect(messages(d).sort()).toEqual([...want].sort()));

  it('requires name and namespace', () => {
    const d = deploy();
    d.metadata = {};
    expect(messages(d)).toEqual(['metadata.name: Required value: name or generateName is required', 'metadata.namespace: Required value']);
  });
});

describe('deployment and replicaset updates', () => {
  it('selector is immutable', () => {
    const old = deploy();
    const next = deploy({ selector: { matchLabels: { app: 'web', tier: 'x' } } });
    next.spec.template.metadata!.labels = { app: 'web', tier: 'x' };
    const msgs = validateUpdate(deployments, next as unknown as KubeObject, old as unknown as KubeObject).map(fieldErrorMessage);
    expect(msgs).toEqual(['spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable']);
  });

  it('replicas may change', () => {
    const old = deploy();
    expect(validateUpdate(deployments, deploy({ replicas: 5 }) as unknown as KubeObject, old as unknown as KubeObject)).toEqual([]);
  });

  it('replicaset: selector required, replicas >= 0, selector immutable', () => {
    const rs: ReplicaSet = { metadata: { name: 'rs', namespace: 'default' }, spec: { replicas: -2, selector: undefined as never, template } };
    const msgs = validateCreate(replicasets, rs as unknown as KubeObject).map(fieldErrorMessage);
    expect(msgs).toEqual(['spec.replicas: Invalid value: -2: must be greater than or equal to 0', 'spec.selector: Required value']);
    const old: ReplicaSet = { ...rs, spec: { ...rs.spec, replicas: 1, selector: { matchLabels: { app: 'web' } } } };
    const next: ReplicaSet = { ...old, spec: { ...old.spec, selector: { matchLabels: { app: 'api' } } } };
    expect(validateUpdate(replicasets, next as unknown as KubeObject, old as unknown as KubeObject).map(fieldErrorMessage)).toContain(
      'spec.selector: Invalid value: {"matchLabels":{"app":"api"}}: field is immutable',
    );
  });
});

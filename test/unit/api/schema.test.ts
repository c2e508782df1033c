import { describe, expect, it } from 'vitest';
import { mustResource } from '../../../api/registry.js';
import { decodeError, SUBRESOURCE_BODIES, unknownFields } from '../../../api/validate.js';

const deployments = mustResource('deployments');
const pods = mustResource('pods');

function deployment(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec };
}
const tmpl = (container: Record<string, unknown>) => ({ spec: { containers: [{ name: 'c', image: 'nginx', ...container }] } });

describe('decodeError', () => {
  const cases = [
    {
      name: 'string replicas',
      obj: deployment({ replicas: 'three' }),
      want: 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    },
    {
      name: 'fractional replicas names the number',
      obj: deployment({ replicas: 1.5 }),
      want: 'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
    },
    {
      name: 'int32 overflow',
      obj: deployment({ replicas: 2 ** 31 }),
      want: 'json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32',
    },
    {
      name: 'object where array is expected',
      obj: deployment({ template: { spec: { containers: {} } } }),
      want: 'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
    },
    {
      name: 'nested containerPort',
      obj: deployment({ template: tmpl({ ports: [{ containerPort: '80' }] }) }),
      want: 'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
    },
    {
      name: 'label value not a string',
      obj: deployment({ selector: { matchLabels: { app: 1 } } }),
      want: 'json: cannot unmarshal number into Go struct field LabelSelector.spec.selector.matchLabels of type string',
    },
    {
      name: 'bad quantity',
      obj: deployment({ template: tmpl({ resources: { limits: { cpu: 'lots' } } }) }),
      want: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    },
  ];
  it.each(cases)('$name', ({ obj, want }) => {
    expect(decodeError(deployments, obj)).toContain(want);
  });

  const fine = [
    { name: 'valid deployment', obj: deployment({ replicas: 2, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } }) },
    { name: 'nulls decode as zero values', obj: deployment({ replicas: null, template: null }) },
    { name: 'unknown fields are not decode errors', obj: deployment({ foo: 'bar' }) },
    { name: 'quantity as number', obj: deployment({ template: tmpl({ resources: { requests: { cpu: 0.5 } } }) }) },
    { name: 'targetPort-like intOrString as name', obj: deployment({ template: tmpl({ livenessProbe: { httpGet: { port: 'http' } } }) }) },
  ];
  it.each(fine)('$name', ({ obj }) => {
    expect(decodeError(deployments, obj)).toBeUndefined();
  });

  it('rejects a body that is not an object', () => {
    expect(decodeError(pods, [])).toMatch(/cannot unmarshal array into Go value of type v1\.Pod/);
  });

  it('checks the subresource bodies', () => {
    const scale = { kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: '3' } };
    expect(decodeError(SUBRESOURCE_BODIES.Scale, scale)).toContain('ScaleSpec.spec.replicas of type int32');
  });
});

describe('unknownFields', () => {
  const cases = [
    { name: 'clean object', obj: deployment({ replicas: 1, template: tmpl({}) }), want: [] },
    {
      name: 'spec and container typos',
      obj: deployment({ foo: 1, template: tmpl({ imagee: 'x' }) }),
      want: ['spec.foo', 'spec.template.spec.containers[0].imagee'],
    },
    { name: 'top-level and metadata', obj: { metadata: { name: 'p', nam: 'x' }, extra: true }, want: ['extra', 'metadata.nam'] },
    { name: 'open maps accept any key', obj: { metadata: { labels: { anything: 'x' }, annotations: { 'a/b': 'c' } } }, want: [] },
    { name: 'status fields are known', obj: { metadata: {}, status: { replicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] } }, want: [] },
  ];
  it.each(cases)('$name', ({ obj, want }) => {
    expect(unknownFields(deployments, obj).sort()).toEqual([...want].sort());
  });

  it('knows every pod spec field kubectl run produces', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'p', labels: { run: 'p' }, creationTimestamp: null },
      spec: { containers: [{ name: 'p', image: 'busybox', resources: {}, stdin: true, tty: true }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' },
      status: {},
    };
    expect(unknownFields(pods, pod)).toEqual([]);
  });
});

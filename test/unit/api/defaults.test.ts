import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../api/meta.js';
import { mustResource } from '../../../api/registry.js';
import type { Deployment, ReplicaSet } from '../../../api/types/apps.js';
import type { Namespace, Secret, Service } from '../../../api/types/core.js';
import type { Pod } from '../../../api/types/pod.js';
import { defaultPullPolicy } from '../../../api/defaults/pod.js';
import { applyDefaults } from '../../../api/validate.js';

function defaulted<T>(plural: string, obj: T): T {
  applyDefaults(mustResource(plural), obj as unknown as KubeObject);
  return obj;
}
const pod = (container: object = {}): Pod => ({
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'nginx:1.25', ...container }] },
});

describe('defaultPullPolicy', () => {
  it.each([
    { image: 'nginx', want: 'Always' },
    { image: 'nginx:latest', want: 'Always' },
    { image: 'nginx:1.25', want: 'IfNotPresent' },
    { image: 'localhost:5000/app', want: 'Always' },
    { image: 'localhost:5000/app:v2', want: 'IfNotPresent' },
    { image: 'nginx@sha256:abcd', want: 'IfNotPresent' },
  ])('$image -> $want', ({ image, want }) => expect(defaultPullPolicy(image)).toBe(want));
});

describe('pod defaults', () => {
  it('fills the spec and containers', () => {
    const p = defaulted('pods', pod({ ports: [{ containerPort: 80 }] }));
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
    });
    expect(p.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
  });

  it('fills probes, httpGet scheme and fieldRef apiVersion', () => {
    const p = defaulted('pods', pod({
      livenessProbe: { httpGet: { port: 80 } },
      env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
    }));
    const c = p.spec.containers[0]!;
    expect(c.livenessProbe).toEqual({
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
    });
    expect(c.env?.[0]?.valueFrom?.fieldRef?.apiVersion).toBe('v1');
  });

  it('keeps values that are set', () => {
    const p = defaulted('pods', pod({ imagePullPolicy: 'Never' }));
    p.spec.restartPolicy = 'Never';
    defaulted('pods', p);
    expect(p.spec.containers[0]?.imagePullPolicy).toBe('Never');
    expect(p.spec.restartPolicy).toBe('Never');
  });
});

describe('deployment and replicaset defaults', () => {
  it('fills deployment spec and its template', () => {
    const d: Deployment = { metadata: { name: 'd' }, spec: { selector: {}, template: { spec: pod().spec } } };
    defaulted('deployments', d);
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(d.spec.template.spec.restartPolicy).toBe('Always');
  });

  it('adds no rollingUpdate to Recreate', () => {
    const d: Deployment = { metadata: {}, spec: { selector: {}, strategy: { type: 'Recreate' }, template: { spec: pod().spec } } };
    expect(defaulted('deployments', d).spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('keeps replicas 0', () => {
    const d: Deployment = { metadata: {}, spec: { replicas: 0, selector: {}, template: { spec: pod().spec } } };
    expect(defaulted('deployments', d).spec.replicas).toBe(0);
  });

  it('defaults replicaset replicas', () => {
    const rs = defaulted<ReplicaSet>('replicasets', { metadata: {}, spec: { selector: {}, template: { spec: pod().spec } } });
    expect(rs.spec.replicas).toBe(1);
  });
});

describe('other kinds', () => {
  it('service', () => {
    const s: Service = { metadata: { name: 's' }, spec: { ports: [{ port: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }] } };
    defaulted('services', s);
    expect(s.spec).toEqual({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }],
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
  });

  it('secret type', () => {
    expect(defaulted<Secret>('secrets', { metadata: {} }).type).toBe('Opaque');
  });

  it('namespace finalizers and phase', () => {
    const ns = defaulted<Namespace>('namespaces', { metadata: { name: 'n' } });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
  });

  it('node is untouched', () => {
    const node = { metadata: { name: 'n' } };
    expect(defaulted('nodes', node)).toEqual({ metadata: { name: 'n' } });
  });
});

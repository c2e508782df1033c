// Round trips through Skiff's own encoder (protobufjs over the same definitions, wrapped in
// runtime.Unknown and the `k8s\0` magic) for every supported kind, plus malformed input.
import { describe, expect, it } from 'vitest';
import { StatusError } from '../../../api/errors.js';
import {
  decodeProtobufObject,
  PROTOBUF_MAGIC,
  PROTOBUF_MEDIA_TYPE,
} from '../../../apiserver/protobuf/index.js';
import { typeForKind, unknownType } from '../../../apiserver/protobuf/schema.js';

interface EnvelopeOpts {
  contentEncoding?: string;
  contentType?: string;
}

function encodeRaw(apiVersion: string, kind: string, obj: Record<string, unknown>): Uint8Array {
  const type = typeForKind(apiVersion, kind);
  if (!type) throw new Error(`no type for ${apiVersion} ${kind}`);
  return type.encode(type.fromObject(obj)).finish();
}

function envelope(apiVersion: string, kind: string, raw: Uint8Array, opts: EnvelopeOpts = {}): Buffer {
  const unknown = unknownType().fromObject({
    typeMeta: { apiVersion, kind },
    raw,
    contentEncoding: opts.contentEncoding ?? '',
    contentType: opts.contentType ?? '',
  });
  return Buffer.concat([PROTOBUF_MAGIC, unknownType().encode(unknown).finish()]);
}

function body(apiVersion: string, kind: string, obj: Record<string, unknown>): Buffer {
  return envelope(apiVersion, kind, encodeRaw(apiVersion, kind, obj));
}

/** What kubectl puts in every ObjectMeta: all scalar fields present, mostly empty. */
function kubectlMeta(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    generateName: '',
    namespace: 'default',
    selfLink: '',
    uid: '',
    resourceVersion: '',
    generation: 0,
    creationTimestamp: {},
    ...extra,
  };
}

function statusOf(fn: () => unknown): { code: number; reason?: string; message?: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    return (err as StatusError).status;
  }
  throw new Error('expected a StatusError');
}

describe('decodeProtobufObject round trips', () => {
  it('exports the media type', () => {
    expect(PROTOBUF_MEDIA_TYPE).toBe('application/vnd.kubernetes.protobuf');
  });

  it('ConfigMap: data, binaryData as base64, immutable false kept (pointer), metadata maps and times', () => {
    const got = decodeProtobufObject(
      body('v1', 'ConfigMap', {
        metadata: kubectlMeta('cm', {
          labels: { app: 'demo' },
          annotations: { note: '' },
          creationTimestamp: { seconds: 1_700_000_000, nanos: 0 },
          finalizers: ['f/one'],
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u1', controller: true },
          ],
        }),
        data: { a: '1' },
        binaryData: { bin: Buffer.from([0, 1, 255]) },
        immutable: false,
      }),
    );
    expect(got).toStrictEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'cm',
        namespace: 'default',
        creationTimestamp: '2023-11-14T22:13:20Z',
        labels: { app: 'demo' },
        annotations: { note: '' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u1', controller: true },
        ],
        finalizers: ['f/one'],
      },
      data: { a: '1' },
      binaryData: { bin: 'AAH/' },
      immutable: false,
    });
  });

  it('Secret: data bytes, stringData, type; cluster-scoped Namespace with finalizers', () => {
    expect(
      decodeProtobufObject(
        body('v1', 'Secret', {
          metadata: kubectlMeta('s'),
          data: { pw: Buffer.from('hunter2') },
          stringData: { user: 'admin' },
          type: 'Opaque',
        }),
      ),
    ).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
      data: { pw: 'aHVudGVyMg==' },
      stringData: { user: 'admin' },
      type: 'Opaque',
    });
    expect(
      decodeProtobufObject(
        body('v1', 'Namespace', {
          metadata: kubectlMeta('n1', { namespace: '' }),
          spec: { finalizers: ['kubernetes'] },
          status: { phase: '' },
        }),
      ),
    ).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'n1' },
      spec: { finalizers: ['kubernetes'] },
      status: {},
    });
  });

  it('Service: NodePort, named and numeric target ports, pointer strings, session affinity', () => {
    const got = decodeProtobufObject(
      body('v1', 'Service', {
        metadata: kubectlMeta('web'),
        spec: {
          ports: [
            {
              name: 'http',
              protocol: 'TCP',
              port: 80,
              targetPort: { type: 1, strVal: 'http' },
              nodePort: 30080,
            },
            { name: 'm', protocol: 'UDP', port: 53, targetPort: { type: 0, intVal: 5353 }, appProtocol: '' },
          ],
          selector: { app: 'web' },
          clusterIP: '',
          type: 'NodePort',
          sessionAffinity: 'ClientIP',
          sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
          internalTrafficPolicy: 'Cluster',
          publishNotReadyAddresses: false,
        },
        status: { loadBalancer: {} },
      }),
    );
    expect(got).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        ports: [
          { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 },
          { name: 'm', protocol: 'UDP', appProtocol: '', port: 53, targetPort: 5353 },
        ],
        selector: { app: 'web' },
        type: 'NodePort',
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: {} },
    });
  });

  it('Deployment: strategy with IntOrString pointers, pod template with probes, env, volumes, resources', () => {
    const got = decodeProtobufObject(
      body('apps/v1', 'Deployment', {
        metadata: kubectlMeta('web', { labels: { app: 'web' } }),
        spec: {
          replicas: 3,
          selector: {
            matchLabels: { app: 'web' },
            matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }],
          },
          template: {
            metadata: kubectlMeta('', { namespace: '', labels: { app: 'web' } }),
            spec: {
              volumes: [
                {
                  name: 'cfg',
                  volumeSource: { configMap: { localObjectReference: { name: 'cm' }, defaultMode: 420 } },
                },
                { name: 'tmp', volumeSource: { emptyDir: { medium: '', sizeLimit: { string: '1Gi' } } } },
              ],
              containers: [
                {
                  name: 'app',
                  image: 'nginx:1.25',
                  command: ['nginx'],
                  args: ['-g', 'daemon off;'],
                  ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
                  env: [
                    { name: 'A', value: '1' },
                    { name: 'EMPTY', value: '' },
                    {
                      name: 'PW',
                      valueFrom: {
                        secretKeyRef: { localObjectReference: { name: 's' }, key: 'pw', optional: false },
                      },
                    },
                    {
                      name: 'POD',
                      valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } },
                    },
                  ],
                  resources: {
                    limits: { cpu: { string: '500m' } },
                    requests: { memory: { string: '64Mi' } },
                  },
                  volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg', readOnly: true }],
                  livenessProbe: {
                    handler: { httpGet: { path: '/healthz', port: { type: 1, strVal: 'http' } } },
                    periodSeconds: 5,
                    initialDelaySeconds: 0,
                  },
                  readinessProbe: { handler: { tcpSocket: { port: { intVal: 80 } } } },
                  lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
                  securityContext: { runAsNonRoot: true, runAsUser: 0, privileged: false },
                  imagePullPolicy: 'IfNotPresent',
                  stdin: false,
                },
              ],
              restartPolicy: 'Always',
              terminationGracePeriodSeconds: 0,
              nodeSelector: { disk: 'ssd' },
              tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }],
            },
          },
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxUnavailable: { type: 0, intVal: 0 }, maxSurge: { type: 1, strVal: '25%' } },
          },
          minReadySeconds: 0,
          revisionHistoryLimit: 10,
          paused: false,
          progressDeadlineSeconds: 600,
        },
        status: { observedGeneration: 0, replicas: 0 },
      }),
    );
    expect(got).toStrictEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: {
          matchLabels: { app: 'web' },
          matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }],
        },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            volumes: [
              { name: 'cfg', configMap: { name: 'cm', defaultMode: 420 } },
              { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
            ],
            containers: [
              {
                name: 'app',
                image: 'nginx:1.25',
                command: ['nginx'],
                args: ['-g', 'daemon off;'],
                ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
                env: [
                  { name: 'A', value: '1' },
                  { name: 'EMPTY' },
                  { name: 'PW', valueFrom: { secretKeyRef: { name: 's', key: 'pw', optional: false } } },
                  { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
                ],
                resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } },
                volumeMounts: [{ name: 'cfg', readOnly: true, mountPath: '/etc/cfg' }],
                livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
                readinessProbe: { tcpSocket: { port: 80 } },
                lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
                imagePullPolicy: 'IfNotPresent',
                securityContext: { privileged: false, runAsUser: 0, runAsNonRoot: true },
              },
            ],
            restartPolicy: 'Always',
            terminationGracePeriodSeconds: 0,
            nodeSelector: { disk: 'ssd' },
            tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }],
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {},
    });
  });

  it('Pod and ReplicaSet', () => {
    expect(
      decodeProtobufObject(
        body('v1', 'Pod', {
          metadata: kubectlMeta('p'),
          spec: { containers: [{ name: 'c', image: 'busybox' }], nodeName: 'n1' },
          status: { phase: 'Pending', startTime: { seconds: 0 } },
        }),
      ),
    ).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox' }], nodeName: 'n1' },
      status: { phase: 'Pending' },
    });
    expect(
      decodeProtobufObject(
        body('apps/v1', 'ReplicaSet', {
          metadata: kubectlMeta('rs'),
          spec: {
            replicas: 1,
            selector: { matchLabels: { a: 'b' } },
            template: { spec: { containers: [{ name: 'c' }] } },
          },
        }),
      ),
    ).toStrictEqual({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { a: 'b' } },
        template: { spec: { containers: [{ name: 'c' }] } },
      },
    });
  });

  it('int64 fields come back as numbers', () => {
    const got = decodeProtobufObject(
      body('v1', 'ConfigMap', {
        metadata: kubectlMeta('g', { generation: 7, deletionGracePeriodSeconds: 0 }),
      }),
    );
    expect(got.metadata).toStrictEqual({
      name: 'g',
      namespace: 'default',
      generation: 7,
      deletionGracePeriodSeconds: 0,
    });
  });
});

describe('decodeProtobufObject rejects', () => {
  const valid = body('v1', 'ConfigMap', { metadata: kubectlMeta('x'), data: { a: '1' } });

  it('a body without the k8s\\0 magic (400)', () => {
    expect(statusOf(() => decodeProtobufObject(Buffer.from('{"kind":"ConfigMap"}')))).toMatchObject({
      code: 400,
      reason: 'BadRequest',
    });
    expect(statusOf(() => decodeProtobufObject(Buffer.alloc(0))).code).toBe(400);
  });

  it('a truncated envelope (400)', () => {
    const s = statusOf(() => decodeProtobufObject(valid.subarray(0, valid.length - 3)));
    expect(s).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(s.message).toMatch(/runtime\.Unknown/);
  });

  it('a raw object that is not valid protobuf (400)', () => {
    const s = statusOf(() =>
      decodeProtobufObject(envelope('v1', 'ConfigMap', new Uint8Array([0x0a, 0xff, 0xff]))),
    );
    expect(s).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(s.message).toMatch(/ConfigMap/);
  });

  it('kinds Skiff cannot decode (415), naming the kind', () => {
    for (const [apiVersion, kind] of [
      ['batch/v1', 'Job'],
      ['authorization.k8s.io/v1', 'SelfSubjectAccessReview'],
      ['v1', 'Node'],
      ['', ''],
    ] as const) {
      const s = statusOf(() => decodeProtobufObject(envelope(apiVersion, kind, new Uint8Array())));
      expect(s).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
      if (kind) expect(s.message).toContain(kind);
    }
  });

  it('an encoded (gzip) or non-protobuf inner payload (415)', () => {
    const raw = encodeRaw('v1', 'ConfigMap', { metadata: { name: 'x' } });
    expect(
      statusOf(() => decodeProtobufObject(envelope('v1', 'ConfigMap', raw, { contentEncoding: 'gzip' })))
        .code,
    ).toBe(415);
    expect(
      statusOf(() =>
        decodeProtobufObject(envelope('v1', 'ConfigMap', raw, { contentType: 'application/json' })),
      ).code,
    ).toBe(415);
    expect(
      decodeProtobufObject(envelope('v1', 'ConfigMap', raw, { contentType: PROTOBUF_MEDIA_TYPE })).metadata,
    ).toStrictEqual({ name: 'x' });
  });
});

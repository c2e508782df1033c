// core/v1 Pod, PodSpec and PodTemplateSpec schemas.

import type * as T from '../types/pod.js';
import { anyObject, arr, bool, int32, int64, intOrString, kind, map, quantity, str, stringMap, strings, struct, time, type Schema } from './builders.js';
import { conditions, objectMeta } from './meta.js';

const resourceList = map(quantity);

const fieldRef = struct<T.ObjectFieldSelector>('ObjectFieldSelector', { apiVersion: str, fieldPath: str });
const resourceFieldRef = struct<T.ResourceFieldSelector>('ResourceFieldSelector', {
  containerName: str,
  resource: str,
  divisor: quantity,
});
const keySelector = (name: string): Schema => struct<T.KeySelector>(name, { name: str, key: str, optional: bool });
const optionalRef = (name: string): Schema => struct<{ name?: string; optional?: boolean }>(name, { name: str, optional: bool });

const env = struct<T.EnvVar>('EnvVar', {
  name: str,
  value: str,
  valueFrom: struct<T.EnvVarSource>('EnvVarSource', {
    fieldRef,
    resourceFieldRef,
    configMapKeyRef: keySelector('ConfigMapKeySelector'),
    secretKeyRef: keySelector('SecretKeySelector'),
  }),
});

const envFrom = struct<T.EnvFromSource>('EnvFromSource', {
  prefix: str,
  configMapRef: optionalRef('ConfigMapEnvSource'),
  secretRef: optionalRef('SecretEnvSource'),
});

const exec = struct<T.ExecAction>('ExecAction', { command: strings });
const httpGet = struct<T.HTTPGetAction>('HTTPGetAction', {
  path: str,
  port: intOrString,
  host: str,
  scheme: str,
  httpHeaders: arr(struct<T.HTTPHeader>('HTTPHeader', { name: str, value: str })),
});
const tcpSocket = struct<T.TCPSocketAction>('TCPSocketAction', { port: intOrString, host: str });

const probe = struct<T.Probe>('Probe', {
  exec,
  httpGet,
  tcpSocket,
  grpc: struct<T.GRPCAction>('GRPCAction', { port: int32, service: str }),
  initialDelaySeconds: int32,
  timeoutSeconds: int32,
  periodSeconds: int32,
  successThreshold: int32,
  failureThreshold: int32,
  terminationGracePeriodSeconds: int64,
});

const lifecycleHandler = struct<T.LifecycleHandler>('LifecycleHandler', {
  exec,
  httpGet,
  tcpSocket,
  sleep: struct<{ seconds: number }>('SleepAction', { seconds: int64 }),
});

const securityContext = struct<T.SecurityContext>('SecurityContext', {
  capabilities: struct<T.Capabilities>('Capabilities', { add: strings, drop: strings }),
  privileged: bool,
  runAsUser: int64,
  runAsGroup: int64,
  runAsNonRoot: bool,
  readOnlyRootFilesystem: bool,
  allowPrivilegeEscalation: bool,
  procMount: str,
});

const container = struct<T.Container>('Container', {
  name: str,
  image: str,
  command: strings,
  args: strings,
  workingDir: str,
  ports: arr(
    struct<T.ContainerPort>('ContainerPort', { name: str, hostPort: int32, containerPort: int32, protocol: str, hostIP: str }),
  ),
  envFrom: arr(envFrom),
  env: arr(env),
  resources: struct<T.ResourceRequirements>('ResourceRequirements', { limits: resourceList, requests: resourceList }),
  restartPolicy: str,
  volumeMounts: arr(
    struct<T.VolumeMount>('VolumeMount', {
      name: str,
      mountPath: str,
      readOnly: bool,
      subPath: str,
      subPathExpr: str,
      mountPropagation: str,
    }),
  ),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: struct<T.Lifecycle>('Lifecycle', { postStart: lifecycleHandler, preStop: lifecycleHandler }),
  terminationMessagePath: str,
  terminationMessagePolicy: str,
  imagePullPolicy: str,
  securityContext,
  stdin: bool,
  stdinOnce: bool,
  tty: bool,
});

const keyToPaths = arr(struct<T.KeyToPath>('KeyToPath', { key: str, path: str, mode: int32 }));
type VolumeSource<K extends keyof T.Volume> = NonNullable<T.Volume[K]>;

const volume = struct<T.Volume>('Volume', {
  name: str,
  emptyDir: struct<VolumeSource<'emptyDir'>>('EmptyDirVolumeSource', { medium: str, sizeLimit: quantity }),
  hostPath: struct<VolumeSource<'hostPath'>>('HostPathVolumeSource', { path: str, type: str }),
  configMap: struct<VolumeSource<'configMap'>>('ConfigMapVolumeSource', {
    name: str,
    items: keyToPaths,
    defaultMode: int32,
    optional: bool,
  }),
  secret: struct<VolumeSource<'secret'>>('SecretVolumeSource', {
    secretName: str,
    items: keyToPaths,
    defaultMode: int32,
    optional: bool,
  }),
  persistentVolumeClaim: struct<VolumeSource<'persistentVolumeClaim'>>('PersistentVolumeClaimVolumeSource', {
    claimName: str,
    readOnly: bool,
  }),
  downwardAPI: struct<VolumeSource<'downwardAPI'>>('DownwardAPIVolumeSource', {
    items: arr(
      struct<T.DownwardAPIVolumeFile>('DownwardAPIVolumeFile', { path: str, fieldRef, resourceFieldRef, mode: int32 }),
    ),
    defaultMode: int32,
  }),
});

const toleration = struct<T.Toleration>('Toleration', {
  key: str,
  operator: str,
  value: str,
  effect: str,
  tolerationSeconds: int64,
});

const podSecurityContext = struct<T.PodSecurityContext>('PodSecurityContext', {
  runAsUser: int64,
  runAsGroup: int64,
  runAsNonRoot: bool,
  supplementalGroups: arr(int64),
  fsGroup: int64,
  sysctls: arr(struct<{ name: string; value: string }>('Sysctl', { name: str, value: str })),
});

export const podSpec: Schema = struct<T.PodSpec>('PodSpec', {
  volumes: arr(volume),
  initContainers: arr(container),
  containers: arr(container),
  restartPolicy: str,
  terminationGracePeriodSeconds: int64,
  activeDeadlineSeconds: int64,
  dnsPolicy: str,
  nodeSelector: stringMap,
  serviceAccountName: str,
  serviceAccount: str,
  automountServiceAccountToken: bool,
  nodeName: str,
  hostNetwork: bool,
  hostPID: bool,
  hostIPC: bool,
  shareProcessNamespace: bool,
  securityContext: podSecurityContext,
  imagePullSecrets: arr(struct<{ name?: string }>('LocalObjectReference', { name: str })),
  hostname: str,
  subdomain: str,
  affinity: anyObject('v1.Affinity'),
  schedulerName: str,
  tolerations: arr(toleration),
  hostAliases: arr(struct<T.HostAlias>('HostAlias', { ip: str, hostnames: strings })),
  priorityClassName: str,
  priority: int32,
  dnsConfig: struct<T.PodDNSConfig>('PodDNSConfig', {
    nameservers: strings,
    searches: strings,
    options: arr(struct<{ name?: string; value?: string }>('PodDNSConfigOption', { name: str, value: str })),
  }),
  enableServiceLinks: bool,
  preemptionPolicy: str,
  runtimeClassName: str,
});

export const podTemplateSpec: Schema = struct<T.PodTemplateSpec>('PodTemplateSpec', {
  metadata: objectMeta,
  spec: podSpec,
});

const containerState = struct<T.ContainerState>('ContainerState', {
  waiting: struct<{ reason?: string; message?: string }>('ContainerStateWaiting', { reason: str, message: str }),
  running: struct<{ startedAt?: string }>('ContainerStateRunning', { startedAt: time }),
  terminated: struct<T.ContainerStateDetail>('ContainerStateTerminated', {
    startedAt: time,
    finishedAt: time,
    exitCode: int32,
    signal: int32,
    reason: str,
    message: str,
    containerID: str,
  }),
});

const containerStatuses = arr(
  struct<T.ContainerStatus>('ContainerStatus', {
    name: str,
    state: containerState,
    lastState: containerState,
    ready: bool,
    restartCount: int32,
    image: str,
    imageID: str,
    containerID: str,
    started: bool,
  }),
);

const podIPs = arr(struct<T.PodIP>('PodIP', { ip: str }));

const podStatus = struct<T.PodStatus>('PodStatus', {
  phase: str,
  conditions: conditions('PodCondition'),
  message: str,
  reason: str,
  nominatedNodeName: str,
  hostIP: str,
  hostIPs: podIPs,
  podIP: str,
  podIPs,
  startTime: time,
  initContainerStatuses: containerStatuses,
  containerStatuses,
  qosClass: str,
});

export const pod: Schema = kind<T.Pod>('Pod', { spec: podSpec, status: podStatus }, objectMeta);

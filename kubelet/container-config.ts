// The CRI configs for a pod's sandbox and containers (upstream kuberuntime_sandbox.go and
// kuberuntime_container.go generateContainerConfig). Pure.

import type { Container, Pod } from '../api/types/pod.js';
import type { ContainerConfig, KeyValue, Mount, PodSandboxConfig } from '../runtime/api.js';
import { podDnsConfig, type PodDnsSettings } from './dns/index.js';
import { ANNOTATION_HASH, ANNOTATION_RESTART_COUNT, LABEL_CONTAINER_NAME, LABEL_CONTAINER_TYPE, podLabels } from './labels.js';
import { containerHash } from './pod-actions.js';
import { linuxResources } from './resources.js';

/** podLogDirectory is /var/log/pods/<ns>_<name>_<uid> under the agent's log root, as upstream. */
export function podLogDirectory(logRoot: string, pod: Pod): string {
  const m = pod.metadata;
  return `${logRoot}/${m.namespace}_${m.name}_${m.uid}`;
}

/** sandboxConfig builds the PodSandboxConfig for one sandbox attempt (dns: the node's DNS facts). */
export function sandboxConfig(pod: Pod, attempt: number, logRoot: string, dns?: PodDnsSettings): PodSandboxConfig {
  const m = pod.metadata;
  const ports = pod.spec.containers.flatMap((c) => c.ports ?? []).filter((p) => p.hostPort);
  return {
    metadata: { name: m.name ?? '', namespace: m.namespace ?? '', uid: m.uid ?? '', attempt },
    hostname: pod.spec.hostname ?? m.name ?? '',
    logDirectory: podLogDirectory(logRoot, pod),
    dnsConfig: dns ? podDnsConfig(pod, dns) : undefined,
    portMappings: ports.map((p) => ({
      protocol: (p.protocol ?? 'TCP') as 'TCP' | 'UDP' | 'SCTP',
      containerPort: p.containerPort,
      hostPort: p.hostPort,
      hostIp: p.hostIP,
    })),
    labels: { ...(m.labels ?? {}), ...podLabels(pod) },
    annotations: { ...(m.annotations ?? {}) },
    hostNetwork: pod.spec.hostNetwork ?? false,
  };
}

/** containerConfig builds the ContainerConfig for one container attempt. */
export function containerConfig(pod: Pod, c: Container, init: boolean, restartCount: number, envs: KeyValue[], mounts: Mount[]): ContainerConfig {
  const sc = c.securityContext ?? {};
  const psc = pod.spec.securityContext ?? {};
  return {
    metadata: { name: c.name, attempt: restartCount },
    image: { image: c.image ?? '' },
    command: c.command ?? [],
    args: c.args ?? [],
    workingDir: c.workingDir,
    envs,
    mounts,
    labels: { ...podLabels(pod), [LABEL_CONTAINER_NAME]: c.name, [LABEL_CONTAINER_TYPE]: init ? 'init' : 'app' },
    annotations: { [ANNOTATION_HASH]: containerHash(c), [ANNOTATION_RESTART_COUNT]: String(restartCount) },
    logPath: `${c.name}/${restartCount}.log`,
    linux: {
      resources: linuxResources(c),
      securityContext: {
        runAsUser: sc.runAsUser ?? psc.runAsUser,
        runAsGroup: sc.runAsGroup ?? psc.runAsGroup,
        runAsNonRoot: sc.runAsNonRoot ?? psc.runAsNonRoot,
        readonlyRootfs: sc.readOnlyRootFilesystem,
        privileged: sc.privileged,
        noNewPrivs: sc.allowPrivilegeEscalation === false,
        capabilities: sc.capabilities ? { addCapabilities: sc.capabilities.add ?? [], dropCapabilities: sc.capabilities.drop ?? [] } : undefined,
      },
    },
  };
}

/** pullPolicy applies the API default: Always for :latest or untagged images, else IfNotPresent. */
export function pullPolicy(c: Container): string {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const image = c.image ?? '';
  const tagged = /:[^/]+$/.test(image) || image.includes('@');
  return !tagged || image.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

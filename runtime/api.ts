// The container runtime interface the node agent uses, shaped like Kubernetes' CRI
// (staging/src/k8s.io/cri-api/pkg/apis/runtime/v1/api.proto), in TypeScript. Implemented by the
// runc-based runtime (behind the gRPC service in runtime/, called through its client) and by the
// in-memory fake runtime. Every call is idempotent by contract: stopping a stopped container or
// removing a removed sandbox succeeds, as CRI requires.

export interface KeyValue {
  key: string;
  value: string;
}

export interface PodSandboxMetadata {
  name: string;
  namespace: string;
  uid: string;
  attempt: number;
}

export interface PortMapping {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname: string;
  /** Directory where the runtime keeps this pod's container logs. */
  logDirectory: string;
  dnsConfig?: { servers: string[]; searches: string[]; options: string[] };
  portMappings: PortMapping[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Cgroup parent for the pod (per-pod cgroup under the node's pods cgroup). */
  cgroupParent?: string;
  hostNetwork?: boolean;
}

export type SandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: SandboxState;
  createdAt: number; // ns since epoch, as CRI
  network: { ip: string; additionalIps: string[] };
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: SandboxState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerMetadata {
  name: string;
  attempt: number;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly: boolean;
}

export interface LinuxContainerResources {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  pidsLimit?: number;
}

export interface LinuxContainerSecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  readonlyRootfs?: boolean;
  privileged?: boolean;
  noNewPrivs?: boolean;
  capabilities?: { addCapabilities: string[]; dropCapabilities: string[] };
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: { image: string };
  command: string[];
  args: string[];
  workingDir?: string;
  envs: KeyValue[];
  mounts: Mount[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Relative to the sandbox's logDirectory. */
  logPath: string;
  linux?: { resources?: LinuxContainerResources; securityContext?: LinuxContainerSecurityContext };
  stopSignal?: string;
}

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: { image: string };
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  image: { image: string };
  imageRef: string;
  /** 'Completed', 'Error', 'OOMKilled', ... as the kubelet reports it. */
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: Mount[];
  logPath: string;
}

export interface ExecSyncResponse {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  /** From the image config, for the agent to combine with the pod spec by Kubernetes' rules. */
  spec?: ImageConfigSummary;
}

export interface ImageConfigSummary {
  entrypoint: string[];
  cmd: string[];
  env: string[];
  workingDir: string;
  user: string;
  exposedPorts: string[];
  stopSignal?: string;
}

export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  registryToken?: string;
}

export interface ContainerFilter {
  id?: string;
  podSandboxId?: string;
  state?: ContainerState;
  labelSelector?: Record<string, string>;
}

export interface PodSandboxFilter {
  id?: string;
  state?: SandboxState;
  labelSelector?: Record<string, string>;
}

export interface VersionInfo {
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

/** The runtime service: sandboxes, containers and images. */
export interface RuntimeService {
  version(): Promise<VersionInfo>;
  /** CRI's UpdateRuntimeConfig: the node agent hands over the node's pod CIDR once it knows it. */
  updateRuntimeConfig(config: RuntimeConfig): Promise<void>;

  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  stopPodSandbox(id: string): Promise<void>;
  removePodSandbox(id: string): Promise<void>;
  podSandboxStatus(id: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM (or the stop signal), then SIGKILL after timeoutSeconds. */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  containerStatus(id: string): Promise<ContainerStatus>;
  execSync(id: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse>;
  reopenContainerLog(id: string): Promise<void>;

  pullImage(image: string, auth?: AuthConfig): Promise<string>;
  listImages(): Promise<Image[]>;
  /** undefined when the image is not present. */
  imageStatus(image: string): Promise<Image | undefined>;
  removeImage(image: string): Promise<void>;
}

/** RuntimeConfig is what the node agent tells the runtime about the node's pod network. */
export interface RuntimeConfig {
  /** The node's spec.podCIDR: new sandboxes get their addresses from it. */
  podCidr: string;
  /**
   * Whether the pod bridge masquerades traffic leaving the pod CIDR (the default). An agent whose
   * service proxy masquerades traffic leaving the cluster turns it off, so pod-to-pod traffic
   * across nodes keeps its source address.
   */
  ipMasq?: boolean;
}

/** A runtime call failed; `code` follows gRPC status names so both sides of the wire agree. */
export class RuntimeError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'INVALID_ARGUMENT' | 'FAILED_PRECONDITION' | 'DEADLINE_EXCEEDED' | 'INTERNAL' | 'UNAVAILABLE',
    message: string,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}

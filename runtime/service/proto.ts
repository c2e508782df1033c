// The runtime's gRPC API: CRI-shaped, our own package (skiff.runtime.v1). Kept as a string so it
// is loaded the same way from runtime/ (tests) and dist/ (no .proto file to copy). Field names are
// the TypeScript names of runtime/api.ts, so messages map onto those types one to one.
export const RUNTIME_PROTO = `
syntax = "proto3";
package skiff.runtime.v1;

message KeyValue { string key = 1; string value = 2; }
message PodSandboxMetadata { string name = 1; string namespace = 2; string uid = 3; int32 attempt = 4; }
message PortMapping { string protocol = 1; int32 containerPort = 2; optional int32 hostPort = 3; optional string hostIp = 4; }
message DnsConfig { repeated string servers = 1; repeated string searches = 2; repeated string options = 3; }
message PodSandboxConfig {
  PodSandboxMetadata metadata = 1; string hostname = 2; string logDirectory = 3; optional DnsConfig dnsConfig = 4;
  repeated PortMapping portMappings = 5; map<string, string> labels = 6; map<string, string> annotations = 7;
  optional string cgroupParent = 8; optional bool hostNetwork = 9;
}
message PodSandboxNetworkStatus { string ip = 1; repeated string additionalIps = 2; }
message PodSandboxStatus {
  string id = 1; PodSandboxMetadata metadata = 2; string state = 3; int64 createdAt = 4; PodSandboxNetworkStatus network = 5;
  map<string, string> labels = 6; map<string, string> annotations = 7;
}
message PodSandbox {
  string id = 1; PodSandboxMetadata metadata = 2; string state = 3; int64 createdAt = 4;
  map<string, string> labels = 5; map<string, string> annotations = 6;
}
message ContainerMetadata { string name = 1; int32 attempt = 2; }
message ImageSpec { string image = 1; }
message Mount { string containerPath = 1; string hostPath = 2; bool readonly = 3; }
message LinuxContainerResources {
  optional int64 cpuPeriod = 1; optional int64 cpuQuota = 2; optional int64 cpuShares = 3;
  optional int64 memoryLimitInBytes = 4; optional int64 pidsLimit = 5;
}
message Capability { repeated string addCapabilities = 1; repeated string dropCapabilities = 2; }
message LinuxContainerSecurityContext {
  optional int64 runAsUser = 1; optional int64 runAsGroup = 2; optional bool runAsNonRoot = 3; optional bool readonlyRootfs = 4;
  optional bool privileged = 5; optional bool noNewPrivs = 6; optional Capability capabilities = 7;
}
message LinuxContainerConfig { optional LinuxContainerResources resources = 1; optional LinuxContainerSecurityContext securityContext = 2; }
message ContainerConfig {
  ContainerMetadata metadata = 1; ImageSpec image = 2; repeated string command = 3; repeated string args = 4;
  optional string workingDir = 5; repeated KeyValue envs = 6; repeated Mount mounts = 7;
  map<string, string> labels = 8; map<string, string> annotations = 9; string logPath = 10;
  optional LinuxContainerConfig linux = 11; optional string stopSignal = 12;
}
message Container {
  string id = 1; string podSandboxId = 2; ContainerMetadata metadata = 3; ImageSpec image = 4; string imageRef = 5;
  string state = 6; int64 createdAt = 7; map<string, string> labels = 8; map<string, string> annotations = 9;
}
message ContainerStatus {
  string id = 1; ContainerMetadata metadata = 2; string state = 3; int64 createdAt = 4; int64 startedAt = 5;
  int64 finishedAt = 6; int32 exitCode = 7; ImageSpec image = 8; string imageRef = 9; string reason = 10;
  string message = 11; map<string, string> labels = 12; map<string, string> annotations = 13;
  repeated Mount mounts = 14; string logPath = 15;
}
message ImageConfigSummary {
  repeated string entrypoint = 1; repeated string cmd = 2; repeated string env = 3; string workingDir = 4;
  string user = 5; repeated string exposedPorts = 6; optional string stopSignal = 7;
}
message Image { string id = 1; repeated string repoTags = 2; repeated string repoDigests = 3; int64 size = 4; optional ImageConfigSummary spec = 5; }
message AuthConfig { optional string username = 1; optional string password = 2; optional string auth = 3; optional string registryToken = 4; }
message ContainerFilter { optional string id = 1; optional string podSandboxId = 2; optional string state = 3; map<string, string> labelSelector = 4; }
message PodSandboxFilter { optional string id = 1; optional string state = 2; map<string, string> labelSelector = 3; }

message Empty {}
message IdRequest { string id = 1; }
message IdResponse { string id = 1; }
message VersionResponse { string version = 1; string runtimeName = 2; string runtimeVersion = 3; string runtimeApiVersion = 4; }
message RunPodSandboxRequest { PodSandboxConfig config = 1; }
message ListPodSandboxRequest { optional PodSandboxFilter filter = 1; }
message ListPodSandboxResponse { repeated PodSandbox items = 1; }
message CreateContainerRequest { string podSandboxId = 1; ContainerConfig config = 2; PodSandboxConfig sandboxConfig = 3; }
message StopContainerRequest { string id = 1; int64 timeoutSeconds = 2; }
message ListContainersRequest { optional ContainerFilter filter = 1; }
message ListContainersResponse { repeated Container items = 1; }
message ExecSyncRequest { string id = 1; repeated string cmd = 2; int64 timeoutSeconds = 3; }
message ExecSyncResponse { bytes stdout = 1; bytes stderr = 2; int32 exitCode = 3; }
message PullImageRequest { string image = 1; optional AuthConfig auth = 2; }
message ImageRequest { string image = 1; }
message ListImagesResponse { repeated Image items = 1; }
message ImageStatusResponse { optional Image image = 1; }
message RuntimeConfig { string podCidr = 1; optional bool ipMasq = 2; }
message UpdateRuntimeConfigRequest { RuntimeConfig config = 1; }
message ImportImageRequest { string path = 1; optional string name = 2; }
message ImportedImage { string name = 1; string manifestDigest = 2; }
message ImportImageResponse { repeated ImportedImage items = 1; }

// Every call is idempotent by contract, as CRI requires: stopping a stopped container, removing a
// removed container, sandbox or image succeeds. Errors carry gRPC codes: NOT_FOUND,
// INVALID_ARGUMENT, FAILED_PRECONDITION, DEADLINE_EXCEEDED, INTERNAL, UNAVAILABLE.
service RuntimeService {
  rpc Version(Empty) returns (VersionResponse);
  // UpdateRuntimeConfig: the node's pod CIDR, from the node agent; new sandboxes use it. Kept on disk.
  rpc UpdateRuntimeConfig(UpdateRuntimeConfigRequest) returns (Empty);
  // RunPodSandbox creates namespaces, the pod network and the pod's files; returns the sandbox id.
  rpc RunPodSandbox(RunPodSandboxRequest) returns (IdResponse);
  // StopPodSandbox kills the pod's containers and releases its network; repeatable.
  rpc StopPodSandbox(IdRequest) returns (Empty);
  // RemovePodSandbox removes containers, namespaces, IP, cgroups, mounts and state; repeatable.
  rpc RemovePodSandbox(IdRequest) returns (Empty);
  rpc PodSandboxStatus(IdRequest) returns (PodSandboxStatus);
  rpc ListPodSandbox(ListPodSandboxRequest) returns (ListPodSandboxResponse);
  rpc CreateContainer(CreateContainerRequest) returns (IdResponse);
  // StartContainer on a running container succeeds.
  rpc StartContainer(IdRequest) returns (Empty);
  // StopContainer: stop signal, SIGKILL after timeoutSeconds; a stopped container is fine.
  rpc StopContainer(StopContainerRequest) returns (Empty);
  // RemoveContainer kills if needed and deletes; an absent container is fine.
  rpc RemoveContainer(IdRequest) returns (Empty);
  rpc ListContainers(ListContainersRequest) returns (ListContainersResponse);
  rpc ContainerStatus(IdRequest) returns (ContainerStatus);
  rpc ExecSync(ExecSyncRequest) returns (ExecSyncResponse);
  rpc ReopenContainerLog(IdRequest) returns (Empty);
  // PullImage of a present image returns its id without a network call.
  rpc PullImage(PullImageRequest) returns (IdResponse);
  rpc ListImages(Empty) returns (ListImagesResponse);
  // ImageStatus answers with no image when it is not present.
  rpc ImageStatus(ImageRequest) returns (ImageStatusResponse);
  // RemoveImage of an absent image succeeds.
  rpc RemoveImage(ImageRequest) returns (Empty);
  // ImportImage (not in CRI): loads an OCI layout or docker save archive at a path on this node;
  // name names an image the archive leaves unnamed. Importing the same archive again is fine.
  rpc ImportImage(ImportImageRequest) returns (ImportImageResponse);
}
`;

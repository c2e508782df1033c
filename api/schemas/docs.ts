// Human descriptions of the API types, keyed by Go struct name then JSON field, for the OpenAPI
// documents (`kubectl explain`). Written for Skiff; `''` is the description of the type itself.
// Types or fields missing here are served without a description.

export type TypeDocs = Readonly<Record<string, string>>;

const TYPE_META = {
  apiVersion:
    'The versioned schema of this representation of the object, e.g. "apps/v1". Servers convert recognised schemas to the latest internal value and may reject unrecognised ones.',
  kind: 'The REST resource this object represents, in CamelCase, e.g. "Deployment". Inferred from the endpoint the client sends the request to; cannot be updated.',
  metadata:
    'Standard object metadata: name, namespace, labels, annotations, owners and the fields the server maintains.',
};

const LIST_KEYED_BY_NAME = 'Entries are merged by name when patched.';

export const DOCS: Readonly<Record<string, TypeDocs>> = {
  Deployment: {
    '': 'A Deployment keeps a set of identical pods running and rolls out changes to their template declaratively, through ReplicaSets.',
    ...TYPE_META,
    spec: 'The desired state of the Deployment: how many pods, which pods, and how to replace them.',
    status: 'The state the Deployment was last observed in. Written by the deployment controller; read-only.',
  },
  DeploymentSpec: {
    '': 'DeploymentSpec is the desired behaviour of a Deployment.',
    replicas: 'How many pods should run. Zero is allowed; a missing value means 1.',
    selector:
      'The label query that picks the pods this Deployment manages. It must match the labels of the pod template and cannot change after creation in apps/v1.',
    template:
      'The pod template: every pod the Deployment creates is made from it. Only restartPolicy "Always" is allowed.',
    strategy: 'How existing pods are replaced by new ones when the template changes.',
    minReadySeconds:
      'How long a newly created pod must be ready, with no container crashing, before it counts as available. Defaults to 0: available as soon as it is ready.',
    revisionHistoryLimit:
      'How many old ReplicaSets to keep so that a rollout can be undone. Defaults to 10; 0 keeps none.',
    paused: 'While true, changes to the template do not start a rollout (kubectl rollout pause / resume).',
    progressDeadlineSeconds:
      'How long a rollout may go without progress before the Deployment reports it as failed in its Progressing condition (reason ProgressDeadlineExceeded). Defaults to 600 seconds. Must be greater than minReadySeconds.',
  },
  DeploymentStrategy: {
    '': 'DeploymentStrategy says how old pods are replaced by new ones.',
    type: 'Either "Recreate" (stop all old pods before starting new ones) or "RollingUpdate" (replace them gradually). Defaults to RollingUpdate.',
    rollingUpdate: 'Parameters of a rolling update; only present when type is RollingUpdate.',
  },
  RollingUpdateDeployment: {
    '': 'RollingUpdateDeployment bounds how fast a rolling update may go.',
    maxUnavailable:
      'How many of the desired pods may be unavailable during the update: a number or a percentage of replicas (rounded down). Defaults to 25%. Cannot be 0 when maxSurge is 0.',
    maxSurge:
      'How many pods may be created above the desired number during the update: a number or a percentage of replicas (rounded up). Defaults to 25%. Cannot be 0 when maxUnavailable is 0.',
  },
  DeploymentStatus: {
    '': 'DeploymentStatus is the most recently observed state of a Deployment.',
    observedGeneration: 'The metadata.generation the deployment controller last acted on.',
    replicas: 'Pods (not terminating) selected by this Deployment, old and new.',
    updatedReplicas: 'Pods (not terminating) made from the current template.',
    readyReplicas: 'Pods with a Ready condition.',
    availableReplicas: 'Pods that have been ready for at least minReadySeconds.',
    unavailableReplicas: 'Pods still needed to reach the desired number of available pods.',
    terminatingReplicas: 'Pods being deleted.',
    conditions: 'The latest observations of the Deployment: Available, Progressing and ReplicaFailure.',
    collisionCount:
      'Counts hash collisions of the template; mixed into the name of the next ReplicaSet to avoid them.',
  },
  ReplicaSet: {
    '': 'A ReplicaSet keeps a given number of pod replicas running. Usually owned and managed by a Deployment.',
    ...TYPE_META,
    spec: 'The desired state of the ReplicaSet.',
    status: 'The state the ReplicaSet was last observed in; read-only.',
  },
  ReplicaSetSpec: {
    '': 'ReplicaSetSpec is the desired state of a ReplicaSet.',
    replicas: 'How many pods should run. Defaults to 1.',
    minReadySeconds: 'How long a new pod must be ready before it counts as available. Defaults to 0.',
    selector: 'The label query over pods counted as replicas. It must match the labels of the template.',
    template: 'The pod template used to create missing replicas.',
  },
  Pod: {
    '': 'A Pod is a group of containers that run together on one node, sharing a network namespace and volumes.',
    ...TYPE_META,
    spec: 'The desired behaviour of the pod: its containers, volumes and scheduling constraints.',
    status: 'The state of the pod as last reported by its node; read-only.',
  },
  PodTemplateSpec: {
    '': 'PodTemplateSpec describes the pods a workload creates.',
    metadata: 'Labels and annotations given to every pod made from this template.',
    spec: 'The spec of every pod made from this template.',
  },
  PodSpec: {
    '': 'PodSpec describes a pod.',
    volumes: `Volumes that containers of this pod can mount. ${LIST_KEYED_BY_NAME}`,
    initContainers:
      'Containers run one after the other, each to completion, before the regular containers start. A failing init container is retried according to restartPolicy.',
    containers: `The containers of the pod. At least one; they cannot be added or removed once the pod exists. ${LIST_KEYED_BY_NAME}`,
    restartPolicy: 'When containers are restarted: "Always" (default), "OnFailure" or "Never".',
    terminationGracePeriodSeconds:
      'Seconds the containers get between the termination signal and being killed, when the pod is deleted. Defaults to 30; 0 kills at once.',
    activeDeadlineSeconds:
      'How long the pod may be active on its node before it is failed and its containers killed.',
    dnsPolicy:
      'How DNS is set up for the pod: "ClusterFirst" (default), "ClusterFirstWithHostNet", "Default" or "None".',
    nodeSelector: 'Labels a node must carry for the pod to be scheduled on it.',
    serviceAccountName: 'The ServiceAccount the pod runs as.',
    serviceAccount: 'Deprecated alias of serviceAccountName.',
    automountServiceAccountToken: 'Whether a service account token is mounted into the containers.',
    nodeName:
      'The node the pod is bound to. Set by the scheduler; setting it yourself skips scheduling. Cannot change once set.',
    hostNetwork: "Use the node's network namespace instead of a pod network. Defaults to false.",
    hostPID: "Use the node's PID namespace. Defaults to false.",
    hostIPC: "Use the node's IPC namespace. Defaults to false.",
    shareProcessNamespace:
      "Let the containers of the pod see and signal each other's processes. Defaults to false.",
    securityContext:
      'Pod-wide security settings (user and group ids, fsGroup, sysctls); containers may override some.',
    imagePullSecrets: 'Secrets in the same namespace holding registry credentials for pulling the images.',
    hostname: 'The hostname of the pod; defaults to the pod name.',
    subdomain:
      'When set, the fully qualified name is "<hostname>.<subdomain>.<namespace>.svc.<cluster domain>".',
    affinity: 'Node affinity, pod affinity and pod anti-affinity rules for scheduling.',
    schedulerName: 'The scheduler that places the pod. Defaults to "default-scheduler".',
    tolerations: 'Taints this pod tolerates.',
    hostAliases: 'Extra entries for the /etc/hosts file of the containers.',
    priorityClassName: 'The PriorityClass that gives the pod its priority.',
    priority:
      'The priority of the pod, resolved from priorityClassName at admission. Higher is more important.',
    dnsConfig: 'DNS settings merged into those dnsPolicy generates.',
    enableServiceLinks:
      'Whether environment variables describing the services of the namespace are injected. Defaults to true.',
    preemptionPolicy:
      'Whether this pod may preempt lower-priority pods: "PreemptLowerPriority" (default) or "Never".',
    runtimeClassName: 'The RuntimeClass used to run this pod.',
  },
  Container: {
    '': 'A single container of a pod.',
    name: 'Name of the container, unique within the pod (a DNS label). Cannot be updated.',
    image: 'The container image, e.g. "nginx:1.25".',
    command:
      "The entrypoint, run without a shell. Replaces the image's ENTRYPOINT. $(VAR) references to the container's environment are expanded. Cannot be updated.",
    args: "Arguments to the entrypoint. Replaces the image's CMD. $(VAR) references are expanded. Cannot be updated.",
    workingDir: "The working directory; defaults to the image's. Cannot be updated.",
    ports:
      'Ports the container listens on. Informational: any port the container listens on is reachable from the network anyway. Merged by containerPort when patched.',
    envFrom:
      'Sources (ConfigMaps, Secrets) whose keys all become environment variables. Explicit env entries win.',
    env: `Environment variables of the container. ${LIST_KEYED_BY_NAME}`,
    resources: 'Compute resources (cpu, memory) the container requests and is limited to.',
    restartPolicy:
      'Only for init containers: "Always" turns the init container into a sidecar that keeps running.',
    volumeMounts: 'Volumes of the pod mounted into this container. Merged by mountPath when patched.',
    livenessProbe:
      'Checks that the container is alive; the container is restarted when it fails. Cannot be updated.',
    readinessProbe:
      'Checks that the container can serve; the pod is taken out of Service endpoints while it fails. Cannot be updated.',
    startupProbe:
      'Checks that the container has started; the other probes wait until it succeeds. Cannot be updated.',
    lifecycle: 'Actions run right after the container starts and right before it is stopped.',
    terminationMessagePath:
      'File whose contents become the termination message. Defaults to /dev/termination-log.',
    terminationMessagePolicy:
      '"File" (default) or "FallbackToLogsOnError": use the end of the log when the file is empty.',
    imagePullPolicy:
      '"Always", "Never" or "IfNotPresent". Defaults to Always for the :latest tag, IfNotPresent otherwise.',
    securityContext: 'Security settings of this container, overriding those of the pod.',
    stdin: 'Keep a stdin buffer open for the container (kubectl attach). Defaults to false.',
    stdinOnce: 'Close stdin after the first attached session ends. Defaults to false.',
    tty: 'Allocate a TTY for the container; needs stdin. Defaults to false.',
  },
  ContainerPort: {
    '': 'A network port of a container.',
    name: 'An IANA service name, unique within the pod, that Services can refer to.',
    hostPort: "Port to expose on the node's address. Most containers do not need it.",
    containerPort: "The port number on the pod's IP address (1-65535).",
    protocol: '"TCP" (default), "UDP" or "SCTP".',
    hostIP: 'Node address the host port binds to.',
  },
  EnvVar: {
    '': 'An environment variable of a container.',
    name: 'Name of the variable.',
    value:
      'Literal value. $(VAR) references to variables defined earlier are expanded; $$(VAR) escapes. Defaults to "".',
    valueFrom:
      'Where the value comes from instead of value: a field of the pod, a resource of the container, a ConfigMap or a Secret key.',
  },
  EnvVarSource: {
    '': 'The source of an environment variable value.',
    fieldRef: 'A field of the pod, e.g. metadata.name, metadata.namespace, spec.nodeName, status.podIP.',
    resourceFieldRef: 'A resource request or limit of a container, e.g. limits.memory.',
    configMapKeyRef: 'A key of a ConfigMap.',
    secretKeyRef: "A key of a Secret in the pod's namespace.",
  },
  ResourceRequirements: {
    '': 'Compute resources of a container.',
    limits: 'The most of each resource the container may use.',
    requests:
      'The resources the scheduler reserves for the container. Default to the limits when only those are given.',
  },
  VolumeMount: {
    '': 'A volume mounted into a container.',
    name: 'Name of a volume of the pod.',
    mountPath: 'Path in the container where the volume appears. Must not contain ":".',
    readOnly: 'Mount read-only. Defaults to false.',
    subPath: "Mount this path inside the volume instead of the volume's root.",
    subPathExpr: 'Like subPath, with $(VAR) references to the environment expanded.',
    mountPropagation:
      'How mounts propagate between host and container: "None" (default), "HostToContainer" or "Bidirectional".',
  },
  Volume: {
    '': 'A named volume of a pod; exactly one source field is set.',
    name: 'Name of the volume, unique within the pod; volume mounts refer to it.',
    emptyDir: 'A fresh empty directory that lives as long as the pod.',
    hostPath: 'A file or directory of the node. Use with care.',
    configMap: 'Files made from the keys of a ConfigMap.',
    secret: 'Files made from the keys of a Secret.',
    persistentVolumeClaim: 'A PersistentVolumeClaim in the same namespace.',
    downwardAPI: 'Files holding fields of the pod.',
  },
  Probe: {
    '': 'A health check performed against a container; exactly one of exec, httpGet, tcpSocket and grpc is set.',
    initialDelaySeconds: 'Seconds after the container started before the first probe.',
    timeoutSeconds: 'Seconds after which a probe times out. Defaults to 1.',
    periodSeconds: 'How often to probe, in seconds. Defaults to 10.',
    successThreshold: 'Consecutive successes needed after a failure. Defaults to 1.',
    failureThreshold: 'Consecutive failures after which the probe counts as failed. Defaults to 3.',
  },
  Service: {
    '': 'A Service gives a set of pods, picked by a label selector, one stable virtual address and DNS name, and balances connections over them.',
    ...TYPE_META,
    spec: 'The desired behaviour of the service: its ports, selector and type.',
    status: 'The most recently observed status of the service; read-only.',
  },
  ServiceSpec: {
    '': 'ServiceSpec describes a Service.',
    ports: 'The ports the service exposes. Merged by port when patched.',
    selector:
      'Connections go to the pods whose labels match these. When empty, the endpoints are managed outside Skiff. Ignored for ExternalName services.',
    clusterIP:
      'The virtual IP of the service, allocated from the service range unless given. "None" makes a headless service. Can only change to or from "None" by recreating the service.',
    clusterIPs: 'The virtual IPs of the service, one per IP family; the first equals clusterIP.',
    type: '"ClusterIP" (default: a virtual IP inside the cluster), "NodePort" (also a port on every node), "LoadBalancer" (also an external load balancer) or "ExternalName" (a DNS alias).',
    externalIPs: 'Addresses outside the cluster for which nodes also accept traffic to this service.',
    sessionAffinity:
      '"ClientIP" sends a client\'s connections to the same pod; "None" (default) balances each connection.',
    loadBalancerIP: 'Deprecated: the address requested from the load balancer.',
    loadBalancerSourceRanges: 'Client address ranges allowed through the load balancer.',
    externalName: 'The DNS name an ExternalName service is an alias of.',
    externalTrafficPolicy:
      '"Cluster" (default) or "Local": external traffic only goes to pods on the receiving node, keeping the client address.',
    healthCheckNodePort: 'Node port for load balancer health checks when externalTrafficPolicy is Local.',
    publishNotReadyAddresses: 'List pods in the endpoints and DNS even while they are not ready.',
    sessionAffinityConfig: 'Settings of session affinity.',
    ipFamilies: 'IP families (IPv4, IPv6) of the service.',
    ipFamilyPolicy: '"SingleStack" (default), "PreferDualStack" or "RequireDualStack".',
    allocateLoadBalancerNodePorts: 'Whether LoadBalancer services get node ports. Defaults to true.',
    loadBalancerClass: 'The load balancer implementation in charge of this service.',
    internalTrafficPolicy:
      '"Cluster" (default) or "Local": traffic from inside the cluster only goes to pods on the same node.',
  },
  ServicePort: {
    '': 'A port of a Service.',
    name: 'Name of the port, unique within the service; required when there is more than one port.',
    protocol: '"TCP" (default), "UDP" or "SCTP".',
    appProtocol: 'The application protocol of the port, e.g. "http".',
    port: 'The port the service listens on.',
    targetPort:
      'The port of the pods that connections go to: a number or the name of a container port. Defaults to the value of port.',
    nodePort: 'The port on every node for NodePort and LoadBalancer services; allocated when not given.',
  },
  ConfigMap: {
    '': 'A ConfigMap holds configuration data, as keys and values, for pods to consume as environment variables or files.',
    ...TYPE_META,
    immutable: 'When true, the data can no longer be changed, only the object deleted.',
    data: 'UTF-8 configuration values by key. Keys consist of alphanumerics, "-", "_" or "."; they must not also appear in binaryData.',
    binaryData: 'Binary values by key, base64 encoded. Keys must not also appear in data.',
  },
  Secret: {
    '': 'A Secret holds a small amount of sensitive data, such as a password, a token or a key.',
    ...TYPE_META,
    immutable: 'When true, the data can no longer be changed, only the object deleted.',
    data: 'Secret values by key, base64 encoded.',
    stringData: 'Write-only convenience: plain-text values merged into data on write. Never read back.',
    type: 'Used to check and process the data, e.g. "Opaque" (default) or "kubernetes.io/tls".',
  },
  Namespace: {
    '': 'A Namespace is a scope for names. Deleting it deletes everything in it.',
    ...TYPE_META,
    spec: 'The desired state of the namespace.',
    status: 'The state of the namespace: Active or Terminating.',
  },
  Node: {
    '': 'A Node is a machine (or hollow stand-in) that runs pods. Its agent registers it and reports its status.',
    ...TYPE_META,
    spec: 'How the node may be used: pod address range, taints and whether new pods may be scheduled.',
    status: 'The most recently reported state of the node; read-only.',
  },
  NodeSpec: {
    '': 'NodeSpec describes how a node may be used.',
    podCIDR: 'The pod address range of the node.',
    podCIDRs: 'The pod address ranges of the node, one per IP family.',
    providerID: 'The ID the infrastructure provider gives the node.',
    unschedulable: 'When true no new pods are scheduled onto the node (kubectl cordon).',
    taints: 'Taints that keep pods without a matching toleration away from the node.',
  },
  ObjectMeta: {
    '': 'ObjectMeta is the metadata every persisted object carries.',
    name: 'Name of the object, unique within its namespace and kind. Cannot be updated.',
    generateName: 'A prefix from which the server generates a unique name when name is empty.',
    namespace: 'The namespace of the object. Empty means "default" for namespaced kinds. Cannot be updated.',
    selfLink: 'Deprecated and always empty.',
    uid: 'Unique id of this object over time, set by the server. Read-only.',
    resourceVersion:
      'Opaque version of this object, for optimistic concurrency and watches. Set by the server on every change; clients must not interpret it.',
    generation: 'A sequence number of changes to the desired state. Set by the server. Read-only.',
    creationTimestamp:
      'When the object was created, in RFC 3339 form at second precision. Set by the server. Read-only.',
    deletionTimestamp:
      'When the object is due to be deleted, set by the server on a graceful delete. Once set it can only move earlier. Read-only.',
    deletionGracePeriodSeconds: 'Seconds the object is allowed to terminate gracefully. Read-only.',
    labels: 'Keys and values that label selectors of controllers and services match against.',
    annotations: 'Arbitrary non-identifying keys and values tools store on the object.',
    ownerReferences:
      'Objects this object depends on. Once all of them are gone, the garbage collector deletes this object. At most one may be the managing controller.',
    finalizers:
      'Tasks that must finish before the object is removed from storage; each is removed by whoever finished it.',
    managedFields: 'Which field manager owns which fields, for server-side apply. Mostly for internal use.',
  },
  LabelSelector: {
    '': 'A label query over a set of objects; the requirements of matchLabels and matchExpressions are ANDed. An empty selector matches everything.',
    matchLabels: 'Equality requirements: key = value for each entry.',
    matchExpressions: 'Set-based requirements (In, NotIn, Exists, DoesNotExist).',
  },
  Event: {
    '': 'An Event reports something that happened to an object, e.g. a pod was scheduled or a ReplicaSet created a pod.',
    ...TYPE_META,
    involvedObject: 'The object this event is about.',
    reason: 'Short machine-readable reason for the event, in CamelCase.',
    message: 'Human-readable description of the event.',
    type: '"Normal" or "Warning".',
    count: 'How many times this event occurred.',
  },
};

// The protobuf schema Skiff understands: the hand-written .proto subsets parsed into one root,
// and the message type for each apiVersion/kind a protobuf body may carry.
import protobuf from 'protobufjs';
import { APPS_PROTO } from './proto-apps.js';
import { CORE_PROTO } from './proto-core.js';
import { INTSTR_PROTO, META_PROTO, RESOURCE_PROTO, RUNTIME_PROTO } from './proto-meta.js';

const CORE = 'k8s.io.api.core.v1';
const APPS = 'k8s.io.api.apps.v1';

/** apiVersion/kind → fully qualified message name. Only kinds Skiff serves. */
const KINDS: Readonly<Record<string, string>> = {
  'v1/ConfigMap': `${CORE}.ConfigMap`,
  'v1/Secret': `${CORE}.Secret`,
  'v1/Namespace': `${CORE}.Namespace`,
  'v1/Service': `${CORE}.Service`,
  'v1/Pod': `${CORE}.Pod`,
  'apps/v1/Deployment': `${APPS}.Deployment`,
  'apps/v1/ReplicaSet': `${APPS}.ReplicaSet`,
};

// keepCase: upstream field names already are the JSON names (camelCase with `IP`, `ID`, …).
function buildRoot(): protobuf.Root {
  const root = new protobuf.Root();
  for (const src of [RUNTIME_PROTO, INTSTR_PROTO, RESOURCE_PROTO, META_PROTO, CORE_PROTO, APPS_PROTO]) {
    protobuf.parse(src, root, { keepCase: true });
  }
  root.resolveAll();
  return root;
}

// Parsed on the first protobuf body, not at start: most clients send JSON.
let root: protobuf.Root | undefined;
const protoRoot = (): protobuf.Root => (root ??= buildRoot());

/** The runtime.Unknown envelope every protobuf body comes in. */
export function unknownType(): protobuf.Type {
  return protoRoot().lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
}

/** The message type for an object of this apiVersion and kind, or undefined when unsupported. */
export function typeForKind(apiVersion: string, kind: string): protobuf.Type | undefined {
  const name = KINDS[`${apiVersion}/${kind}`];
  return name ? protoRoot().lookupType(name) : undefined;
}

export function supportedKinds(): string[] {
  return Object.keys(KINDS).map((k) => {
    const i = k.lastIndexOf('/');
    return `${k.slice(0, i)} ${k.slice(i + 1)}`;
  });
}

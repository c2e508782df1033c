// The object model's entry points for the API server: structural decoding checks, unknown
// fields, defaulting and create/update validation, each dispatched on the resource's Kind.

import type { FieldError } from './errors.js';
import type { KubeObject } from './meta.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './names.js';
import type { ResourceInfo } from './registry.js';
import { applyKindDefaults } from './defaults/index.js';
import { schemaErrors, SCHEMAS } from './schemas/index.js';
import { decodeMessage, unknownFieldPaths } from './schemas/structural.js';
import type { Deployment, ReplicaSet } from './types/apps.js';
import type { ConfigMap, Endpoints, Event, Namespace, Node, Secret, Service } from './types/core.js';
import type { Binding, Lease, Scale } from './types/misc.js';
import type { Pod } from './types/pod.js';
import { validateDeploymentSpec, validateReplicaSetSpec } from './validation/apps.js';
import { immutable } from './validation/common.js';
import { validateConfigMapData, validateImmutableData, validateSecretData } from './validation/config.js';
import { validateObjectMeta, validateObjectMetaUpdate, type NameFn } from './validation/meta.js';
import { validateBinding, validateEndpoints, validateEvent, validateLease, validateNamespaceSpec, validateNodeSpec, validateScale } from './validation/misc.js';
import { validatePodSpec } from './validation/pod.js';
import { validatePodSpecUpdate } from './validation/podupdate.js';
import { validateServiceSpec, validateServiceUpdate } from './validation/service.js';

/** Resource facts for the subresource bodies, so the same entry points serve them. */
export const SUBRESOURCE_BODIES = {
  Scale: body('autoscaling', 'Scale', 'scale'),
  Eviction: body('policy', 'Eviction', 'eviction'),
  Binding: body('', 'Binding', 'binding'),
} as const satisfies Record<string, ResourceInfo>;

function body(group: string, kind: string, plural: string): ResourceInfo {
  return { group, version: 'v1', kind, listKind: `${kind}List`, plural, singular: plural, namespaced: true, shortNames: [], categories: [], subresources: [] };
}

/** 400-style decode error (`X in version "v1" cannot be handled as a X: json: ...`), or undefined. */
export function decodeError(res: ResourceInfo, obj: unknown): string | undefined {
  const msg = decodeMessage(rootSchema(res), obj, isObject(obj) ? schemaErrors(res.kind, obj) : []);
  return msg && `${res.kind} in version "${res.version}" cannot be handled as a ${res.kind}: ${msg}`;
}

/** Paths of fields the kind's schema does not know (`spec.template.spec.containers[0].imagee`). */
export function unknownFields(res: ResourceInfo, obj: unknown): string[] {
  rootSchema(res);
  return isObject(obj) ? unknownFieldPaths(obj, schemaErrors(res.kind, obj)) : [];
}

/** Kubernetes' defaults for the kind, applied in place. */
export function applyDefaults(res: ResourceInfo, obj: KubeObject): void {
  applyKindDefaults(res.kind, obj);
}

function rootSchema(res: ResourceInfo) {
  const schema = SCHEMAS[res.kind];
  if (!schema) throw new Error(`no schema for kind ${res.kind}`);
  return schema;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Services are DNS-1035 labels (they become env var prefixes); namespaces are DNS-1123 labels.
const NAME_FNS: Record<string, NameFn> = { Namespace: isDNS1123Label, Service: isDNS1035Label };

type Check = (obj: never) => FieldError[];

const SPEC_CHECKS: Record<string, Check> = {
  Pod: (p: Pod) => validatePodSpec(p.spec ?? ({} as Pod['spec']), 'spec'),
  Deployment: (d: Deployment) => validateDeploymentSpec(d.spec ?? ({} as Deployment['spec'])),
  ReplicaSet: (rs: ReplicaSet) => validateReplicaSetSpec(rs.spec ?? ({} as ReplicaSet['spec'])),
  Service: (s: Service) => validateServiceSpec(s.spec ?? {}),
  ConfigMap: (cm: ConfigMap) => validateConfigMapData(cm),
  Secret: (s: Secret) => validateSecretData(s),
  Namespace: (ns: Namespace) => validateNamespaceSpec(ns),
  Node: (n: Node) => validateNodeSpec(n),
  Event: (e: Event) => validateEvent(e),
  Lease: (l: Lease) => validateLease(l),
  Endpoints: (e: Endpoints) => validateEndpoints(e),
  Scale: (s: Scale) => validateScale(s),
  Binding: (b: Binding) => validateBinding(b),
};

/** Every problem of a new object: metadata first, then the kind's own rules. */
export function validateCreate(res: ResourceInfo, obj: KubeObject): FieldError[] {
  const meta = validateObjectMeta(obj.metadata ?? {}, res.namespaced, NAME_FNS[res.kind] ?? isDNS1123Subdomain);
  return [...meta, ...(SPEC_CHECKS[res.kind]?.(obj as never) ?? [])];
}

type UpdateCheck = (next: never, old: never) => FieldError[];

const UPDATE_CHECKS: Record<string, UpdateCheck> = {
  Pod: (n: Pod, o: Pod) => validatePodSpecUpdate(n.spec ?? ({} as Pod['spec']), o.spec ?? ({} as Pod['spec'])),
  Deployment: (n: Deployment, o: Deployment) => immutable(n.spec?.selector, o.spec?.selector, 'spec.selector'),
  ReplicaSet: (n: ReplicaSet, o: ReplicaSet) => immutable(n.spec?.selector, o.spec?.selector, 'spec.selector'),
  Service: (n: Service, o: Service) => validateServiceUpdate(n.spec ?? {}, o.spec ?? {}),
  ConfigMap: (n: ConfigMap, o: ConfigMap) => validateImmutableData(n, o, ['data', 'binaryData']),
  Secret: (n: Secret, o: Secret) => [
    ...immutable(n.type ?? 'Opaque', o.type ?? 'Opaque', 'type'),
    ...validateImmutableData(n, o, ['data']),
  ],
};

/**
 * Every problem of an update: the new object's own rules (Pods: only the update rules, since
 * their spec is frozen), identity metadata unchanged, and the kind's immutable fields.
 */
export function validateUpdate(res: ResourceInfo, obj: KubeObject, old: KubeObject): FieldError[] {
  const own = res.kind === 'Pod' ? podMetaOnly(res, obj) : validateCreate(res, obj);
  return [
    ...own,
    ...validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {}),
    ...(UPDATE_CHECKS[res.kind]?.(obj as never, old as never) ?? []),
  ];
}

function podMetaOnly(res: ResourceInfo, obj: KubeObject): FieldError[] {
  return validateObjectMeta(obj.metadata ?? {}, res.namespaced, isDNS1123Subdomain);
}

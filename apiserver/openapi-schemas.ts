// The `components.schemas` (v3) and `definitions` (v2) of the OpenAPI documents, derived from the
// JSON Schemas the API server validates with (api/schemas), the descriptions in
// api/schemas/docs.ts, and the strategic-merge / server-side-apply facts the server merges with
// (apiserver/apply/schema.ts). kubectl reads them for `explain`, and 1.30+ (v3) / 1.27+ (v2)
// compute client-side apply patches from them: every list therefore carries the same patch
// strategy and merge key the server uses, else apply would clobber lists.

import { stringify } from 'yaml';
import { RESOURCES } from '../api/registry.js';
import type { Schema } from '../api/schemas/builders.js';
import { DOCS } from '../api/schemas/docs.js';
import { SCHEMAS } from '../api/schemas/index.js';
import {
  fieldSchema,
  itemSchema,
  listType,
  schemaForKind,
  type Schema as MergeSchema,
} from './apply/schema.js';
import { PATCH_META_BY_KIND } from './patch/patch-meta-kinds.js';
import { gvkOf, subresourceInfo, type GroupVersionKind } from './discovery.js';

/** An OpenAPI schema object (the subset Skiff emits), the same shape in v2 and v3. */
export type OpenAPISchema = Record<string, unknown>;

export type OpenAPIVersion = 'v2' | 'v3';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const PACKAGES: Record<string, string[]> = {
  [META]: [
    'ObjectMeta',
    'OwnerReference',
    'ManagedFieldsEntry',
    'LabelSelector',
    'LabelSelectorRequirement',
    'Condition',
    'DeleteOptions',
    'Preconditions',
  ],
  'io.k8s.api.apps.v1': [
    'Deployment',
    'DeploymentSpec',
    'DeploymentStrategy',
    'RollingUpdateDeployment',
    'DeploymentStatus',
    'DeploymentCondition',
    'ReplicaSet',
    'ReplicaSetSpec',
    'ReplicaSetStatus',
    'ReplicaSetCondition',
  ],
  'io.k8s.api.coordination.v1': ['Lease', 'LeaseSpec'],
  'io.k8s.api.autoscaling.v1': ['Scale', 'ScaleSpec', 'ScaleStatus'],
  'io.k8s.api.policy.v1': ['Eviction'],
};
const PACKAGE_OF = new Map(
  Object.entries(PACKAGES).flatMap(([pkg, names]) => names.map((n) => [n, pkg] as const)),
);

/** Leaf Go types upstream serves as named schemas of their own. */
const NAMED_LEAVES: Record<string, { name: string; schema: OpenAPISchema }> = {
  'v1.Time': {
    name: `${META}.Time`,
    schema: {
      type: 'string',
      format: 'date-time',
      description: 'A timestamp in RFC 3339 form, at second precision.',
    },
  },
  'v1.MicroTime': {
    name: `${META}.MicroTime`,
    schema: {
      type: 'string',
      format: 'date-time',
      description: 'A timestamp in RFC 3339 form, at microsecond precision.',
    },
  },
  'v1.FieldsV1': {
    name: `${META}.FieldsV1`,
    schema: { type: 'object', description: 'A set of fields in the trie form server-side apply uses.' },
  },
  'intstr.IntOrString': {
    name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    schema: {
      type: 'string',
      format: 'int-or-string',
      description: 'A value that is either an integer or a string.',
    },
  },
  'resource.Quantity': {
    name: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
    schema: {
      type: 'string',
      description:
        'A fixed-point amount: a number with an optional suffix, e.g. "100m" (0.1), "128Mi" or "1G".',
    },
  },
};

/** Fields upstream marks required (`-required-` in kubectl explain). */
const REQUIRED: Record<string, string[]> = {
  DeploymentSpec: ['selector', 'template'],
  ReplicaSetSpec: ['selector'],
  PodSpec: ['containers'],
  Container: ['name'],
  ContainerPort: ['containerPort'],
  EnvVar: ['name'],
  VolumeMount: ['name', 'mountPath'],
  Volume: ['name'],
  ServicePort: ['port'],
  OwnerReference: ['apiVersion', 'kind', 'name', 'uid'],
  LabelSelectorRequirement: ['key', 'operator'],
  ObjectFieldSelector: ['fieldPath'],
  ResourceFieldSelector: ['resource'],
  ConfigMapKeySelector: ['key'],
  SecretKeySelector: ['key'],
  KeyToPath: ['key', 'path'],
  Taint: ['key', 'effect'],
  NodeAddress: ['type', 'address'],
  Event: ['metadata', 'involvedObject'],
};

// Upstream's `patchStrategy:"retainKeys"` (kubectl sends $retainKeys so a switch of union member
// drops the other one): the deployment strategy and pod volumes.
const RETAIN_KEYS = new Set(['DeploymentSpec.strategy', 'PodSpec.volumes']);

function definitionName(s: Schema): string {
  const title = s.title!;
  return `${PACKAGE_OF.get(title) ?? 'io.k8s.api.core.v1'}.${title}`;
}

/** The root kinds and their GVKs: every served resource's kind plus the subresource bodies. */
function rootKinds(): Map<string, GroupVersionKind> {
  const roots = new Map<string, GroupVersionKind>();
  for (const r of RESOURCES) {
    if (SCHEMAS[r.kind]) roots.set(r.kind, gvkOf(r));
    for (const sub of r.subresources) {
      const gvk = subresourceInfo(r, sub).responseKind;
      if (SCHEMAS[gvk.kind] && !roots.has(gvk.kind)) roots.set(gvk.kind, gvk);
    }
  }
  return roots;
}

const ROOTS = rootKinds();

/** Builds the definitions reachable from some root kinds, for one OpenAPI version. */
class Builder {
  readonly defs: Record<string, OpenAPISchema> = {};
  // Extensions placed on a property, remembered to catch two kinds disagreeing about a shared type.
  private readonly seen = new Map<string, string>();

  constructor(private readonly version: OpenAPIVersion) {}

  private ref(name: string): string {
    return this.version === 'v3' ? `#/components/schemas/${name}` : `#/definitions/${name}`;
  }

  /** A reference with a description beside it, written the way each version's upstream does. */
  private refWith(name: string, description: string | undefined): OpenAPISchema {
    const $ref = this.ref(name);
    if (!description) return { $ref };
    return this.version === 'v3' ? { allOf: [{ $ref }], description } : { $ref, description };
  }

  addKind(kind: string, gvk: GroupVersionKind): void {
    // Subresource bodies (Scale, Eviction, Binding) have no patch metadata beyond ObjectMeta's.
    const merge = schemaForKind(PATCH_META_BY_KIND[kind] ? kind : 'ConfigMap');
    const name = this.struct(SCHEMAS[kind]!, merge);
    this.defs[name]!['x-kubernetes-group-version-kind'] = [
      { group: gvk.group, kind: gvk.kind, version: gvk.version },
    ];
  }

  /** Emits the struct's definition (once) and returns its name. */
  private struct(s: Schema, merge: MergeSchema): string {
    const name = definitionName(s);
    const title = s.title!;
    const docs = DOCS[title] ?? {};
    const fresh = !this.defs[name];
    const def: OpenAPISchema = this.defs[name] ?? { type: 'object' };
    this.defs[name] = def;
    if (fresh && docs['']) def['description'] = docs[''];
    const props = (def['properties'] ??= {}) as Record<string, OpenAPISchema>;
    for (const [field, child] of Object.entries(s.properties ?? {})) {
      const childMerge = fieldSchema(merge, field);
      const prop = this.value(child, childMerge, docs[field]);
      Object.assign(prop, this.extensions(child, childMerge, `${title}.${field}`));
      props[field] = prop;
    }
    if (fresh && REQUIRED[title]) def['required'] = REQUIRED[title];
    return name;
  }

  private value(s: Schema, merge: MergeSchema, description: string | undefined): OpenAPISchema {
    if (s.properties) return this.refWith(this.struct(s, merge), description);
    const leaf = NAMED_LEAVES[s.goType];
    if (leaf) {
      this.defs[leaf.name] ??= leaf.schema;
      return this.refWith(leaf.name, description);
    }
    const out: OpenAPISchema = this.primitive(s);
    if (s.items) out['items'] = this.value(s.items, itemSchema(merge), undefined);
    if (typeof s.additionalProperties === 'object')
      out['additionalProperties'] = this.value(s.additionalProperties, itemSchema(merge), undefined);
    if (description) out['description'] = description;
    return out;
  }

  private primitive(s: Schema): OpenAPISchema {
    const type = (Array.isArray(s.type) ? s.type : [s.type]).filter((t) => t !== 'null')[0] ?? 'object';
    if (s.goType === 'uint8') return { type: 'string', format: 'byte' };
    if (s.goType === 'int32' || s.goType === 'int64') return { type, format: s.goType };
    return { type };
  }

  /** Patch strategy, merge key and list/map type of a property, as the server merges it. */
  private extensions(s: Schema, merge: MergeSchema, where: string): OpenAPISchema {
    const ext: OpenAPISchema = {};
    if (s.items) {
      const meta = merge.meta;
      const strategies = [meta?.patchStrategy, RETAIN_KEYS.has(where) ? 'retainKeys' : undefined].filter(
        Boolean,
      );
      if (meta?.patchMergeKey) ext['x-kubernetes-patch-merge-key'] = meta.patchMergeKey;
      if (strategies.length) ext['x-kubernetes-patch-strategy'] = strategies.join(',');
      const lt = listType(merge);
      ext['x-kubernetes-list-type'] = lt.type;
      if (lt.type === 'map') ext['x-kubernetes-list-map-keys'] = [...lt.keys];
    } else {
      if (RETAIN_KEYS.has(where)) ext['x-kubernetes-patch-strategy'] = 'retainKeys';
      if (merge.atomic) ext['x-kubernetes-map-type'] = 'atomic';
    }
    const key = JSON.stringify(ext);
    const before = this.seen.get(where);
    if (before !== undefined && before !== key)
      throw new Error(`conflicting OpenAPI extensions for ${where}: ${before} vs ${key}`);
    this.seen.set(where, key);
    return ext;
  }
}

function sorted(defs: Record<string, OpenAPISchema>): Record<string, OpenAPISchema> {
  return Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b)));
}

/** The schemas of the kinds served in one group-version (plus everything they reference). */
export function groupVersionSchemas(group: string, version: string): Record<string, OpenAPISchema> {
  const b = new Builder('v3');
  const kinds = new Set(
    RESOURCES.filter((r) => r.group === group && r.version === version).flatMap((r) => [
      r.kind,
      ...r.subresources.map((s) => subresourceInfo(r, s).responseKind.kind),
    ]),
  );
  for (const [kind, gvk] of ROOTS) if (kinds.has(kind)) b.addKind(kind, gvk);
  return sorted(b.defs);
}

/** Every kind's schema, as the v2 document's `definitions`. */
export function allDefinitions(): Record<string, OpenAPISchema> {
  const b = new Builder('v2');
  for (const [kind, gvk] of ROOTS) b.addKind(kind, gvk);
  return sorted(b.defs);
}

/** A vendor extension's value as gnostic carries it in protobuf: YAML text. */
export function extensionYaml(value: unknown): string {
  return stringify(value);
}

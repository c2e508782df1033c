// metav1.ObjectMeta validation (apimachinery's ValidateObjectMeta and ValidateObjectMetaUpdate).

import { fieldErr, type FieldError } from '../errors.js';
import { validateLabels } from '../labels.js';
import type { ObjectMeta } from '../meta.js';
import { isDNS1123Label, isQualifiedName } from '../names.js';
import { child, index } from './path.js';
import { each, immutable, nonNegative } from './common.js';

/** A name check: isDNS1123Subdomain, isDNS1123Label or isDNS1035Label. */
export type NameFn = (name: string) => string[];

const ANNOTATIONS_MAX = 256 * 1024;

/** Validates metadata of a top-level object; `namespaced` comes from the resource registry. */
export function validateObjectMeta(meta: ObjectMeta, namespaced: boolean, nameFn: NameFn, path = 'metadata'): FieldError[] {
  return [
    ...validateNames(meta, nameFn, path),
    ...validateNamespace(meta.namespace, namespaced, child(path, 'namespace')),
    ...nonNegative(meta.generation, child(path, 'generation')),
    ...validateLabels(meta.labels ?? {}, child(path, 'labels')),
    ...validateAnnotations(meta.annotations ?? {}, child(path, 'annotations')),
    ...validateFinalizers(meta.finalizers ?? [], child(path, 'finalizers')),
    ...validateOwnerReferences(meta, child(path, 'ownerReferences')),
  ];
}

function validateNames(meta: ObjectMeta, nameFn: NameFn, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.generateName) {
    // A generateName is a prefix: upstream masks one trailing dash before checking it.
    const prefix = meta.generateName.endsWith('-') ? `${meta.generateName.slice(0, -1)}a` : meta.generateName;
    errs.push(...each(child(path, 'generateName'), meta.generateName, nameFn(prefix)));
  }
  if (!meta.name) {
    if (!meta.generateName) errs.push(fieldErr.required(child(path, 'name'), 'name or generateName is required'));
  } else errs.push(...each(child(path, 'name'), meta.name, nameFn(meta.name)));
  return errs;
}

function validateNamespace(ns: string | undefined, namespaced: boolean, path: string): FieldError[] {
  if (!namespaced) return ns ? [fieldErr.forbidden(path, 'not allowed on this type')] : [];
  if (!ns) return [fieldErr.required(path, '')];
  return each(path, ns, isDNS1123Label(ns));
}

/** Annotation keys are qualified names (checked lower-cased); the total is at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    errs.push(...each(path, k, isQualifiedName(k.toLowerCase())));
    size += k.length + String(v ?? '').length;
  }
  if (size > ANNOTATIONS_MAX) errs.push(fieldErr.tooLong(path, '', ANNOTATIONS_MAX));
  return errs;
}

function validateFinalizers(finalizers: string[], path: string): FieldError[] {
  return finalizers.flatMap((f, i) => each(index(path, i), f, isQualifiedName(f)));
}

function validateOwnerReferences(meta: ObjectMeta, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (meta.ownerReferences ?? []).forEach((ref, i) => {
    const p = index(path, i);
    if (!ref.apiVersion) errs.push(fieldErr.invalid(child(p, 'apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(fieldErr.invalid(child(p, 'kind'), ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(fieldErr.invalid(child(p, 'name'), ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(fieldErr.invalid(child(p, 'uid'), ref.uid ?? '', 'uid must not be empty'));
  });
  const controllers = (meta.ownerReferences ?? []).filter((r) => r.controller).length;
  if (controllers > 1) {
    errs.push(fieldErr.invalid(path, meta.ownerReferences, 'Only one reference can have Controller set to true'));
  }
  return errs;
}

/** The identity fields that no update may change. */
export function validateObjectMetaUpdate(next: ObjectMeta, old: ObjectMeta, path = 'metadata'): FieldError[] {
  return (['name', 'namespace', 'uid', 'creationTimestamp'] as const).flatMap((f) =>
    // An update that omits uid or creationTimestamp keeps the stored one (the server fills them in).
    next[f] === undefined && f !== 'name' && f !== 'namespace' ? [] : immutable(next[f] ?? '', old[f] ?? '', child(path, f)),
  );
}

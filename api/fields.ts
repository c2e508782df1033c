// Field selectors as apimachinery's pkg/fields (`a=b,c!=d`, backslash escapes) and the per-kind
// selectable fields and field-label checks of upstream's registries and conversion funcs.

import { badRequest } from './errors.js';
import type { KubeObject } from './meta.js';
import { RESOURCES } from './registry.js';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  empty(): boolean;
  requirements: FieldRequirement[];
  matches(fields: Record<string, string>): boolean;
  toString(): string;
}

// `==` before `=` so `a==b` does not leave `=b` as the value.
const TERM_OPERATORS = ['!=', '==', '='] as const;

/** Splits on commas that are not backslash-escaped, keeping the escapes. */
function splitTerms(s: string): string[] {
  if (s === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** Splits at the first operator; the field itself supports no escaping. */
function splitTerm(term: string): [string, string, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    const op = TERM_OPERATORS.find((o) => term.startsWith(o, i));
    if (op) return [term.slice(0, i), op, term.slice(i + op.length)];
  }
  return undefined;
}

/** fields.UnescapeValue: `\\`, `\,` and `\=` are the only escapes; bare `,` and `=` are errors. */
export function unescapeFieldValue(s: string): string {
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, i.e. as its code point.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.EscapeValue, the inverse of unescapeFieldValue. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

export function fieldSelectorOf(requirements: FieldRequirement[]): FieldSelector {
  return {
    requirements,
    empty: () => requirements.length === 0,
    matches: (fields) => requirements.every((r) => ((fields[r.field] ?? '') === r.value) === (r.op === '=')),
    toString: () => requirements.map((r) => `${r.field}${r.op}${escapeFieldValue(r.value)}`).join(','),
  };
}

/** Parses `a=b`, `a==b`, `a!=b`, comma-separated; terms are sorted as upstream. */
export function parseFieldSelector(s: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const part of splitTerms(s).sort()) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    const [field, op, raw] = split;
    requirements.push({ field, op: op === '!=' ? '!=' : '=', value: unescapeFieldValue(raw) });
  }
  return fieldSelectorOf(requirements);
}

// ---- selectable fields per kind ----

type Extractor = (obj: KubeObject) => string;

function path(obj: unknown, ...keys: string[]): unknown {
  let cur = obj;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

const str = (...keys: string[]): Extractor => (obj) => {
  const v = path(obj, ...keys);
  return typeof v === 'string' ? v : '';
};
// Upstream formats booleans and counts with strconv, so absent values read `false` / `0`.
const bool = (...keys: string[]): Extractor => (obj) => String(path(obj, ...keys) === true);
const int = (...keys: string[]): Extractor => (obj) => {
  const v = path(obj, ...keys);
  return typeof v === 'number' ? String(v) : '0';
};

/** Kind-specific fields, beyond metadata.name / metadata.namespace, each kind can be filtered on. */
const KIND_FIELDS: Record<string, Record<string, Extractor>> = {
  pods: {
    'spec.nodeName': str('spec', 'nodeName'),
    'spec.restartPolicy': str('spec', 'restartPolicy'),
    'spec.schedulerName': str('spec', 'schedulerName'),
    'spec.serviceAccountName': str('spec', 'serviceAccountName'),
    'spec.hostNetwork': bool('spec', 'hostNetwork'),
    'status.phase': str('status', 'phase'),
    'status.podIP': str('status', 'podIP'),
    'status.nominatedNodeName': str('status', 'nominatedNodeName'),
  },
  events: {
    'involvedObject.kind': str('involvedObject', 'kind'),
    'involvedObject.namespace': str('involvedObject', 'namespace'),
    'involvedObject.name': str('involvedObject', 'name'),
    'involvedObject.uid': str('involvedObject', 'uid'),
    'involvedObject.apiVersion': str('involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': str('involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': str('involvedObject', 'fieldPath'),
    reason: str('reason'),
    reportingComponent: str('reportingComponent'),
    source: str('source', 'component'),
    type: str('type'),
  },
  secrets: { type: str('type') },
  nodes: { 'spec.unschedulable': bool('spec', 'unschedulable') },
  namespaces: { 'status.phase': str('status', 'phase') },
  replicasets: { 'status.replicas': int('status', 'replicas') },
  replicationcontrollers: { 'status.replicas': int('status', 'replicas') },
  jobs: { 'status.successful': int('status', 'successful') },
};

function isNamespaced(plural: string): boolean {
  return RESOURCES.find((r) => r.plural === plural)?.namespaced ?? true;
}

/** The field set a kind's field selectors match against; absent values are ''. */
export function selectableFields(plural: string, obj: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
  if (isNamespaced(plural)) fields['metadata.namespace'] = obj.metadata.namespace ?? '';
  for (const [field, extract] of Object.entries(KIND_FIELDS[plural] ?? {})) fields[field] = extract(obj);
  return fields;
}

/** The field labels a kind accepts in a field selector. */
export function supportedFieldLabels(plural: string): string[] {
  const meta = isNamespaced(plural) || !KIND_FIELDS[plural] ? ['metadata.name', 'metadata.namespace'] : ['metadata.name'];
  return [...meta, ...Object.keys(KIND_FIELDS[plural] ?? {})];
}

/**
 * Rejects fields the kind cannot be filtered on, with upstream's wording: kinds with their own
 * field-label conversion say `field label not supported`, the rest use the metav1 default's message.
 */
export function validateFieldSelector(plural: string, sel: FieldSelector): void {
  const supported = supportedFieldLabels(plural);
  for (const { field } of sel.requirements) {
    if (supported.includes(field)) continue;
    if (KIND_FIELDS[plural]) throw badRequest(`field label not supported: ${field}`);
    throw badRequest(`"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
  }
}

export function fieldSelectorMatches(plural: string, sel: FieldSelector, obj: KubeObject): boolean {
  return sel.matches(selectableFields(plural, obj));
}

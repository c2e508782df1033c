// Turns ajv errors into the two answers the API server needs: encoding/json's decode error
// ("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type
// int32") and strict decoding's unknown field paths ("spec.template.spec.containers[0].imagee").

import type { ErrorObject } from 'ajv';
import { QUANTITY_FORMAT_ERROR } from '../quantity.js';
import type { Schema } from './builders.js';

const DECODE_KEYWORDS = new Set(['type', 'minimum', 'maximum', 'quantity']);

/** Splits a JSON pointer (`/spec/a~1b/0`) into unescaped segments. */
function segments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

interface Located {
  schema: Schema;
  struct: string;
  fields: string[];
}

/** Follows a pointer through the schema, remembering the innermost struct and the JSON keys. */
function locate(root: Schema, pointer: string): Located {
  const at: Located = { schema: root, struct: '', fields: [] };
  for (const seg of segments(pointer)) {
    const s = at.schema;
    if (s.properties?.[seg]) {
      at.struct = s.title ?? '';
      at.fields.push(seg);
      at.schema = s.properties[seg];
    } else if (s.items) at.schema = s.items;
    else if (typeof s.additionalProperties === 'object') at.schema = s.additionalProperties;
  }
  return at;
}

/** encoding/json's name for the JSON value that failed: `string`, `object`, `number 1.5`. */
function jsonValueName(v: unknown, keyword: string): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  // Go names the number only when it was a number that did not fit (1.5 or 2^31 into int32).
  if (typeof v === 'number') return keyword === 'type' && Number.isInteger(v) ? 'number' : `number ${v}`;
  return typeof v;
}

function valueAt(obj: unknown, pointer: string): unknown {
  let cur: unknown = obj;
  for (const seg of segments(pointer)) cur = (cur as Record<string, unknown> | undefined)?.[seg];
  return cur;
}

/** The `json: cannot unmarshal ...` text of the first decode error, or undefined. */
export function decodeMessage(root: Schema, obj: unknown, errors: ErrorObject[]): string | undefined {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return `json: cannot unmarshal ${jsonValueName(obj, 'type')} into Go value of type ${root.goType}`;
  }
  const err = errors.find((e) => DECODE_KEYWORDS.has(e.keyword));
  if (!err) return undefined;
  if (err.keyword === 'quantity') return QUANTITY_FORMAT_ERROR;
  const at = locate(root, err.instancePath);
  const value = jsonValueName(valueAt(obj, err.instancePath), err.keyword);
  return `json: cannot unmarshal ${value} into Go struct field ${at.struct}.${at.fields.join('.')} of type ${at.schema.goType}`;
}

/** Field paths in kubectl's form (`a.b[0].c`) for every additionalProperties error. */
export function unknownFieldPaths(obj: unknown, errors: ErrorObject[]): string[] {
  return errors
    .filter((e) => e.keyword === 'additionalProperties')
    .map((e) => fieldPath(obj, e.instancePath, String(e.params['additionalProperty'])));
}

function fieldPath(obj: unknown, pointer: string, leaf: string): string {
  let path = '';
  let cur: unknown = obj;
  for (const seg of segments(pointer)) {
    path += Array.isArray(cur) ? `[${seg}]` : path ? `.${seg}` : seg;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return path ? `${path}.${leaf}` : leaf;
}

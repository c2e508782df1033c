// FieldsV1, the JSON form of a FieldSet stored in managedFields: each key is a path element
// token, `{}` marks an owned leaf and a `".": {}` entry marks an owned node that also has owned
// children — e.g. {"f:spec":{"f:replicas":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}.

import { badRequest } from '../../api/errors.js';
import { isJsonObject, type JsonObject } from '../patch/json-value.js';
import { FieldSet } from './field-set.js';
import { canonicalKeyToken } from './path-element.js';

/** toFieldsV1 renders a set as FieldsV1, `.` first and tokens in upstream's order. */
export function toFieldsV1(set: FieldSet): JsonObject {
  const out: JsonObject = {};
  for (const token of set.tokens()) {
    const child = set.children.get(token);
    if (!child) {
      out[token] = {};
      continue;
    }
    const node: JsonObject = set.members.has(token) ? { '.': {} } : {};
    out[token] = Object.assign(node, toFieldsV1(child));
  }
  return out;
}

/** fromFieldsV1 parses FieldsV1; `k:` tokens are re-canonicalised so they compare equal. */
export function fromFieldsV1(fields: unknown): FieldSet {
  const set = new FieldSet();
  if (!isJsonObject(fields)) throw badRequest('metadata.managedFields: fieldsV1 must be an object');
  for (const [raw, value] of Object.entries(fields)) {
    if (raw === '.') continue;
    const token = canonicalToken(raw);
    if (!isJsonObject(value)) throw badRequest(`metadata.managedFields: invalid fieldsV1 entry ${raw}`);
    const keys = Object.keys(value);
    if (keys.length === 0 || '.' in value) set.members.add(token);
    if (keys.some((k) => k !== '.')) set.setChild(token, fromFieldsV1(value));
  }
  return set;
}

function canonicalToken(raw: string): string {
  if (!/^[fkvi]:/.test(raw)) throw badRequest(`metadata.managedFields: invalid fieldsV1 key ${JSON.stringify(raw)}`);
  if (!raw.startsWith('k:')) return raw;
  try {
    const key = JSON.parse(raw.slice(2)) as unknown;
    if (isJsonObject(key)) return canonicalKeyToken(key);
  } catch {
    // fall through to the error below
  }
  throw badRequest(`metadata.managedFields: invalid fieldsV1 key ${JSON.stringify(raw)}`);
}

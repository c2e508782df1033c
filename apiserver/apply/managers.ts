// metadata.managedFields in and out: one entry per manager identity. As upstream's
// BuildManagerIdentifier, an identity is the manager name, the operation, the subresource and —
// for Update only — the apiVersion, so an applier keeps one entry across versions.

import { badRequest } from '../../api/errors.js';
import { isJsonObject, type JsonObject } from '../patch/json-value.js';
import type { FieldSet } from './field-set.js';
import { fromFieldsV1, toFieldsV1 } from './fields-v1.js';

/** Operation is how a manager wrote its fields: server-side apply, or create/update/patch. */
export type Operation = 'Apply' | 'Update';

/** Manager is one managedFields entry, decoded. */
export interface Manager {
  readonly manager: string;
  readonly operation: Operation;
  readonly apiVersion: string;
  readonly time?: string;
  readonly subresource?: string;
  readonly set: FieldSet;
}

/** Managers maps manager identities to their entries. */
export type Managers = Map<string, Manager>;

/** managerId is the identity of an entry (Go's JSON of the identifying fields, sortable as upstream). */
export function managerId(m: Omit<Manager, 'set' | 'time'>): string {
  return JSON.stringify({
    manager: m.manager,
    operation: m.operation,
    ...(m.operation === 'Update' && m.apiVersion ? { apiVersion: m.apiVersion } : {}),
    ...(m.subresource ? { subresource: m.subresource } : {}),
  });
}

/** decodeManagedFields reads metadata.managedFields; a malformed entry is a 400. */
export function decodeManagedFields(entries: unknown): Managers {
  const managers: Managers = new Map();
  if (entries === undefined || entries === null) return managers;
  if (!Array.isArray(entries)) throw badRequest('metadata.managedFields must be a list');
  for (const entry of entries) {
    const m = decodeEntry(entry);
    const id = managerId(m);
    const seen = managers.get(id);
    managers.set(id, seen ? { ...m, set: seen.set.union(m.set) } : m);
  }
  return managers;
}

function decodeEntry(entry: unknown): Manager {
  if (!isJsonObject(entry)) throw badRequest('metadata.managedFields: each entry must be an object');
  const { manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource } = entry;
  if (operation !== 'Apply' && operation !== 'Update') {
    throw badRequest(`metadata.managedFields: operation must be Apply or Update, got ${JSON.stringify(operation)}`);
  }
  if (fieldsType !== undefined && fieldsType !== 'FieldsV1') {
    throw badRequest(`metadata.managedFields: fieldsType must be FieldsV1, got ${JSON.stringify(fieldsType)}`);
  }
  return {
    manager: typeof manager === 'string' ? manager : '',
    operation,
    apiVersion: typeof apiVersion === 'string' ? apiVersion : '',
    ...(typeof time === 'string' ? { time } : {}),
    ...(typeof subresource === 'string' && subresource ? { subresource } : {}),
    set: fromFieldsV1(fieldsV1 ?? {}),
  };
}

/** encodeManagedFields writes the entries in upstream's order: Apply before Update, then by time, name. */
export function encodeManagedFields(managers: Managers): JsonObject[] {
  return [...managers.values()].sort(compareEntries).map((m) => ({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    ...(m.time ? { time: m.time } : {}),
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(m.set),
    ...(m.subresource ? { subresource: m.subresource } : {}),
  }));
}

function compareEntries(a: Manager, b: Manager): number {
  return (
    compareStrings(a.operation, b.operation) ||
    seconds(a.time) - seconds(b.time) ||
    compareStrings(a.manager, b.manager) ||
    compareStrings(a.apiVersion, b.apiVersion) ||
    compareStrings(a.subresource ?? '', b.subresource ?? '')
  );
}

function seconds(time: string | undefined): number {
  const ms = time ? Date.parse(time) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** rfc3339Seconds trims a timestamp to whole seconds, as metav1.Time serialises. */
export function rfc3339Seconds(now: string): string {
  return now.replace(/\.\d+(?=Z|[+-]\d\d:\d\d$)/, '');
}

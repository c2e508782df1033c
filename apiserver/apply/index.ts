// Server-side apply and managedFields bookkeeping for the API server, after upstream's
// structured-merge-diff Updater and apiserver fieldmanager. Pure: no I/O, no clock (`now` is a
// parameter); inputs are never modified.
//
// serverSideApply answers PATCH with Content-Type application/apply-patch+yaml: it merges the
// applied configuration into the live object (or creates from it), makes the manager own exactly
// the fields it applied, prunes the fields it applied last time and no longer does (unless
// another manager owns them), and refuses — with upstream's 409 — to change a field another
// manager owns to a different value unless `force` is set, in which case the field changes hands.
// recordUpdate keeps managedFields for every other write (create, update, patch): the writer
// takes the fields it changed.

import { isDeepStrictEqual } from 'node:util';
import { badRequest } from '../../api/errors.js';
import { isJsonObject, type JsonObject } from '../patch/json-value.js';
import { changedFields, compare } from './compare.js';
import { mergeApplied } from './merge.js';
import {
  decodeManagedFields,
  encodeManagedFields,
  managerId,
  rfc3339Seconds,
  type Manager,
  type Managers,
} from './managers.js';
import { ownedByAnyone, settleOwnership } from './ownership.js';
import { prunable, removeFields } from './prune.js';
import { schemaForKind, type Schema } from './schema.js';
import { fieldSetOf } from './to-field-set.js';
import { SYSTEM_METADATA, trackedView, zeroSkeleton } from './view.js';

/** ApplyResult is the object to persist, managedFields included. */
export interface ApplyResult {
  object: Record<string, unknown>;
}

/** ApplyOptions are the request's field manager and force flag, the resource's kind and version. */
export interface ApplyOptions {
  manager: string;
  force: boolean;
  kind: string;
  apiVersion: string;
  /** RFC 3339 time of the request, recorded in the manager's entry. */
  now: string;
}

/** UpdateOptions describe an ordinary write; `subresource` is e.g. 'status'. */
export interface UpdateOptions {
  manager: string;
  apiVersion: string;
  now: string;
  subresource?: string;
}

// Upstream gives an object that has no managedFields at all to this manager on its first apply.
const BEFORE_FIRST_APPLY = 'before-first-apply';
// The identity an update's own changes are computed under before they join the writer's entry.
const CURRENT_OPERATION = '\u0000current-operation';

/**
 * serverSideApply computes the result of applying `applied` as `opts.manager`; `live` is
 * undefined when the object does not exist yet (the PATCH then creates it). Throws a 409
 * Conflict StatusError on conflicts without force, a 400 on a malformed configuration.
 */
export function serverSideApply(
  live: Record<string, unknown> | undefined,
  applied: Record<string, unknown>,
  opts: ApplyOptions,
): ApplyResult {
  checkApplied(applied, opts);
  const schema = schemaForKind(opts.kind);
  const current = live ?? {};
  const managers = live ? managersOfLive(live, schema, opts.apiVersion) : new Map<string, Manager>();
  const self = { manager: opts.manager, operation: 'Apply' as const, apiVersion: opts.apiVersion };
  const selfId = managerId(self);
  const last = managers.get(selfId)?.set;

  let merged = mergeApplied(current, configToMerge(applied, live !== undefined), schema);
  managers.set(selfId, { ...self, time: rfc3339Seconds(opts.now), set: fieldSetOf(trackedView(applied), schema) });
  if (last) merged = removeFields(merged, prunable(last, ownedByAnyone(managers)), schema);

  const cmp = compare(trackedView(current), trackedView(merged), schema);
  const object = withManagedFields(merged, settleOwnership(managers, selfId, cmp, opts.force));
  return { object: live ? keepTimesIfUnchanged(live, object) : object };
}

/**
 * recordUpdate returns `updated` with managedFields maintained for a create (`live` undefined),
 * update or non-apply patch by `opts.manager` (upstream defaults it from the user agent, e.g.
 * `kubectl-client-side-apply`, `kubectl-edit`). The writer takes every field it added or changed
 * from other managers. managedFields sent in `updated` replace the stored ones when they differ
 * (`[{}]` clears them), as upstream; a subresource write always keeps the stored ones.
 */
export function recordUpdate(
  live: Record<string, unknown> | undefined,
  updated: Record<string, unknown>,
  opts: UpdateOptions,
): Record<string, unknown> {
  const kind = typeof updated.kind === 'string' ? updated.kind : String(live?.kind ?? '');
  const schema = schemaForKind(kind);
  const after = trackedView(updated, opts.subresource);
  const before = live ? trackedView(live, opts.subresource) : zeroSkeleton(after);
  const cmp = compare(before, after, schema);

  const managers = settleOwnership(managersForUpdate(live, updated, opts.subresource), CURRENT_OPERATION, cmp, true);
  const taken = changedFields(cmp);
  if (!taken.isEmpty()) {
    const self = {
      manager: opts.manager,
      operation: 'Update' as const,
      apiVersion: opts.apiVersion,
      ...(opts.subresource ? { subresource: opts.subresource } : {}),
    };
    const previous = managers.get(managerId(self))?.set;
    managers.set(managerId(self), {
      ...self,
      time: rfc3339Seconds(opts.now),
      set: previous ? taken.union(previous) : taken,
    });
  }
  const object = withManagedFields(updated, managers);
  return live ? keepTimesIfUnchanged(live, object) : object;
}

function checkApplied(applied: JsonObject, opts: ApplyOptions): void {
  const meta = applied.metadata;
  if (isJsonObject(meta) && meta.managedFields !== undefined && meta.managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil');
  }
  if (applied.apiVersion !== opts.apiVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${String(applied.apiVersion ?? '')}, expected: ${opts.apiVersion}`,
    );
  }
  if (applied.kind !== opts.kind) {
    throw badRequest(
      `Incorrect kind specified in apply patch. Specified patch kind: ${String(applied.kind ?? '')}, expected: ${opts.kind}`,
    );
  }
}

// Status is the status subresource's; the server's metadata of a live object is not the applier's.
function configToMerge(applied: JsonObject, exists: boolean): JsonObject {
  const { status: _status, ...config } = applied;
  if (!exists || !isJsonObject(config.metadata)) return config;
  const metadata = { ...config.metadata };
  for (const field of SYSTEM_METADATA) delete metadata[field];
  return { ...config, metadata };
}

function managersOfLive(live: JsonObject, schema: Schema, apiVersion: string): Managers {
  const managers = decodeManagedFields(metadataOf(live).managedFields);
  if (managers.size > 0) return managers;
  const owner = { manager: BEFORE_FIRST_APPLY, operation: 'Update' as const, apiVersion };
  const set = fieldSetOf(trackedView(live), schema, false);
  return set.isEmpty() ? managers : new Map([[managerId(owner), { ...owner, set }]]);
}

// upstream decodeLiveOrNew: the request's managedFields win unless absent, empty or undecodable.
function managersForUpdate(live: JsonObject | undefined, updated: JsonObject, subresource?: string): Managers {
  const stored = (): Managers => tryDecode(live ? metadataOf(live).managedFields : undefined);
  if (subresource) return stored();
  const sent = metadataOf(updated).managedFields;
  if (Array.isArray(sent) && sent.length === 1 && isJsonObject(sent[0]) && Object.keys(sent[0]).length === 0) {
    return new Map();
  }
  const fromRequest = tryDecode(sent);
  return fromRequest.size > 0 ? fromRequest : stored();
}

function tryDecode(entries: unknown): Managers {
  try {
    return decodeManagedFields(entries);
  } catch {
    return new Map();
  }
}

function withManagedFields(obj: JsonObject, managers: Managers): JsonObject {
  const metadata = { ...metadataOf(obj) };
  const entries = encodeManagedFields(managers);
  if (entries.length > 0) metadata.managedFields = entries;
  else delete metadata.managedFields;
  return { ...obj, metadata };
}

// upstream IgnoreManagedFieldsTimestampsTransformer: a write that changes nothing but the
// managers' times keeps the stored times, so a no-op apply stays a no-op.
function keepTimesIfUnchanged(live: JsonObject, next: JsonObject): JsonObject {
  const liveFields = metadataOf(live).managedFields;
  const nextFields = metadataOf(next).managedFields;
  if (!isDeepStrictEqual(withoutManagedFields(live), withoutManagedFields(next))) return next;
  if (!isDeepStrictEqual(withoutTimes(liveFields), withoutTimes(nextFields))) return next;
  return { ...next, metadata: { ...metadataOf(next), managedFields: liveFields } };
}

function withoutManagedFields(obj: JsonObject): JsonObject {
  const { managedFields: _managedFields, ...metadata } = metadataOf(obj);
  return { ...obj, metadata };
}

function withoutTimes(entries: unknown): unknown {
  if (!Array.isArray(entries)) return entries;
  return entries.map((e: unknown) => (isJsonObject(e) ? { ...e, time: undefined } : e));
}

function metadataOf(obj: JsonObject): JsonObject {
  return isJsonObject(obj.metadata) ? obj.metadata : {};
}

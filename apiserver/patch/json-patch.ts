// JSON patch (RFC 6902) through fast-json-patch, on a copy, with every failure turned into a 400.

import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { badRequest, type StatusError } from '../../api/errors.js';
import { deepCopy, describe, isJsonObject, type JsonObject } from './json-value.js';
import { patchKind } from './merge-patch.js';

/** applyJsonPatch applies an RFC 6902 operation list; a failed `test` or a missing path is a 400. */
export function applyJsonPatch(original: JsonObject, patch: unknown): JsonObject {
  const ops = checkOperations(patch);
  let result: unknown = deepCopy(original);
  // One operation at a time: fast-json-patch's validator reports every failure as index 0.
  ops.forEach((op, i) => {
    try {
      result = jsonpatch.applyOperation(result, op, true, true, true, i).newDocument;
    } catch (err) {
      throw patchFailure(err, op, i);
    }
  });
  if (!isJsonObject(result)) throw badRequest(`json patch must leave an object, got ${patchKind(result)}`);
  return result;
}

function checkOperations(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) {
    throw badRequest(`json patch must be a JSON array of operations, got ${patchKind(patch)}`);
  }
  patch.forEach((op, i) => {
    if (!isJsonObject(op))
      throw badRequest(`json patch operation ${i} must be an object, got ${describe(op)}`);
  });
  return patch as Operation[];
}

function patchFailure(err: unknown, op: Operation, index: number): StatusError {
  if (!(err instanceof jsonpatch.JsonPatchError)) {
    return badRequest(`invalid json patch: ${err instanceof Error ? err.message : String(err)}`);
  }
  return badRequest(`json patch operation ${index} (${op.op} ${op.path}): ${failureReason(err.name, op)}`);
}

function failureReason(name: string, op: Operation): string {
  switch (name) {
    case 'TEST_OPERATION_FAILED':
      return `test failed: value at ${op.path} does not match ${describe('value' in op ? op.value : undefined)}`;
    case 'OPERATION_PATH_UNRESOLVABLE':
      return 'path does not exist';
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `from path ${'from' in op ? op.from : ''} does not exist`;
    case 'OPERATION_PATH_CANNOT_ADD':
      return 'parent of the path does not exist';
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
      return 'array index out of bounds or invalid';
    case 'OPERATION_OP_INVALID':
      return `unsupported op ${describe(op.op)} (want add, remove, replace, move, copy or test)`;
    case 'OPERATION_VALUE_REQUIRED':
      return 'value is required';
    case 'OPERATION_PATH_INVALID':
    case 'OPERATION_FROM_REQUIRED':
      return 'path and from must be JSON pointers';
    default:
      return `malformed operation (${name})`;
  }
}

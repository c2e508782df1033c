// The strategic-merge-patch directive keys, as apimachinery spells them. None may reach a result.

import { badRequest } from '../../api/errors.js';

export const PATCH_DIRECTIVE = '$patch';
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';

/** ListDirective is a `$setElementOrder/<field>` or `$deleteFromPrimitiveList/<field>` key. */
export interface ListDirective {
  kind: 'setElementOrder' | 'deleteFromPrimitiveList';
  field: string;
}

/** parseListDirective splits a parallel-list directive key; a bare or field-less prefix is a 400. */
export function parseListDirective(key: string, path: string): ListDirective | undefined {
  const kind = listDirectiveKind(key);
  if (!kind) return undefined;
  const prefix = `$${kind}/`;
  const field = key.startsWith(prefix) ? key.slice(prefix.length) : '';
  if (field === '') {
    throw badRequest(
      `invalid patch format at ${path || '.'}: ${JSON.stringify(key)} must be "${prefix}<field>"`,
    );
  }
  return { kind, field };
}

function listDirectiveKind(key: string): ListDirective['kind'] | undefined {
  if (key.startsWith(SET_ELEMENT_ORDER)) return 'setElementOrder';
  if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) return 'deleteFromPrimitiveList';
  return undefined;
}

/** isDirectiveKey reports whether a map key is a directive rather than a field. */
export function isDirectiveKey(key: string): boolean {
  return key === PATCH_DIRECTIVE || key === RETAIN_KEYS_DIRECTIVE || listDirectiveKind(key) !== undefined;
}

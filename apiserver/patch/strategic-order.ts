// Element order of merged lists, as apimachinery's normalizeElementOrder: patch items keep the
// patch's (or $setElementOrder's) order, server-only items keep the live order, and the two are
// interleaved using the live order wherever both items are in it. Items new to the list and
// compared with a server-only item win the tie, so a new element lands before the server-only
// ones that follow the last patched element (upstream behaviour, kept on purpose).

import { badRequest } from '../../api/errors.js';
import { PATCH_DIRECTIVE } from './directives.js';
import { describe, isJsonObject } from './json-value.js';

/** KeyOf gives an element's identity: its merge-key value, or the element itself for primitives. */
export type KeyOf = (item: unknown) => unknown;

/**
 * orderMerged splits `merged` into items named in `patchOrder` and server-only items, sorts each,
 * and interleaves them by `serverOrder` (the live list). Example, live [B, C, A], patch
 * [A', B', D]: C sorts before A' (both live, C first), so the result is [C, A', B', D].
 */
export function orderMerged(
  merged: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  keyOf: KeyOf,
): unknown[] {
  const patchKeys = patchOrder.map(keyOf);
  const inPatch = merged.filter((item) => patchKeys.includes(keyOf(item)));
  const serverOnly = merged.filter((item) => !patchKeys.includes(keyOf(item)));
  const serverKeys = serverOrder.map(keyOf);
  return interleave(
    sortByKeys(serverOnly, serverKeys, keyOf),
    sortByKeys(inPatch, patchKeys, keyOf),
    serverKeys,
    keyOf,
  );
}

function sortByKeys(items: unknown[], order: unknown[], keyOf: KeyOf): unknown[] {
  const rank = (item: unknown): number => {
    const i = order.indexOf(keyOf(item));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...items].sort((a, b) => rank(a) - rank(b));
}

// Upstream mergeSortedSlice: take the server-only item only when both are live and it comes first.
function interleave(
  serverOnly: unknown[],
  patched: unknown[],
  serverKeys: unknown[],
  keyOf: KeyOf,
): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < patched.length) {
    if (
      j >= patched.length ||
      (i < serverOnly.length && liveBefore(serverOnly[i], patched[j], serverKeys, keyOf))
    ) {
      out.push(serverOnly[i++]);
    } else {
      out.push(patched[j++]);
    }
  }
  return out;
}

function liveBefore(a: unknown, b: unknown, serverKeys: unknown[], keyOf: KeyOf): boolean {
  const ia = serverKeys.indexOf(keyOf(a));
  const ib = serverKeys.indexOf(keyOf(b));
  return ia >= 0 && ib >= 0 && ia < ib;
}

/**
 * checkSetElementOrder rejects a patch list whose items appear in a different relative order than
 * in the $setElementOrder list (upstream's first rule). Upstream also rejects patch items missing
 * from the order; Skiff accepts them and they sort after the ordered items.
 */
export function checkSetElementOrder(
  patchList: unknown[],
  order: unknown[],
  keyOf: KeyOf,
  path: string,
): void {
  const orderKeys = order.map(keyOf);
  const positions = patchList
    .filter((item) => !(isJsonObject(item) && PATCH_DIRECTIVE in item))
    .map((item) => orderKeys.indexOf(keyOf(item)))
    .filter((at) => at >= 0);
  if (positions.some((at, i) => i > 0 && at < (positions[i - 1] as number))) {
    throw badRequest(
      `the order in patch list ${path} ${describe(patchList)} doesn't match $setElementOrder list ${describe(order)}`,
    );
  }
}

// Container resource requirements: valid names and quantities, requests no larger than limits.

import { fieldErr, type FieldError } from '../errors.js';
import { isQualifiedName } from '../names.js';
import { compareQuantity, formatQuantity, parseQuantity, QUANTITY_FORMAT_ERROR, type Quantity } from '../quantity.js';
import type { QuantityValue, ResourceList } from '../types/common.js';
import type { ResourceRequirements } from '../types/pod.js';
import { child, key } from './path.js';
import { GE0 } from './common.js';

const STANDARD = new Set(['cpu', 'memory', 'ephemeral-storage']);

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => fieldErr.invalid(path, name, m));
  const standard = STANDARD.has(name) || name.startsWith('hugepages-');
  // Unprefixed names are reserved for Kubernetes; extended resources carry a domain.
  if (!errs.length && !standard && !name.includes('/')) {
    errs.push(fieldErr.invalid(path, name, 'must be a standard resource for containers'));
  }
  return errs;
}

/** Parses every entry; invalid or negative quantities become errors, valid ones are returned. */
function validateList(list: ResourceList, path: string): { errs: FieldError[]; parsed: Map<string, Quantity> } {
  const errs: FieldError[] = [];
  const parsed = new Map<string, Quantity>();
  for (const [name, value] of Object.entries(list)) {
    const p = key(path, name);
    errs.push(...validateResourceName(name, p));
    const q = tryParse(value);
    if (!q) errs.push(fieldErr.invalid(p, value, QUANTITY_FORMAT_ERROR));
    else if (q.nanos < 0n) errs.push(fieldErr.invalid(p, formatQuantity(q), GE0));
    else parsed.set(name, q);
  }
  return { errs, parsed };
}

function tryParse(value: QuantityValue): Quantity | undefined {
  try {
    return parseQuantity(value);
  } catch {
    return undefined;
  }
}

/** Validates limits and requests; a request above its limit is reported on the request. */
export function validateResources(res: ResourceRequirements | undefined, path: string): FieldError[] {
  const limits = validateList(res?.limits ?? {}, child(path, 'limits'));
  const requests = validateList(res?.requests ?? {}, child(path, 'requests'));
  const errs = [...limits.errs, ...requests.errs];
  for (const [name, req] of requests.parsed) {
    const limit = limits.parsed.get(name);
    if (limit && compareQuantity(req, limit) > 0) {
      const detail = `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`;
      errs.push(fieldErr.invalid(key(child(path, 'requests'), name), formatQuantity(req), detail));
    }
  }
  return errs;
}

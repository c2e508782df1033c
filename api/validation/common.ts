// Checks shared by several kinds, in upstream's wording (core/validation's ValidateNonnegativeField,
// ValidatePortNumOrName, IsValidIP, ...).

import { fieldErr, type FieldError } from '../errors.js';
import { isValidPortName, isValidPortNum } from '../names.js';
import type { IntOrString } from '../types/common.js';

export const GE0 = 'must be greater than or equal to 0';

/** Invalid errors, one per message of a name/syntax check. */
export function each(path: string, value: unknown, msgs: string[]): FieldError[] {
  return msgs.map((m) => fieldErr.invalid(path, value, m));
}

export function nonNegative(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value !== null && value < 0 ? [fieldErr.invalid(path, value, GE0)] : [];
}

export function positive(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value !== null && value <= 0
    ? [fieldErr.invalid(path, value, 'must be greater than 0')]
    : [];
}

/** An allowed value from a fixed set; missing is `Required` when required. */
export function oneOf(value: string | undefined, path: string, allowed: string[], required: boolean): FieldError[] {
  if (value === undefined || value === null || value === '') return required ? [fieldErr.required(path, '')] : [];
  return allowed.includes(value) ? [] : [fieldErr.notSupported(path, value, allowed)];
}

export function portNumOrName(port: IntOrString | undefined, path: string): FieldError[] {
  if (typeof port === 'number') return each(path, port, isValidPortNum(port));
  if (typeof port === 'string') return each(path, port, isValidPortName(port));
  return [fieldErr.invalid(path, port, 'must contain an int or string')];
}

export function isIP(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}

export function isIPv4(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

function isIPv6(value: string): boolean {
  if (!value.includes(':') || !/^[0-9a-fA-F:.]+$/.test(value)) return false;
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h ? h.split(':') : []));
  const last = groups[groups.length - 1] ?? '';
  const v4 = last.includes('.') ? (isIPv4(last) ? 2 : -100) : 0;
  const hex = v4 ? groups.slice(0, -1) : groups;
  if (!hex.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = hex.length + v4;
  return halves.length === 2 ? count < 8 : count === 8;
}

export const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** Duplicate errors for repeated values of `pick(item)` in a list. */
export function unique<T>(items: T[], path: string, field: string, pick: (t: T) => string | undefined): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  items.forEach((item, i) => {
    const v = pick(item);
    if (v === undefined || v === '') return;
    if (seen.has(v)) errs.push(fieldErr.duplicate(`${path}[${i}].${field}`, v));
    seen.add(v);
  });
  return errs;
}

/** `field is immutable` when a value changed, compared as JSON. */
export function immutable(next: unknown, old: unknown, path: string): FieldError[] {
  return deepEqual(next, old) ? [] : [fieldErr.invalid(path, next, 'field is immutable')];
}

/** Structural equality for JSON values, ignoring key order and absent-vs-undefined keys. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

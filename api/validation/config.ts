// ConfigMap and Secret: keys, size, data/binaryData overlap, immutability.

import { fieldErr, type FieldError } from '../errors.js';
import type { ConfigMap, Secret } from '../types/core.js';
import { key } from './path.js';
import { each, immutable } from './common.js';

/** Upstream's core.MaxSecretSize, used for ConfigMaps too. */
export const MAX_SIZE = 1024 * 1024;
const KEY_RE = /^[-._a-zA-Z0-9]+$/;

/** IsConfigMapKey's messages for one key. */
export function configKeyErrors(k: string): string[] {
  const errs: string[] = [];
  if (k.length > 253) errs.push('must be no more than 253 characters');
  if (!KEY_RE.test(k)) {
    errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  }
  if (k === '.') errs.push("must not be '.'");
  else if (k === '..') errs.push("must not be '..'");
  else if (k.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

export function validateConfigKey(k: string, path: string): FieldError[] {
  return each(path, k, configKeyErrors(k));
}

function validateKeys(data: Record<string, string>, path: string): FieldError[] {
  return Object.keys(data).flatMap((k) => validateConfigKey(k, key(path, k)));
}

function base64Size(v: string): number {
  return Buffer.from(v, 'base64').length;
}

export function validateConfigMapData(cm: ConfigMap): FieldError[] {
  const data = cm.data ?? {};
  const binary = cm.binaryData ?? {};
  const errs = [...validateKeys(data, 'data'), ...validateKeys(binary, 'binaryData')];
  for (const k of Object.keys(binary)) {
    if (k in data) errs.push(fieldErr.invalid(key('binaryData', k), k, 'duplicate of key present in data'));
  }
  const size =
    Object.values(data).reduce((n, v) => n + Buffer.byteLength(v ?? ''), 0) +
    Object.values(binary).reduce((n, v) => n + base64Size(v ?? ''), 0);
  if (size > MAX_SIZE) errs.push(fieldErr.tooLong('', '', MAX_SIZE));
  return errs;
}

const SECRET_TYPES: Record<string, string[]> = {
  'kubernetes.io/service-account-token': [],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/basic-auth': [],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

export function validateSecretData(s: Secret): FieldError[] {
  const data = s.data ?? {};
  const errs = [...validateKeys(data, 'data'), ...validateKeys(s.stringData ?? {}, 'stringData')];
  const size = Object.values(data).reduce((n, v) => n + base64Size(v ?? ''), 0);
  if (size > MAX_SIZE) errs.push(fieldErr.tooLong('data', '', MAX_SIZE));
  for (const required of SECRET_TYPES[s.type ?? ''] ?? []) {
    if (!(required in data)) errs.push(fieldErr.required(key('data', required), ''));
  }
  return errs;
}

const IMMUTABLE_MSG = 'field is immutable when `immutable` is set';

/** Once `immutable: true` is stored, neither the data nor the flag may change. */
export function validateImmutableData<T extends ConfigMap | Secret>(next: T, old: T, fields: (keyof T & string)[]): FieldError[] {
  if (!old.immutable) return [];
  const errs = next.immutable ? [] : [fieldErr.forbidden('immutable', IMMUTABLE_MSG)];
  for (const f of fields) {
    if (immutable(next[f] ?? {}, old[f] ?? {}, f).length) errs.push(fieldErr.forbidden(f, IMMUTABLE_MSG));
  }
  return errs;
}

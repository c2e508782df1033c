// Every kind's schema, compiled once, on the kind's first use: compiling them all costs more than
// a second of start-up, before the API server can answer anything. One ajv pass answers both
// questions the API server asks: is the body structurally decodable, and which fields are unknown.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isQuantity } from '../quantity.js';
import { deployment, replicaSet } from './apps.js';
import type { Schema } from './builders.js';
import { configMap, endpoints, event, namespace, node, secret, service } from './core.js';
import { binding, eviction, lease, scale } from './misc.js';
import { pod } from './pod.js';

/** Root schema per Kind. */
export const SCHEMAS: Readonly<Record<string, Schema>> = {
  Namespace: namespace,
  Pod: pod,
  Node: node,
  Service: service,
  Endpoints: endpoints,
  ConfigMap: configMap,
  Secret: secret,
  Event: event,
  Deployment: deployment,
  ReplicaSet: replicaSet,
  Lease: lease,
  Scale: scale,
  Eviction: eviction,
  Binding: binding,
};

function newAjv(): Ajv {
  // strictTypes is off because nullable unions (`['integer','null']`) are intended everywhere.
  const ajv = new Ajv({ allErrors: true, strictTypes: false, allowUnionTypes: true });
  ajv.addKeyword({ keyword: 'goType', schemaType: 'string' });
  ajv.addKeyword({
    keyword: 'quantity',
    schemaType: 'boolean',
    type: ['string', 'number'],
    errors: false,
    validate: (_enabled: boolean, data: unknown) => isQuantity(data),
  });
  return ajv;
}

let ajv: Ajv | undefined;
const VALIDATORS = new Map<string, ValidateFunction>();

function validatorFor(kind: string): ValidateFunction | undefined {
  let validate = VALIDATORS.get(kind);
  const schema = SCHEMAS[kind];
  if (!validate && schema) {
    ajv ??= newAjv();
    validate = ajv.compile(schema);
    VALIDATORS.set(kind, validate);
  }
  return validate;
}

/** All schema violations of obj (type errors and unknown fields alike); [] when clean. */
export function schemaErrors(kind: string, obj: unknown): ErrorObject[] {
  const validate = validatorFor(kind);
  if (!validate) throw new Error(`no schema for kind ${kind}`);
  return validate(obj) ? [] : [...(validate.errors ?? [])];
}

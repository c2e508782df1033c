// Every kind's schema, compiled once at module load. One ajv pass answers both questions the
// API server asks: is the body structurally decodable, and which fields are unknown.

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

const ajv = newAjv();
const VALIDATORS = new Map<string, ValidateFunction>(
  Object.entries(SCHEMAS).map(([kind, schema]) => [kind, ajv.compile(schema)]),
);

/** All schema violations of obj (type errors and unknown fields alike); [] when clean. */
export function schemaErrors(kind: string, obj: unknown): ErrorObject[] {
  const validate = VALIDATORS.get(kind);
  if (!validate) throw new Error(`no schema for kind ${kind}`);
  return validate(obj) ? [] : [...(validate.errors ?? [])];
}

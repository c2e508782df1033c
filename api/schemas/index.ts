// Every kind's schema as an ajv validator, made on the kind's first use. `npm run build` writes
// them as generated code (dist/api/schemas/validators/, see prebuilt.ts), which loads in a tenth
// of the time compiling takes; without those files (tests run the sources) the kind's schema is
// compiled. One ajv pass answers both questions the API server asks: is the body structurally
// decodable, and which fields are unknown.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, KeywordCxt, ValidateFunction } from 'ajv';
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

// Loads CommonJS synchronously: ajv itself, and the generated validators (validatorFor is sync).
const requireHere = createRequire(import.meta.url);

/**
 * newAjv makes the ajv both paths use; with source it keeps the code for writing it out. The
 * quantity keyword generates a call to isQuantity by name, which the written module is given.
 */
export function newAjv(source = false): Ajv {
  const { Ajv, _ } = requireHere('ajv') as typeof import('ajv'); // not loaded at all when every kind is prebuilt
  // strictTypes is off because nullable unions (`['integer','null']`) are intended everywhere.
  const ajv = new Ajv({ allErrors: true, strictTypes: false, allowUnionTypes: true, code: { source } });
  ajv.addKeyword({ keyword: 'goType', schemaType: 'string' });
  ajv.addKeyword({
    keyword: 'quantity',
    schemaType: 'boolean',
    type: ['string', 'number'],
    code(cxt: KeywordCxt) {
      const parses = cxt.gen.scopeValue('func', { ref: isQuantity, code: _`isQuantity` });
      cxt.fail(_`!${parses}(${cxt.data})`);
    },
  });
  return ajv;
}

/** schemaDigest names one kind's schema exactly, so a validator written from another is not used. */
export function schemaDigest(kind: string): string {
  return createHash('sha256').update(JSON.stringify(SCHEMAS[kind])).digest('hex');
}

/** A generated validator module (see prebuilt.ts): the digest of its schema, and its maker. */
export interface PrebuiltValidator {
  DIGEST: string;
  build(isQuantity: (v: unknown) => boolean): ValidateFunction;
}

/** The validator `npm run build` wrote for kind (dist/api/schemas/validators/KIND.cjs), if it was written from this schema. */
function prebuilt(kind: string): ValidateFunction | undefined {
  let mod: PrebuiltValidator;
  try {
    mod = requireHere(`./validators/${kind}.cjs`) as PrebuiltValidator; // only dist/ has them
  } catch {
    return undefined;
  }
  return mod.DIGEST === schemaDigest(kind) ? mod.build(isQuantity) : undefined;
}

let ajv: Ajv | undefined;
const VALIDATORS = new Map<string, ValidateFunction>();

function validatorFor(kind: string): ValidateFunction | undefined {
  let validate = VALIDATORS.get(kind);
  const schema = SCHEMAS[kind];
  if (!validate && schema) {
    validate = prebuilt(kind) ?? (ajv ??= newAjv()).compile(schema);
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

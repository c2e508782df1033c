// Every kind's schema as an ajv validator. `npm run build` writes them as generated code
// (dist/api/schemas/validators.js, see prebuilt.ts), which loads in a tenth of the time compiling
// takes; without that file (tests run the sources) each kind compiles on its first use. One ajv
// pass answers both questions the API server asks: is the body structurally decodable, and which
// fields are unknown.

import { createHash } from 'node:crypto';
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

/**
 * newAjv makes the ajv both paths use; with source it keeps the code for writing it out. The
 * quantity keyword generates a call to isQuantity by name, which the written module imports.
 */
export async function newAjv(source = false): Promise<Ajv> {
  const { Ajv, _ } = await import('ajv'); // not loaded at all when the prebuilt validators are there
  // strictTypes is off because nullable unions (`['integer','null']`) are intended everywhere.
  const ajv = new Ajv({ allErrors: true, strictTypes: false, allowUnionTypes: true, code: { source, esm: true } });
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

/** schemasDigest names this exact set of schemas, so a validators file written from others is not used. */
export function schemasDigest(): string {
  return createHash('sha256').update(JSON.stringify(SCHEMAS)).digest('hex');
}

/** The validators `npm run build` wrote, when they were written from these schemas. */
async function loadPrebuilt(): Promise<Partial<Record<string, ValidateFunction>> | undefined> {
  const file = './validators.js'; // a variable: the sources have no such module, only dist/ has
  const mod = (await import(file).catch(() => undefined)) as { DIGEST?: string } | undefined;
  return mod?.DIGEST === schemasDigest() ? (mod as Partial<Record<string, ValidateFunction>>) : undefined;
}

const PREBUILT = await loadPrebuilt();
const ajv = PREBUILT ? undefined : await newAjv();
const VALIDATORS = new Map<string, ValidateFunction>();

function validatorFor(kind: string): ValidateFunction | undefined {
  let validate = VALIDATORS.get(kind);
  const schema = SCHEMAS[kind];
  if (!validate && schema) {
    validate = PREBUILT?.[kind] ?? ajv?.compile(schema);
    if (validate) VALIDATORS.set(kind, validate);
  }
  return validate;
}

/** All schema violations of obj (type errors and unknown fields alike); [] when clean. */
export function schemaErrors(kind: string, obj: unknown): ErrorObject[] {
  const validate = validatorFor(kind);
  if (!validate) throw new Error(`no schema for kind ${kind}`);
  return validate(obj) ? [] : [...(validate.errors ?? [])];
}

// Decoded protobuf message → the JSON object Go's encoding/json would have produced for the same
// Kubernetes object. Go marshals non-pointer fields unconditionally, so "present" on the wire says
// little; the rules below reproduce the `omitempty` behaviour instead:
// - scalar zero values ("", 0, false) are dropped unless the field is a Go pointer `(skiff.ptr)`;
// - empty lists and maps are dropped; present sub-messages stay, even empty (`resources: {}`);
// - `(skiff.inline)` fields (embedded Go structs) are merged into their parent;
// - Time → RFC 3339 (zero time dropped), Quantity → string, IntOrString → number or string,
//   bytes → base64.
import protobuf from 'protobufjs';
import { rfc3339 } from '../../api/time.js';

type Json = Record<string, unknown>;

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const TIME = `${META}.Time`;
const QUANTITY = '.k8s.io.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';

/** Sentinel for "leave this field out". */
const OMIT = Symbol('omit');

export function messageToJson(type: protobuf.Type, message: protobuf.Message): Json {
  const out: Json = {};
  const fields = message as unknown as Record<string, unknown>;
  for (const field of type.fieldsArray) {
    // proto2 decoding sets own properties only for fields on the wire (lists/maps always exist).
    if (!Object.prototype.hasOwnProperty.call(fields, field.name)) continue;
    const raw = fields[field.name];
    if (field.options?.['(skiff.inline)'] && field.resolvedType instanceof protobuf.Type) {
      const inner = messageToJson(field.resolvedType, raw as protobuf.Message);
      for (const [k, v] of Object.entries(inner)) if (!(k in out)) out[k] = v;
      continue;
    }
    const value = fieldToJson(field, raw);
    if (value !== OMIT) out[field.name] = value;
  }
  return out;
}

function fieldToJson(field: protobuf.Field, raw: unknown): unknown {
  if (field.map) {
    const entries = Object.entries(raw as Record<string, unknown>);
    if (entries.length === 0) return OMIT;
    return Object.fromEntries(entries.map(([k, v]) => [k, valueToJson(field, v)]));
  }
  if (field.repeated) {
    const items = raw as unknown[];
    return items.length === 0 ? OMIT : items.map((v) => valueToJson(field, v));
  }
  const value = valueToJson(field, raw);
  if (value === OMIT || field.options?.['(skiff.ptr)']) return value;
  return value === '' || value === 0 || value === false ? OMIT : value;
}

/** One value of a field (a map value or list item included): never omitted except a zero Time. */
function valueToJson(field: protobuf.Field, raw: unknown): unknown {
  const type = field.resolvedType;
  if (type instanceof protobuf.Type) {
    const msg = raw as protobuf.Message;
    switch (type.fullName) {
      case TIME:
        return timeToJson(msg);
      case QUANTITY:
        return stringField(msg, 'string');
      case INT_OR_STRING:
        return intOrStringToJson(msg);
      default:
        return messageToJson(type, msg);
    }
  }
  if (raw instanceof Uint8Array) return Buffer.from(raw).toString('base64');
  if (isLong(raw)) return protobuf.util.LongBits.from(raw).toNumber();
  return raw;
}

function timeToJson(msg: protobuf.Message): unknown {
  const fields = msg as unknown as Record<string, unknown>;
  const seconds = toNumber(fields.seconds);
  const nanos = toNumber(fields.nanos);
  // Go's zero metav1.Time marshals as null: kubectl sends `creationTimestamp` that way.
  if (seconds === 0 && nanos === 0) return OMIT;
  return rfc3339(seconds * 1000);
}

function intOrStringToJson(msg: protobuf.Message): unknown {
  const fields = msg as unknown as Record<string, unknown>;
  return toNumber(fields.type) === 1 ? stringField(msg, 'strVal') : toNumber(fields.intVal);
}

function stringField(msg: protobuf.Message, name: string): string {
  const v = (msg as unknown as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (isLong(v)) return protobuf.util.LongBits.from(v).toNumber();
  return 0;
}

function isLong(v: unknown): v is protobuf.Long {
  return typeof v === 'object' && v !== null && 'low' in v && 'high' in v;
}

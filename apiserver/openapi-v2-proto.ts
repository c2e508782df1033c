// A hand-encoded gnostic `openapi_v2.Document` protobuf: the only form of /openapi/v2 kubectl
// 1.27/1.28 accept. It carries one path per kind whose `patch` operation has the GVK vendor
// extension and a `fieldValidation` query parameter (kubectl's query-parameter check), and the
// schema definitions (`kubectl explain --output plaintext-openapiv2`, client-side apply's patch
// computation). Field numbers are gnostic's (openapiv2/OpenAPIv2.proto).

import type { GroupVersionKind } from './discovery.js';
import { extensionYaml, type OpenAPISchema } from './openapi-schemas.js';

export interface V2PatchPath {
  path: string;
  operationId: string;
  gvk: GroupVersionKind;
}

const WIRE_BYTES = 2;
const QUERY_PARAMS: [string, string][] = [
  ['dryRun', 'string'],
  ['fieldManager', 'string'],
  ['fieldValidation', 'string'],
  ['force', 'boolean'],
];

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** A length-delimited field: tag, length, payload. */
function bytesField(num: number, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(varint((num << 3) | WIRE_BYTES)), Buffer.from(varint(payload.length)), payload]);
}

function str(num: number, s: string): Buffer {
  return bytesField(num, Buffer.from(s, 'utf8'));
}

function msg(num: number, ...fields: Buffer[]): Buffer {
  return bytesField(num, Buffer.concat(fields));
}

/** The GVK extension value as kube-openapi writes it: YAML with sorted keys, group quoted. */
export function gvkYaml(gvk: GroupVersionKind): string {
  return `group: ${JSON.stringify(gvk.group)}\nkind: ${gvk.kind}\nversion: ${gvk.version}\n`;
}

// Operation.parameters(8) -> ParametersItem.parameter(1) -> Parameter.non_body_parameter(2)
// -> NonBodyParameter.query_parameter_sub_schema(3) -> {in=2, name=4, type=6}
function queryParameter(name: string, type: string): Buffer {
  return msg(8, msg(1, msg(2, msg(3, str(2, 'query'), str(4, name), str(6, type)))));
}

// Operation{operation_id=5, parameters=8, responses=9, vendor_extension=13}
function patchOperation(p: V2PatchPath): Buffer {
  const params = QUERY_PARAMS.map(([name, type]) => queryParameter(name, type));
  // Responses.response_code(1) -> NamedResponseValue{name=1, value=2} -> ResponseValue.response(1) -> Response.description(1)
  const responses = msg(9, msg(1, str(1, '200'), msg(2, msg(1, str(1, 'OK')))));
  // NamedAny{name=1, value=2} -> Any.yaml(2)
  const gvk = msg(13, str(1, 'x-kubernetes-group-version-kind'), msg(2, str(2, gvkYaml(p.gvk))));
  return Buffer.concat([str(5, p.operationId), ...params, responses, gvk]);
}

// Paths.path(2) -> NamedPathItem{name=1, value=2} -> PathItem.patch(8)
function namedPath(p: V2PatchPath): Buffer {
  return msg(2, str(1, p.path), msg(2, msg(8, patchOperation(p))));
}

// Schema{_ref=1, format=2, description=4, required=19, additional_properties=21 {schema=1},
// type=22 {value=1}, items=23 {schema=1}, properties=25 {NamedSchema{name=1, value=2}},
// vendor_extension=31 NamedAny}
function schema(s: OpenAPISchema): Buffer {
  const out: Buffer[] = [];
  const text = (num: number, key: string) => typeof s[key] === 'string' && out.push(str(num, s[key]));
  text(1, '$ref');
  text(2, 'format');
  text(4, 'description');
  for (const r of (s['required'] as string[] | undefined) ?? []) out.push(str(19, r));
  if (s['additionalProperties']) out.push(msg(21, msg(1, schema(s['additionalProperties'] as OpenAPISchema))));
  if (typeof s['type'] === 'string') out.push(msg(22, str(1, s['type'])));
  if (s['items']) out.push(msg(23, msg(1, schema(s['items'] as OpenAPISchema))));
  const props = s['properties'] as Record<string, OpenAPISchema> | undefined;
  if (props) out.push(msg(25, ...Object.entries(props).map(([name, p]) => msg(1, str(1, name), msg(2, schema(p))))));
  for (const [name, value] of Object.entries(s)) {
    if (name.startsWith('x-')) out.push(msg(31, str(1, name), msg(2, str(2, extensionYaml(value)))));
  }
  return Buffer.concat(out);
}

/** Document{swagger=1, info=2 {title=1, version=2}, paths=8, definitions=9 {NamedSchema=1}}. */
export function encodeOpenAPIV2(version: string, paths: V2PatchPath[], definitions: Record<string, OpenAPISchema> = {}): Buffer {
  return Buffer.concat([
    str(1, '2.0'),
    msg(2, str(1, 'Kubernetes'), str(2, version)),
    msg(8, ...paths.map(namedPath)),
    msg(9, ...Object.entries(definitions).map(([name, s]) => msg(1, str(1, name), msg(2, schema(s))))),
  ]);
}

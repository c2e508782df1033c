// A hand-encoded gnostic `openapi_v2.Document` protobuf: the only form of /openapi/v2 kubectl
// 1.27/1.28 accept. It carries just enough for kubectl's query-parameter check: one path per
// kind whose `patch` operation has the GVK vendor extension and a `fieldValidation` query
// parameter. Field numbers are gnostic's (openapiv2/OpenAPIv2.proto).

import type { GroupVersionKind } from './discovery.js';

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

/** Document{swagger=1, info=2 {title=1, version=2}, paths=8}. */
export function encodeOpenAPIV2(version: string, paths: V2PatchPath[]): Buffer {
  return Buffer.concat([
    str(1, '2.0'),
    msg(2, str(1, 'Kubernetes'), str(2, version)),
    msg(8, ...paths.map(namedPath)),
  ]);
}

// Request bodies in Kubernetes' protobuf encoding. kubectl ≥ 1.32 sends them for the
// `kubectl create <generator>` family with no JSON fallback (kubectl-wire.md §10.6).
// Wire format: the magic `k8s\0`, then runtime.Unknown{typeMeta, raw, contentEncoding,
// contentType}, with raw = the object encoded per its group's generated.proto.
import protobuf from 'protobufjs';
import { badRequest, StatusError } from '../../api/errors.js';
import { supportedKinds, typeForKind, unknownType } from './schema.js';
import { messageToJson } from './to-json.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** The 4-byte prefix of every Kubernetes protobuf document. */
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

/** Decodes a protobuf request body into the plain object its JSON form would have been. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  const env = decodeEnvelope(body);
  if (env.contentEncoding !== '' || (env.contentType !== '' && env.contentType !== PROTOBUF_MEDIA_TYPE)) {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      `protobuf body with content encoding "${env.contentEncoding}" and content type "${env.contentType}" is not supported`,
    );
  }
  const type = typeForKind(env.apiVersion, env.kind);
  if (!type) {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      `the server cannot decode ${env.kind || '(no kind)'} of ${env.apiVersion || '(no apiVersion)'} from ${PROTOBUF_MEDIA_TYPE}; ` +
        `supported: ${supportedKinds().join(', ')}; send application/json instead`,
    );
  }
  let message: protobuf.Message;
  try {
    message = type.decode(env.raw);
  } catch (err) {
    throw badRequest(`the request body is not a valid protobuf ${env.kind}: ${(err as Error).message}`);
  }
  return { apiVersion: env.apiVersion, kind: env.kind, ...messageToJson(type, message) };
}

function decodeEnvelope(body: Buffer): Envelope {
  if (
    body.length < PROTOBUF_MAGIC.length ||
    !body.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC)
  ) {
    throw badRequest(
      `the request body is not Kubernetes protobuf: it does not start with the "k8s\\x00" prefix`,
    );
  }
  let unknown: Record<string, unknown>;
  try {
    unknown = unknownType().decode(body.subarray(PROTOBUF_MAGIC.length)) as unknown as Record<string, unknown>;
  } catch (err) {
    throw badRequest(`the request body is not a valid protobuf runtime.Unknown: ${(err as Error).message}`);
  }
  const typeMeta = (unknown.typeMeta ?? {}) as Record<string, unknown>;
  return {
    apiVersion: str(typeMeta.apiVersion),
    kind: str(typeMeta.kind),
    raw: unknown.raw instanceof Uint8Array ? unknown.raw : new Uint8Array(),
    contentEncoding: str(unknown.contentEncoding),
    contentType: str(unknown.contentType),
  };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

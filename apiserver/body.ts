// Request bodies: JSON or YAML objects, patch documents, and clear 400/415 answers otherwise.
import { parse as parseYaml } from 'yaml';
import { badRequest, StatusError } from '../api/errors.js';
import { decodeProtobufObject, PROTOBUF_MEDIA_TYPE } from './protobuf/index.js';

export const BODY_LIMIT_BYTES = 3 * 1024 * 1024;

export type BodyFormat = 'json' | 'yaml' | 'protobuf';

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isPatchType(contentType: string | undefined): boolean {
  return PATCH_TYPES.includes(mediaType(contentType));
}

/** Format of a POST/PUT body; a missing Content-Type is JSON (kubectl scale sends none). */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  const t = mediaType(contentType);
  if (t === '' || t === 'application/json' || t === '*/*') return 'json';
  if (t === 'application/yaml' || t === 'application/x-yaml' || t === 'text/yaml') return 'yaml';
  if (t === PROTOBUF_MEDIA_TYPE) return 'protobuf';
  throw unsupported(t);
}

export function unsupported(t: string): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, ${PROTOBUF_MEDIA_TYPE} (got ${JSON.stringify(t)})`,
  );
}

export function decodeBody(raw: Buffer | undefined, format: BodyFormat): unknown {
  if (format === 'protobuf') return decodeProtobufObject(raw ?? Buffer.alloc(0));
  const text = raw?.toString('utf8') ?? '';
  if (text.trim() === '') throw badRequest('the request body is empty');
  try {
    return format === 'json' ? JSON.parse(text) : parseYaml(text, { uniqueKeys: true });
  } catch (err) {
    const what = format === 'json' ? 'JSON' : 'YAML';
    throw badRequest(`the request body is not valid ${what}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Patch bodies are JSON, except apply patches which are YAML (a JSON document is valid YAML). */
export function decodePatchBody(raw: Buffer | undefined, contentType: string | undefined): unknown {
  return decodeBody(raw, mediaType(contentType) === 'application/apply-patch+yaml' ? 'yaml' : 'json');
}

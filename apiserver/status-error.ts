// Turns anything thrown while serving into the Status the client gets.
import type { FastifyError } from 'fastify';
import { StatusError, internal, isStatusError, tooLarge } from '../api/errors.js';
import { unsupported } from './body.js';

/** Everything that leaves the server is a Status: fastify's own errors included. */
export function toStatusError(err: unknown): StatusError {
  if (isStatusError(err)) return err;
  const e = err as FastifyError;
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return tooLarge('the request body is too large');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupported('');
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new StatusError(e.statusCode, e.statusCode === 400 ? 'BadRequest' : 'InternalError', e.message);
  }
  return internal(e.message ?? String(err));
}


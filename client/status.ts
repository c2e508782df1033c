// Rebuilds a StatusError from an API server's error response, so callers test err.reason and
// err.code the same way whether the error came from the server or was made locally.

import { StatusError, type StatusDetails, type StatusReason } from '../api/errors.js';

// The reason client-go assigns when a body is not a Status (errors.NewGenericServerResponse).
const REASON_BY_CODE: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** statusErrorFromResponse turns a non-2xx HTTP answer into a StatusError. */
export function statusErrorFromResponse(httpCode: number, body: string): StatusError {
  const status = parseStatus(body);
  if (status) return statusErrorFromStatus(status, httpCode);
  const reason = REASON_BY_CODE[httpCode] ?? 'InternalError';
  const message = body.trim() || `the server responded with HTTP ${httpCode}`;
  return new StatusError(httpCode, reason, message);
}

/** statusErrorFromStatus wraps a decoded Status object (from a body or a watch ERROR event). */
export function statusErrorFromStatus(status: Record<string, unknown>, fallbackCode = 500): StatusError {
  const code = typeof status.code === 'number' && status.code > 0 ? status.code : fallbackCode;
  const reason = (typeof status.reason === 'string' && status.reason) || REASON_BY_CODE[code] || 'InternalError';
  const message = typeof status.message === 'string' ? status.message : '';
  const details = typeof status.details === 'object' && status.details ? (status.details as StatusDetails) : undefined;
  return new StatusError(code, reason as StatusReason, message, details);
}

function parseStatus(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status') {
      return v as Record<string, unknown>;
    }
  } catch {
    // Not JSON: the caller builds a generic error from the text.
  }
  return undefined;
}

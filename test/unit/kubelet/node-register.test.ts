// Which registration failures the agent retries (upstream registerWithAPIServer retries until it succeeds).
import { describe, expect, it } from 'vitest';
import { StatusError } from '../../../api/errors.js';
import { transient } from '../../../kubelet/node.js';

describe('transient (registration retries)', () => {
  const netErr = (code: string) => Object.assign(new Error(code), { code });
  it.each([
    ['a connect timeout', netErr('UND_ERR_CONNECT_TIMEOUT'), true],
    ['a refused connection', netErr('ECONNREFUSED'), true],
    ['429 Too Many Requests', new StatusError(429, 'TooManyRequests', 'slow down'), true],
    ['503 from an API server without etcd', new StatusError(503, 'ServiceUnavailable', 'etcd is unavailable'), true],
    ['403 Forbidden', new StatusError(403, 'Forbidden', 'no'), false],
    ['422 Invalid', new StatusError(422, 'Invalid', 'bad node'), false],
    ['a programming error', new TypeError('x is undefined'), false],
  ] as const)('%s → %s', (_name, err, want) => {
    expect(transient(err)).toBe(want);
  });
});

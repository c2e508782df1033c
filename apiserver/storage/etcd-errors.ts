// etcd3's error classes, wrapped once at the storage boundary into Status errors.
import { isRecoverableError, EtcdError } from 'etcd3';
import { StatusError, gone, internal, serviceUnavailable } from '../../api/errors.js';

export function translateEtcdError(err: unknown): unknown {
  if (err instanceof StatusError || !(err instanceof Error)) return err;
  if (/compacted/.test(err.message)) {
    return gone('The resourceVersion for the provided list is too old.');
  }
  if (isRecoverableError(err)) return serviceUnavailable(`etcd is unavailable: ${err.message}`);
  if (err instanceof EtcdError) return internal(`etcd: ${err.message}`);
  return err;
}

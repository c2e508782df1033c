// RuntimeError codes <-> gRPC status codes, so both ends of the socket agree on what failed.
import { status } from '@grpc/grpc-js';
import { RuntimeError } from '../api.js';

type Code = RuntimeError['code'];

const TO_GRPC: Record<Code, status> = {
  NOT_FOUND: status.NOT_FOUND,
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  FAILED_PRECONDITION: status.FAILED_PRECONDITION,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
  INTERNAL: status.INTERNAL,
  UNAVAILABLE: status.UNAVAILABLE,
};

/** toGrpcStatus maps an error to a gRPC status code (unknown errors are INTERNAL). */
export function toGrpcStatus(err: unknown): status {
  return err instanceof RuntimeError ? TO_GRPC[err.code] : status.INTERNAL;
}

/** fromGrpcStatus maps a gRPC status back to a RuntimeError code. */
export function fromGrpcStatus(code: number): Code {
  const found = (Object.entries(TO_GRPC) as Array<[Code, status]>).find(([, c]) => c === code);
  return found ? found[0] : 'INTERNAL';
}

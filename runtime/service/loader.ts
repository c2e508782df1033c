// Loads RUNTIME_PROTO into a grpc-js service definition (protobufjs parse -> proto-loader fromJSON).
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { RUNTIME_PROTO } from './proto.js';

/** LOADER_OPTIONS keep field names as written and ns timestamps as numbers (as api.ts has them). */
const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: Number, enums: String, defaults: true, arrays: true, objects: true };

let cached: grpc.ServiceClientConstructor | undefined;

/** runtimeServiceClient is the generated client constructor; `.service` is the definition. */
export function runtimeServiceClient(): grpc.ServiceClientConstructor {
  if (cached) return cached;
  const root = protobuf.parse(RUNTIME_PROTO, { keepCase: true }).root;
  const def = protoLoader.fromJSON(root.toJSON(), LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(def) as unknown as { skiff: { runtime: { v1: { RuntimeService: grpc.ServiceClientConstructor } } } };
  cached = pkg.skiff.runtime.v1.RuntimeService;
  return cached;
}

/** socketAddress is the grpc-js address of a unix socket path. */
export function socketAddress(socketPath: string): string {
  return `unix://${socketPath}`;
}

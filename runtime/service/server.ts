// `skiff runtime`: the runc runtime behind gRPC on a unix socket. The runtime is its own process
// so containers, logs and exit codes outlive the agent; its state is on disk, so it also
// outlives itself (a new server on the same root picks everything up).
import * as grpc from '@grpc/grpc-js';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RuntimeService } from '../api.js';
import { toGrpcStatus } from './grpc-codes.js';
import { handlers } from './handlers.js';
import { runtimeServiceClient, socketAddress } from './loader.js';
import { RuncRuntime, type RuncRuntimeOptions } from './runc-runtime.js';

/** RuntimeServiceOptions: where to keep state and listen, plus the runtime's own settings. */
export interface RuntimeServiceOptions extends RuncRuntimeOptions {
  socketPath: string;
  /** Serve this runtime instead of a RuncRuntime on root (the fake, in tests). */
  runtime?: RuntimeService;
}

/** RunningRuntimeService is a started server. */
export interface RunningRuntimeService {
  runtime: RuntimeService;
  /** stop closes the socket; containers keep running. */
  stop(): Promise<void>;
}

/** startRuntimeService opens the runtime and serves it on opts.socketPath. */
export async function startRuntimeService(opts: RuntimeServiceOptions): Promise<RunningRuntimeService> {
  const owned = opts.runtime ? undefined : await new RuncRuntime(opts).open();
  const runtime = opts.runtime ?? (owned as RuncRuntime);
  const server = new grpc.Server();
  server.addService(runtimeServiceClient().service, implementation(runtime));
  await mkdir(dirname(opts.socketPath), { recursive: true });
  await rm(opts.socketPath, { force: true }); // a socket left by a previous run
  await new Promise<void>((resolve, reject) => {
    server.bindAsync(socketAddress(opts.socketPath), grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve()));
  });
  return {
    runtime,
    stop: async () => {
      await owned?.close(); // the spare sandbox goes while the process surely still runs
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}

function implementation(runtime: RuntimeService): grpc.UntypedServiceImplementation {
  const impl: grpc.UntypedServiceImplementation = {};
  for (const [name, handle] of Object.entries(handlers(runtime))) {
    impl[name] = (call: grpc.ServerUnaryCall<Record<string, unknown>, object>, callback: grpc.sendUnaryData<object>) => {
      handle(call.request).then(
        (res) => callback(null, res),
        (err: unknown) => callback({ code: toGrpcStatus(err), details: err instanceof Error ? err.message : String(err) }),
      );
    };
  }
  return impl;
}

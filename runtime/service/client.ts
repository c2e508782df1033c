// connectRuntime: a RuntimeService whose calls go over gRPC to `skiff runtime` on a unix socket.
import * as grpc from '@grpc/grpc-js';
import {
  RuntimeError,
  type AuthConfig, type Container, type ContainerConfig, type ContainerFilter, type ContainerStatus, type ExecSyncResponse,
  type Image, type PodSandbox, type PodSandboxConfig, type PodSandboxFilter, type PodSandboxStatus, type RuntimeConfig, type RuntimeService,
  type VersionInfo,
} from '../api.js';
import type { ImportedImage } from '../images/import.js';
import { fromGrpcStatus } from './grpc-codes.js';
import type { ImageImporter } from './handlers.js';
import { runtimeServiceClient, socketAddress } from './loader.js';

type Unary = (req: object, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;

/** RuntimeClient is a RuntimeService over gRPC, plus image import; close() releases the channel. */
export interface RuntimeClient extends RuntimeService, ImageImporter {
  close(): void;
}

/** connectRuntime returns a client for the runtime listening on socketPath. */
export function connectRuntime(socketPath: string): RuntimeClient {
  const Client = runtimeServiceClient();
  const client = new Client(socketAddress(socketPath), grpc.credentials.createInsecure()) as unknown as grpc.Client & Record<string, Unary>;
  const call = <T>(method: string, req: object = {}): Promise<T> =>
    new Promise((resolve, reject) => {
      const fn = client[method];
      if (!fn) return reject(new RuntimeError('INTERNAL', `no method ${method}`));
      fn.call(client, req, (err, res) => (err ? reject(new RuntimeError(fromGrpcStatus(err.code), err.details)) : resolve(res as T)));
    });
  const id = async (method: string, req: object) => (await call<{ id: string }>(method, req)).id;
  const none = async (method: string, req: object) => void (await call<object>(method, req));
  return {
    close: () => client.close(),
    version: () => call<VersionInfo>('Version'),
    updateRuntimeConfig: (config: RuntimeConfig) => none('UpdateRuntimeConfig', { config }),
    runPodSandbox: (config: PodSandboxConfig) => id('RunPodSandbox', { config }),
    stopPodSandbox: (sid: string) => none('StopPodSandbox', { id: sid }),
    removePodSandbox: (sid: string) => none('RemovePodSandbox', { id: sid }),
    podSandboxStatus: (sid: string) => call<PodSandboxStatus>('PodSandboxStatus', { id: sid }),
    listPodSandbox: async (filter?: PodSandboxFilter) => (await call<{ items: PodSandbox[] }>('ListPodSandbox', { filter })).items,
    createContainer: (podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig) =>
      id('CreateContainer', { podSandboxId, config, sandboxConfig }),
    startContainer: (cid: string) => none('StartContainer', { id: cid }),
    stopContainer: (cid: string, timeoutSeconds: number) => none('StopContainer', { id: cid, timeoutSeconds }),
    removeContainer: (cid: string) => none('RemoveContainer', { id: cid }),
    listContainers: async (filter?: ContainerFilter) => (await call<{ items: Container[] }>('ListContainers', { filter })).items,
    containerStatus: (cid: string) => call<ContainerStatus>('ContainerStatus', { id: cid }),
    execSync: (cid: string, cmd: string[], timeoutSeconds: number) => call<ExecSyncResponse>('ExecSync', { id: cid, cmd, timeoutSeconds }),
    reopenContainerLog: (cid: string) => none('ReopenContainerLog', { id: cid }),
    pullImage: (image: string, auth?: AuthConfig) => id('PullImage', { image, auth }),
    listImages: async () => (await call<{ items: Image[] }>('ListImages')).items,
    imageStatus: async (image: string) => (await call<{ image?: Image }>('ImageStatus', { image })).image ?? undefined,
    removeImage: (image: string) => none('RemoveImage', { image }),
    importImage: async (path: string, name?: string) => (await call<{ items: ImportedImage[] }>('ImportImage', { path, name })).items,
  };
}

// The gRPC methods as functions of a RuntimeService: request message in, response message out.
import { RuntimeError, type AuthConfig, type RuntimeConfig, type ContainerConfig, type ContainerFilter, type PodSandboxConfig, type PodSandboxFilter, type RuntimeService } from '../api.js';
import type { ImportedImage } from '../images/import.js';

/** ImageImporter is what a runtime needs for the ImportImage RPC (RuncRuntime has it). */
export interface ImageImporter {
  importImage(file: string, name?: string): Promise<ImportedImage[]>;
}

function canImport(rt: RuntimeService): rt is RuntimeService & ImageImporter {
  return typeof (rt as Partial<ImageImporter>).importImage === 'function';
}

/** Handler maps one request message to one response message. */
export type Handler = (req: Record<string, unknown>) => Promise<object>;

const EMPTY = {};

/** handlers binds each RPC of the proto to the runtime. */
export function handlers(rt: RuntimeService): Record<string, Handler> {
  const id = (req: Record<string, unknown>) => String(req.id ?? '');
  const image = (req: Record<string, unknown>) => String(req.image ?? '');
  return {
    Version: () => rt.version(),
    UpdateRuntimeConfig: async (req) => (await rt.updateRuntimeConfig((req.config ?? {}) as RuntimeConfig), EMPTY),
    RunPodSandbox: async (req) => ({ id: await rt.runPodSandbox(req.config as PodSandboxConfig) }),
    StopPodSandbox: async (req) => (await rt.stopPodSandbox(id(req)), EMPTY),
    RemovePodSandbox: async (req) => (await rt.removePodSandbox(id(req)), EMPTY),
    PodSandboxStatus: (req) => rt.podSandboxStatus(id(req)),
    ListPodSandbox: async (req) => ({ items: await rt.listPodSandbox(req.filter as PodSandboxFilter | undefined) }),
    CreateContainer: async (req) => ({
      id: await rt.createContainer(String(req.podSandboxId), req.config as ContainerConfig, req.sandboxConfig as PodSandboxConfig),
    }),
    StartContainer: async (req) => (await rt.startContainer(id(req)), EMPTY),
    StopContainer: async (req) => (await rt.stopContainer(id(req), Number(req.timeoutSeconds ?? 0)), EMPTY),
    RemoveContainer: async (req) => (await rt.removeContainer(id(req)), EMPTY),
    ListContainers: async (req) => ({ items: await rt.listContainers(req.filter as ContainerFilter | undefined) }),
    ContainerStatus: (req) => rt.containerStatus(id(req)),
    ExecSync: (req) => rt.execSync(id(req), req.cmd as string[], Number(req.timeoutSeconds ?? 0)),
    ReopenContainerLog: async (req) => (await rt.reopenContainerLog(id(req)), EMPTY),
    PullImage: async (req) => ({ id: await rt.pullImage(image(req), req.auth as AuthConfig | undefined) }),
    ListImages: async () => ({ items: await rt.listImages() }),
    ImageStatus: async (req) => {
      const img = await rt.imageStatus(image(req));
      return img ? { image: img } : {};
    },
    RemoveImage: async (req) => (await rt.removeImage(image(req)), EMPTY),
    ImportImage: async (req) => {
      if (!canImport(rt)) throw new RuntimeError('FAILED_PRECONDITION', 'this runtime cannot import images');
      const name = typeof req.name === 'string' && req.name ? req.name : undefined;
      return { items: await rt.importImage(String(req.path ?? ''), name) };
    },
  };
}

// A container as the runtime keeps it on disk (<root>/containers/<id>/container.json).
import type { ContainerConfig, Mount } from '../api.js';

/** ContainerRecord is written once at create; start/exit facts live in started/exit.json. */
export interface ContainerRecord {
  id: string;
  podSandboxId: string;
  config: ContainerConfig;
  imageRef: string;
  createdAt: number;
  logPath: string;
  cgroupsPath: string;
  stopSignal: string;
  mounts: Mount[];
}

// The parts of an OCI image config the runtime and the agent use, summarised from the config blob.
import type { ImageConfigSummary } from '../api.js';

/** OciImageConfig is the subset of application/vnd.oci.image.config.v1+json that Skiff reads. */
export interface OciImageConfig {
  architecture?: string;
  os?: string;
  config?: {
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Env?: string[] | null;
    WorkingDir?: string;
    User?: string;
    ExposedPorts?: Record<string, unknown> | null;
    StopSignal?: string;
  };
  rootfs?: { type: string; diff_ids: string[] };
}

/** summarizeImageConfig turns an image config into the summary the API hands out. */
export function summarizeImageConfig(config: OciImageConfig): ImageConfigSummary {
  const c = config.config ?? {};
  const summary: ImageConfigSummary = {
    entrypoint: c.Entrypoint ?? [],
    cmd: c.Cmd ?? [],
    env: c.Env ?? [],
    workingDir: c.WorkingDir ?? '',
    user: c.User ?? '',
    exposedPorts: Object.keys(c.ExposedPorts ?? {}).sort(),
  };
  if (c.StopSignal) summary.stopSignal = c.StopSignal;
  return summary;
}

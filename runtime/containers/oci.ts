// The subset of the OCI runtime spec (config.json) that Skiff writes.

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options?: string[];
}

export interface OciResources {
  devices?: Array<{ allow: boolean; access: string }>;
  memory?: { limit?: number; swap?: number };
  cpu?: { shares?: number; quota?: number; period?: number };
  pids?: { limit: number };
}

export interface OciNamespace {
  type: 'pid' | 'network' | 'ipc' | 'uts' | 'mount' | 'cgroup';
  path?: string;
}

export interface OciCapabilities {
  bounding: string[];
  effective: string[];
  permitted: string[];
  inheritable: string[];
}

export interface OciSpec {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number; additionalGids?: number[] };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: OciCapabilities;
    noNewPrivileges: boolean;
    oomScoreAdj?: number;
  };
  root: { path: string; readonly: boolean };
  hostname?: string;
  mounts: OciMount[];
  linux: {
    cgroupsPath: string;
    resources: OciResources;
    namespaces: OciNamespace[];
    maskedPaths?: string[];
    readonlyPaths?: string[];
  };
}

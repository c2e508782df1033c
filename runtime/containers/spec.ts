// Builds a container's OCI runtime spec (config.json) from what the runtime decided: a pure
// function of its input, table-tested in test/unit/runtime/spec.test.ts.
import type { LinuxContainerSecurityContext, Mount } from '../api.js';
import type { Identity } from './command.js';
import type { OciCapabilities, OciMount, OciNamespace, OciResources, OciSpec } from './oci.js';

/** Docker's default capability set, which Kubernetes containers start from. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

/** ALL_CAPABILITIES is every capability runc 1.1 knows, for privileged containers and "ALL". */
export const ALL_CAPABILITIES = [
  ...DEFAULT_CAPABILITIES, 'CAP_DAC_READ_SEARCH', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO',
  'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_LEASE', 'CAP_AUDIT_CONTROL',
  'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

const MASKED_PATHS = [
  '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
];
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** SpecInput is everything the spec depends on, already resolved. */
export interface SpecInput {
  rootfs: string;
  args: string[];
  env: string[];
  cwd: string;
  user: Identity;
  hostname: string;
  cgroupsPath: string;
  resources: OciResources;
  security: LinuxContainerSecurityContext;
  /** Namespace files of the sandbox to join; absent = share the host's (hostNetwork). */
  sandboxNamespaces: { network?: string; ipc?: string; uts?: string };
  /** Files the sandbox provides: /etc/hosts, /etc/resolv.conf, /etc/hostname. */
  sandboxFiles: { hosts?: string; resolvConf?: string; hostname?: string };
  mounts: Mount[];
  /**
   * The container's rootfs as an overlay of the image snapshot and a writable upper layer,
   * mounted by runc itself as the first mount (on "/"), inside the container's own mount
   * namespace: no host mount to make before nor to clean up after (it ends with the container).
   */
  overlay?: { lower: string; upper: string; work: string };
}

/** buildSpec is the OCI config.json for a container. */
export function buildSpec(input: SpecInput): OciSpec {
  const sec = input.security;
  const privileged = sec.privileged === true;
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: input.user.uid, gid: input.user.gid },
      args: input.args,
      env: input.env,
      cwd: input.cwd || '/',
      capabilities: capabilitySet(sec, privileged),
      noNewPrivileges: sec.noNewPrivs === true,
    },
    root: { path: input.rootfs, readonly: sec.readonlyRootfs === true },
    hostname: input.sandboxNamespaces.uts ? input.hostname : undefined,
    mounts: [...rootOverlay(input.overlay), ...baseMounts(privileged), ...sandboxFileMounts(input.sandboxFiles), ...input.mounts.map(bindMount)],
    linux: {
      cgroupsPath: input.cgroupsPath,
      resources: input.resources,
      namespaces: namespaces(input.sandboxNamespaces),
      ...(privileged ? {} : { maskedPaths: MASKED_PATHS, readonlyPaths: READONLY_PATHS }),
    },
  };
}

/** capabilitySet applies securityContext.capabilities (names with or without CAP_, or ALL). */
export function capabilitySet(sec: LinuxContainerSecurityContext, privileged: boolean): OciCapabilities {
  let caps = new Set(privileged ? ALL_CAPABILITIES : DEFAULT_CAPABILITIES);
  if (!privileged) {
    const norm = (c: string) => (c.toUpperCase().startsWith('CAP_') ? c.toUpperCase() : `CAP_${c.toUpperCase()}`);
    const add = (sec.capabilities?.addCapabilities ?? []).map(norm);
    const drop = (sec.capabilities?.dropCapabilities ?? []).map(norm);
    if (add.includes('CAP_ALL')) caps = new Set(ALL_CAPABILITIES);
    else add.forEach((c) => caps.add(c));
    if (drop.includes('CAP_ALL')) caps.clear();
    else drop.forEach((c) => caps.delete(c));
  }
  const list = [...caps];
  return { bounding: list, effective: list, permitted: list, inheritable: list };
}

function namespaces(ns: SpecInput['sandboxNamespaces']): OciNamespace[] {
  const out: OciNamespace[] = [{ type: 'pid' }, { type: 'mount' }];
  if (ns.network) out.push({ type: 'network', path: ns.network });
  if (ns.ipc) out.push({ type: 'ipc', path: ns.ipc });
  if (ns.uts) out.push({ type: 'uts', path: ns.uts });
  return out;
}

function rootOverlay(o: SpecInput['overlay']): OciMount[] {
  if (!o) return [];
  return [{ destination: '/', type: 'overlay', source: 'overlay', options: [`lowerdir=${o.lower}`, `upperdir=${o.upper}`, `workdir=${o.work}`] }];
}

function baseMounts(privileged: boolean): OciMount[] {
  const sysOpts = privileged ? ['nosuid', 'noexec', 'nodev'] : ['nosuid', 'noexec', 'nodev', 'ro'];
  return [
    { destination: '/proc', type: 'proc', source: 'proc' },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: sysOpts },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
  ];
}

function sandboxFileMounts(files: SpecInput['sandboxFiles']): OciMount[] {
  const out: OciMount[] = [];
  if (files.hosts) out.push(bindMount({ containerPath: '/etc/hosts', hostPath: files.hosts, readonly: false }));
  if (files.resolvConf) out.push(bindMount({ containerPath: '/etc/resolv.conf', hostPath: files.resolvConf, readonly: false }));
  if (files.hostname) out.push(bindMount({ containerPath: '/etc/hostname', hostPath: files.hostname, readonly: false }));
  return out;
}

function bindMount(m: Mount): OciMount {
  return { destination: m.containerPath, type: 'bind', source: m.hostPath, options: ['rbind', 'rprivate', m.readonly ? 'ro' : 'rw'] };
}

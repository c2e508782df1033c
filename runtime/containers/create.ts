// createContainer's steps: the image's snapshot under an overlayfs rootfs (mounted by runc, see
// SpecInput.overlay), the process resolved
// from the image config and the pod's spec, and the OCI bundle written for runc.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { RuntimeError, type ContainerConfig, type PodSandboxConfig } from '../api.js';
import { summarizeImageConfig } from '../images/config.js';
import { resolveInRoot } from '../images/root-path.js';
import type { ImageStore, StoredImage } from '../images/store.js';
import type { SandboxRecord } from '../sandbox/record.js';
import { mergeEnv, resolveArgs, resolveUser } from './command.js';
import type { NewContainer } from './manager.js';
import { toOciResources } from './resources.js';
import { buildSpec } from './spec.js';

/** prepareContainer makes <dir>/rootfs and <dir>/bundle/config.json; returns the record to keep. */
export async function prepareContainer(
  dir: string,
  id: string,
  store: ImageStore,
  sandbox: SandboxRecord,
  sandboxDir: string,
  config: ContainerConfig,
  sandboxConfig: PodSandboxConfig,
): Promise<NewContainer> {
  const img = await store.resolve(config.image.image);
  if (!img) throw new RuntimeError('NOT_FOUND', `image ${config.image.image} not found`);
  const snapshot = await store.snapshot(img);
  const [rootfs, upper, work] = ['rootfs', 'upper', 'work'].map((p) => join(dir, p)) as [string, string, string];
  await Promise.all([rootfs, upper, work, join(dir, 'bundle')].map((p) => mkdir(p, { recursive: true })));
  const spec = await specFor({ lower: snapshot, upper, work }, rootfs, img, sandbox, sandboxDir, config, id);
  await writeFile(join(dir, 'bundle', 'config.json'), JSON.stringify(spec));
  const summary = summarizeImageConfig(img.config);
  const logDir = sandboxConfig.logDirectory || sandbox.config.logDirectory;
  return {
    podSandboxId: sandbox.id,
    config,
    imageRef: img.id,
    logPath: isAbsolute(config.logPath) ? config.logPath : join(logDir, config.logPath || `${config.metadata.name}.log`),
    cgroupsPath: spec.linux.cgroupsPath,
    stopSignal: config.stopSignal || summary.stopSignal || 'SIGTERM',
    mounts: config.mounts,
  };
}

type Overlay = { lower: string; upper: string; work: string };

/**
 * The image's /etc/passwd and /etc/group by snapshot directory. A snapshot never changes once
 * unpacked (its path is the chain id of its layers), so they are read once per image, not on every
 * CreateContainer (a handful of file-system round trips on the create path).
 */
const userDatabases = new Map<string, Promise<{ passwd: string; group: string }>>();
const MAX_USER_DATABASES = 256;

function userDatabase(snapshot: string): Promise<{ passwd: string; group: string }> {
  let db = userDatabases.get(snapshot);
  if (!db) {
    // Resolved inside the image: its /etc/passwd may be a symlink, which must not reach the host's.
    const read = async (path: string) => readFile(await resolveInRoot(snapshot, path), 'utf8').catch(() => '');
    db = Promise.all([read('etc/passwd'), read('etc/group')]).then(([passwd, group]) => ({ passwd, group }));
    if (userDatabases.size >= MAX_USER_DATABASES) userDatabases.clear();
    userDatabases.set(snapshot, db);
  }
  return db;
}

async function specFor(overlay: Overlay, rootfs: string, img: StoredImage, sandbox: SandboxRecord, sdir: string, config: ContainerConfig, id: string) {
  const summary = summarizeImageConfig(img.config);
  const sec = config.linux?.securityContext ?? {};
  const { passwd, group } = await userDatabase(overlay.lower);
  let user;
  try {
    user = resolveUser(summary.user, sec.runAsUser, sec.runAsGroup, passwd, group);
  } catch (err) {
    throw new RuntimeError('INVALID_ARGUMENT', (err as Error).message);
  }
  if (sec.runAsNonRoot && user.uid === 0) {
    throw new RuntimeError('FAILED_PRECONDITION', 'container has runAsNonRoot and image will run as root');
  }
  const args = resolveArgs(summary, config.command, config.args);
  if (args.length === 0) throw new RuntimeError('INVALID_ARGUMENT', 'no command specified');
  return buildSpec({
    rootfs, args, env: mergeEnv(summary.env, config.envs), cwd: config.workingDir || summary.workingDir || '/',
    user, hostname: sandbox.config.hostname, cgroupsPath: `${sandbox.cgroupParent}/${id.slice(0, 16)}`,
    resources: toOciResources(config.linux?.resources), security: sec,
    sandboxNamespaces: { network: sandbox.netns, ipc: sandbox.ipc, uts: sandbox.uts },
    sandboxFiles: { hosts: join(sdir, 'hosts'), resolvConf: join(sdir, 'resolv.conf'), hostname: join(sdir, 'hostname') },
    mounts: config.mounts, overlay,
  });
}

// createContainer's steps: the image's snapshot under an overlayfs rootfs, the process resolved
// from the image config and the pod's spec, and the OCI bundle written for runc.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { RuntimeError, type ContainerConfig, type PodSandboxConfig } from '../api.js';
import { runOk } from '../exec/run.js';
import { summarizeImageConfig } from '../images/config.js';
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
  const rootfs = await mountRootfs(dir, await store.snapshot(img));
  const spec = await specFor(rootfs, img, sandbox, sandboxDir, config, id);
  await mkdir(join(dir, 'bundle'), { recursive: true });
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

async function mountRootfs(dir: string, snapshot: string): Promise<string> {
  const paths = ['rootfs', 'upper', 'work'].map((p) => join(dir, p));
  for (const p of paths) await mkdir(p, { recursive: true });
  const [rootfs, upper, work] = paths as [string, string, string];
  await runOk('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${snapshot},upperdir=${upper},workdir=${work}`, rootfs]);
  return rootfs;
}

async function specFor(rootfs: string, img: StoredImage, sandbox: SandboxRecord, sdir: string, config: ContainerConfig, id: string) {
  const summary = summarizeImageConfig(img.config);
  const sec = config.linux?.securityContext ?? {};
  const passwd = await readFile(join(rootfs, 'etc/passwd'), 'utf8').catch(() => '');
  const group = await readFile(join(rootfs, 'etc/group'), 'utf8').catch(() => '');
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
    mounts: config.mounts,
  });
}

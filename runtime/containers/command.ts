// Combines the image config with the container's command, args and env by Kubernetes' rules
// (https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/):
//   no command, no args -> Entrypoint + Cmd
//   command only         -> command (Cmd ignored)
//   args only            -> Entrypoint + args
//   command and args     -> command + args
import type { ImageConfigSummary, KeyValue } from '../api.js';

/** resolveArgs is the process argv for the container. */
export function resolveArgs(image: Pick<ImageConfigSummary, 'entrypoint' | 'cmd'>, command: string[], args: string[]): string[] {
  if (command.length > 0) return [...command, ...args];
  if (args.length > 0) return [...image.entrypoint, ...args];
  return [...image.entrypoint, ...image.cmd];
}

/** mergeEnv puts the container's env over the image's; order: image keys first, then new keys. */
export function mergeEnv(imageEnv: string[], envs: KeyValue[]): string[] {
  const merged = new Map<string, string>();
  for (const kv of imageEnv) {
    const eq = kv.indexOf('=');
    if (eq > 0) merged.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  for (const { key, value } of envs) merged.set(key, value);
  if (!merged.has('PATH')) merged.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  return [...merged].map(([k, v]) => `${k}=${v}`);
}

/** Identity is a resolved process user. */
export interface Identity {
  uid: number;
  gid: number;
}

/**
 * resolveUser decides the uid/gid: runAsUser/runAsGroup win, else the image's User
 * ("uid", "uid:gid", "name", "name:group") looked up in the rootfs' passwd and group text.
 */
export function resolveUser(
  imageUser: string,
  runAsUser: number | undefined,
  runAsGroup: number | undefined,
  passwd: string,
  group: string,
): Identity {
  const [userPart = '', groupPart] = imageUser.split(':');
  const fromImage = lookupUser(userPart, passwd);
  const uid = runAsUser ?? fromImage.uid;
  const userGid = runAsUser !== undefined ? lookupGidOfUid(runAsUser, passwd) : fromImage.gid;
  const gid = runAsGroup ?? (groupPart !== undefined ? lookupGroup(groupPart, group) : userGid);
  return { uid, gid };
}

function lookupUser(name: string, passwd: string): Identity {
  if (name === '') return { uid: 0, gid: 0 };
  const row = parseColonFile(passwd).find((r) => r[0] === name || (/^\d+$/.test(name) && r[2] === name));
  if (row) return { uid: Number(row[2]), gid: Number(row[3]) };
  if (/^\d+$/.test(name)) return { uid: Number(name), gid: 0 };
  throw new Error(`user "${name}" not found in the image's /etc/passwd`);
}

function lookupGidOfUid(uid: number, passwd: string): number {
  const row = parseColonFile(passwd).find((r) => r[2] === String(uid));
  return row ? Number(row[3]) : 0;
}

function lookupGroup(name: string, group: string): number {
  if (/^\d+$/.test(name)) return Number(name);
  const row = parseColonFile(group).find((r) => r[0] === name);
  if (!row) throw new Error(`group "${name}" not found in the image's /etc/group`);
  return Number(row[2]);
}

function parseColonFile(text: string): string[][] {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));
}

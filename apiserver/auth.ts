// Bearer-token authentication. Health and version endpoints stay open, as upstream's
// system:public-info-viewer allows; everything else needs a known token.
import type { IncomingHttpHeaders } from 'node:http';
import { unauthorized } from '../api/errors.js';

export interface UserInfo {
  name: string;
  groups: string[];
}

export type TokenTable = Map<string, UserInfo>;

const PUBLIC_PATHS = ['/healthz', '/livez', '/readyz', '/version'];

export function isPublicPath(url: string): boolean {
  const path = url.split('?')[0]!;
  return PUBLIC_PATHS.some((p) => path === p || path.startsWith(p + '/'));
}

/** The user a request authenticates as; throws 401 for a missing or unknown token. */
export function authenticate(req: { url: string; headers: IncomingHttpHeaders }, tokens: TokenTable): UserInfo | undefined {
  if (isPublicPath(req.url)) return undefined;
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  const user = m ? tokens.get(m[1]!) : undefined;
  if (!user) throw unauthorized();
  return user;
}

// GET /version. The minor version matters beyond `kubectl version`: the kubectl dispatcher on
// the test machines picks the client binary (kubectl.1.<minor>) from it.

import type { FastifyInstance } from 'fastify';
import { rfc3339 } from '../api/time.js';

export const SERVER_MAJOR = '1';
export const SERVER_MINOR = '33';
export const GIT_VERSION = `v${SERVER_MAJOR}.${SERVER_MINOR}.0-skiff`;

// Fixed at module load so every answer of one server process is identical.
const BUILD_DATE = rfc3339(Date.now());

export function versionInfo(): Record<string, string> {
  return {
    major: SERVER_MAJOR,
    minor: SERVER_MINOR,
    gitVersion: GIT_VERSION,
    gitCommit: process.env.SKIFF_GIT_COMMIT ?? '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: BUILD_DATE,
    goVersion: `node${process.version}`,
    compiler: 'skiff',
    platform: 'linux/amd64',
  };
}

export async function versionRoutes(app: FastifyInstance): Promise<void> {
  app.get('/version', async () => versionInfo());
}

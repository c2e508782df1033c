// The environment a container's shim starts with: the runtime's, minus what only slows node's start.
import { describe, expect, it } from 'vitest';
import { shimEnv } from '../../../runtime/containers/shim-launch.js';

describe('shimEnv', () => {
  it.each([
    { name: 'drops NODE_EXTRA_CA_CERTS', env: { PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' }, want: { PATH: '/bin' } },
    { name: 'keeps everything else', env: { PATH: '/bin', NODE_OPTIONS: '--max-old-space-size=64', HOME: '/root' }, want: { PATH: '/bin', NODE_OPTIONS: '--max-old-space-size=64', HOME: '/root' } },
    { name: 'an empty environment stays empty', env: {}, want: {} },
  ])('$name', ({ env, want }) => {
    const before = { ...env };
    expect(shimEnv(env)).toEqual(want);
    expect(env).toEqual(before); // the runtime's own environment is not changed
  });
});

import { describe, expect, it } from 'vitest';
import { buildSpec, capabilitySet, DEFAULT_CAPABILITIES, type SpecInput } from '../../../runtime/containers/spec.js';

function input(over: Partial<SpecInput> = {}): SpecInput {
  return {
    rootfs: '/c/rootfs', args: ['sh'], env: ['PATH=/bin'], cwd: '', user: { uid: 0, gid: 0 }, hostname: 'pod',
    cgroupsPath: '/skiff/pod/ctr', resources: {}, security: {},
    sandboxNamespaces: { network: '/run/netns/n', ipc: '/s/ipc', uts: '/s/uts' },
    sandboxFiles: { hosts: '/s/hosts', resolvConf: '/s/resolv.conf' }, mounts: [], ...over,
  };
}

describe('buildSpec', () => {
  it('joins the sandbox namespaces and keeps its own pid and mount namespaces', () => {
    expect(buildSpec(input()).linux.namespaces).toEqual([
      { type: 'pid' }, { type: 'mount' }, { type: 'network', path: '/run/netns/n' }, { type: 'ipc', path: '/s/ipc' }, { type: 'uts', path: '/s/uts' },
    ]);
  });
  it('shares the host network and uts (hostNetwork) without a hostname', () => {
    const s = buildSpec(input({ sandboxNamespaces: { ipc: '/s/ipc' } }));
    expect(s.linux.namespaces.map((n) => n.type)).toEqual(['pid', 'mount', 'ipc']);
    expect(s.hostname).toBeUndefined();
  });
  it('defaults cwd to /', () => expect(buildSpec(input()).process.cwd).toBe('/'));
  it.each([
    ['readOnlyRootFilesystem', { readonlyRootfs: true }, (s: ReturnType<typeof buildSpec>) => s.root.readonly, true],
    ['allowPrivilegeEscalation false', { noNewPrivs: true }, (s: ReturnType<typeof buildSpec>) => s.process.noNewPrivileges, true],
    ['privileged drops masked paths', { privileged: true }, (s: ReturnType<typeof buildSpec>) => s.linux.maskedPaths, undefined],
  ])('%s', (_n, security, pick, want) => {
    expect(pick(buildSpec(input({ security })))).toEqual(want);
  });
  it('uses the user it was given', () => {
    expect(buildSpec(input({ user: { uid: 1000, gid: 3000 } })).process.user).toEqual({ uid: 1000, gid: 3000 });
  });
  it('bind-mounts sandbox files and volumes, read-only when asked', () => {
    const s = buildSpec(input({ mounts: [{ containerPath: '/data', hostPath: '/v/data', readonly: true }] }));
    const binds = s.mounts.filter((m) => m.type === 'bind');
    expect(binds).toEqual([
      { destination: '/etc/hosts', type: 'bind', source: '/s/hosts', options: ['rbind', 'rprivate', 'rw'] },
      { destination: '/etc/resolv.conf', type: 'bind', source: '/s/resolv.conf', options: ['rbind', 'rprivate', 'rw'] },
      { destination: '/data', type: 'bind', source: '/v/data', options: ['rbind', 'rprivate', 'ro'] },
    ]);
  });
});

describe('capabilitySet', () => {
  it.each([
    ['defaults', {}, DEFAULT_CAPABILITIES.length, 'CAP_CHOWN', true],
    ['add NET_ADMIN without prefix', { capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: [] } }, DEFAULT_CAPABILITIES.length + 1, 'CAP_NET_ADMIN', true],
    ['drop one', { capabilities: { addCapabilities: [], dropCapabilities: ['CAP_CHOWN'] } }, DEFAULT_CAPABILITIES.length - 1, 'CAP_CHOWN', false],
    ['drop ALL', { capabilities: { addCapabilities: [], dropCapabilities: ['ALL'] } }, 0, 'CAP_KILL', false],
    ['drop ALL, add one back', { capabilities: { addCapabilities: ['NET_BIND_SERVICE'], dropCapabilities: ['ALL'] } }, 0, 'CAP_NET_BIND_SERVICE', false],
  ])('%s', (_n, sec, count, cap, present) => {
    const caps = capabilitySet(sec, false);
    expect(caps.bounding.length).toBe(count);
    expect(caps.effective.includes(cap)).toBe(present);
  });
  it('privileged has every capability', () => {
    expect(capabilitySet({}, true).bounding).toContain('CAP_SYS_ADMIN');
  });
});

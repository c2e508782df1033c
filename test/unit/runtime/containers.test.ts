import { describe, expect, it } from 'vitest';
import { mergeEnv, resolveArgs, resolveUser } from '../../../runtime/containers/command.js';
import { formatLogLine, formatTimestamp, LineSplitter } from '../../../runtime/containers/crilog.js';
import { exitReason } from '../../../runtime/containers/exit-record.js';
import { toOciResources } from '../../../runtime/containers/resources.js';

describe('resolveArgs (Kubernetes command/args rules)', () => {
  const image = { entrypoint: ['/entry'], cmd: ['--default'] };
  it.each([
    ['neither: entrypoint + cmd', [], [], ['/entry', '--default']],
    ['command only: cmd ignored', ['/bin/sh'], [], ['/bin/sh']],
    ['args only: entrypoint + args', [], ['-v'], ['/entry', '-v']],
    ['both: command + args', ['/bin/sh'], ['-c', 'x'], ['/bin/sh', '-c', 'x']],
  ])('%s', (_n, command, args, want) => {
    expect(resolveArgs(image, command, args)).toEqual(want);
  });
});

describe('mergeEnv', () => {
  it('overrides image values, keeps order, adds new keys after', () => {
    expect(mergeEnv(['PATH=/bin', 'A=1', 'B=2'], [{ key: 'B', value: 'x' }, { key: 'C', value: '3=3' }])).toEqual(['PATH=/bin', 'A=1', 'B=x', 'C=3=3']);
  });
  it('adds a default PATH', () => {
    expect(mergeEnv([], [])[0]).toMatch(/^PATH=/);
  });
});

describe('resolveUser', () => {
  const passwd = 'root:x:0:0::/root:/bin/sh\napp:x:1000:2000::/home/app:/bin/sh\n';
  const group = 'root:x:0:\nstaff:x:50:\n';
  it.each([
    ['image default is root', '', undefined, undefined, { uid: 0, gid: 0 }],
    ['named image user', 'app', undefined, undefined, { uid: 1000, gid: 2000 }],
    ['numeric unknown user', '4242', undefined, undefined, { uid: 4242, gid: 0 }],
    ['user:group by name', 'app:staff', undefined, undefined, { uid: 1000, gid: 50 }],
    ['runAsUser wins, gid from passwd', 'root', 1000, undefined, { uid: 1000, gid: 2000 }],
    ['runAsUser and runAsGroup', '', 7, 8, { uid: 7, gid: 8 }],
  ])('%s', (_n, imageUser, runAsUser, runAsGroup, want) => {
    expect(resolveUser(imageUser, runAsUser, runAsGroup, passwd, group)).toEqual(want);
  });
  it('refuses an unknown user name', () => {
    expect(() => resolveUser('ghost', undefined, undefined, passwd, group)).toThrow(/ghost/);
  });
});

describe('CRI log format', () => {
  it('prints nanoseconds', () => {
    expect(formatTimestamp(new Date('2016-10-06T00:17:09.669Z'), 794202)).toBe('2016-10-06T00:17:09.669794202Z');
  });
  it('formats a record', () => {
    expect(formatLogLine('T', 'stdout', 'F', 'hi')).toBe('T stdout F hi\n');
  });
  it('splits chunks into full and partial lines', () => {
    const s = new LineSplitter('stdout', 4);
    expect(s.push('ab')).toEqual([]);
    expect(s.push('c\nde')).toEqual([['F', 'abc']]);
    expect(s.push('fghij\n')).toEqual([['P', 'defg'], ['F', 'hij']]);
    expect(s.push('xyz')).toEqual([]);
    expect(s.flush()).toEqual([['F', 'xyz']]);
    expect(s.flush()).toEqual([]);
  });
  it('keeps empty lines', () => {
    expect(new LineSplitter('stderr').push('\n\n')).toEqual([['F', ''], ['F', '']]);
  });
});

describe('toOciResources', () => {
  const deny = [{ allow: false, access: 'rwm' }];
  it.each([
    ['nothing set', {}, { devices: deny }],
    ['memory limit without swap', { memoryLimitInBytes: 67108864 }, { devices: deny, memory: { limit: 67108864, swap: 67108864 } }],
    ['quota gets the default period', { cpuQuota: 50000 }, { devices: deny, cpu: { quota: 50000, period: 100000 } }],
    ['shares and period', { cpuShares: 512, cpuQuota: 20000, cpuPeriod: 50000 }, { devices: deny, cpu: { shares: 512, quota: 20000, period: 50000 } }],
    ['pids', { pidsLimit: 64 }, { devices: deny, pids: { limit: 64 } }],
    ['zeros mean unlimited', { memoryLimitInBytes: 0, cpuQuota: 0, cpuShares: 0, pidsLimit: 0 }, { devices: deny }],
  ])('%s', (_n, input, want) => {
    expect(toOciResources(input)).toEqual(want);
  });
});

describe('exitReason', () => {
  it.each([
    [0, false, 'Completed'],
    [1, false, 'Error'],
    [137, true, 'OOMKilled'],
    [137, false, 'Error'],
  ] as const)('%i oom=%s -> %s', (code, oom, want) => expect(exitReason(code, oom)).toBe(want));
});

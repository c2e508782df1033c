import { describe, expect, it } from 'vitest';
import { defaultKubeconfigPath, parseKubeconfig } from '../../../client/kubeconfig.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

const doc = `
apiVersion: v1
kind: Config
current-context: admin@skiff
clusters:
- name: skiff
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: ${Buffer.from(PEM).toString('base64')}
- name: lab
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority: certs/ca.pem
- name: insecure
  cluster:
    server: https://10.0.0.2:6443
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: s3cret
- name: bot
  user:
    tokenFile: /var/run/token
contexts:
- name: admin@skiff
  context: {cluster: skiff, user: admin, namespace: team-a}
- name: lab
  context: {cluster: lab, user: bot}
- name: insecure
  context: {cluster: insecure}
`;

const files: Record<string, string> = { '/etc/skiff/certs/ca.pem': 'LAB CA', '/var/run/token': 'tok\n' };
const readFile = (p: string): string => {
  if (!(p in files)) throw new Error(`ENOENT ${p}`);
  return files[p];
};

describe('parseKubeconfig', () => {
  const cases = [
    {
      name: 'current context, inline CA and token',
      context: undefined,
      want: { server: 'https://127.0.0.1:6443', ca: PEM, token: 's3cret', insecureSkipTLSVerify: false, namespace: 'team-a' },
    },
    {
      name: 'CA file relative to the kubeconfig and a token file',
      context: 'lab',
      want: { server: 'https://10.0.0.1:6443', ca: 'LAB CA', token: 'tok', insecureSkipTLSVerify: false, namespace: 'default' },
    },
    {
      name: 'insecure-skip-tls-verify without user',
      context: 'insecure',
      want: { server: 'https://10.0.0.2:6443', ca: undefined, token: undefined, insecureSkipTLSVerify: true, namespace: 'default' },
    },
  ];
  it.each(cases)('$name', ({ context, want }) => {
    expect(parseKubeconfig(doc, { context, baseDir: '/etc/skiff', readFile })).toEqual(want);
  });

  it('rejects an unknown context and a missing current-context', () => {
    expect(() => parseKubeconfig(doc, { context: 'nope' })).toThrow(/context "nope" not found/);
    expect(() => parseKubeconfig('clusters: []')).toThrow(/no current-context/);
  });
});

describe('defaultKubeconfigPath', () => {
  it.each([
    { env: { KUBECONFIG: '/a/config:/b/config' }, want: '/a/config' },
    { env: { SKIFF_HOME: '/srv/skiff' }, want: '/srv/skiff/kubeconfig' },
    { env: { KUBECONFIG: '', SKIFF_HOME: '/h' }, want: '/h/kubeconfig' },
  ])('$want', ({ env, want }) => {
    expect(defaultKubeconfigPath(env)).toBe(want);
  });
});

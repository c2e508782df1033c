// The skiff CLI's kubectl-like verbs against a real etcd + API server, run in-process through
// runCli (plus one spawned process). No controllers run here: tests write Deployment status
// themselves where a verb reads it.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustResource } from '../../api/registry.js';
import { runCli } from '../../cli/cli.js';
import { RestClient } from '../../client/rest.js';
import { startTestCluster, type TestCluster } from './harness.js';

let cluster: TestCluster;
let client: RestClient;
const ns = `cli-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'skiff-cli-it-'));

class Buf {
  text = '';
  write(s: string): void {
    this.text += s;
  }
}

interface Run {
  code: number;
  out: string;
  err: string;
}

async function sk(args: string[], opts: { stdin?: string; signal?: AbortSignal; out?: Buf } = {}): Promise<Run> {
  const out = opts.out ?? new Buf();
  const err = new Buf();
  const stdin = opts.stdin === undefined ? undefined : [opts.stdin];
  const code = await runCli(['--kubeconfig', cluster.kubeconfig, '-n', ns, ...args], { stdout: out, stderr: err, stdin, signal: opts.signal });
  return { code, out: out.text, err: err.text };
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function until(cond: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await cond())) await new Promise((r) => setTimeout(r, 20));
}

const deployment = (image: string, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web${extra}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: ${image}
        env: [{name: E1, value: "1"}${extra ? ', {name: E2, value: "2"}' : ''}]
`;

beforeAll(async () => {
  cluster = await startTestCluster();
  client = RestClient.fromKubeconfig(cluster.kubeconfig);
  const r = await sk(['apply', '-f', '-'], { stdin: `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n` });
  expect(r).toMatchObject({ code: 0, out: `namespace/${ns} created\n` });
});

afterAll(async () => {
  await client?.close();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('apply, get, delete', () => {
  it('creates, leaves unchanged, then configures with a three-way patch', async () => {
    const v1 = file('web1.yaml', `${deployment('nginx:1.25', ', tier: fe')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {k: v1}\n`);
    expect(await sk(['apply', '-f', v1])).toEqual({ code: 0, out: 'deployment.apps/web created\nconfigmap/web-config created\n', err: '' });
    expect((await sk(['apply', '-f', v1])).out).toBe('deployment.apps/web unchanged\nconfigmap/web-config unchanged\n');
    // Someone else adds a label the manifest never had: apply must keep it.
    await client.patch(mustResource('deployments'), ns, 'web', 'merge', { metadata: { labels: { owner: 'ops' } } });
    const v2 = file('web2.yaml', deployment('nginx:1.26'));
    expect((await sk(['apply', '-f', v2])).out).toBe('deployment.apps/web configured\n');
    const got = await sk(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[*].name}']);
    expect(got.out).toBe('{"app":"web","owner":"ops"} nginx:1.26 E1');
  });

  it('prints Tables, names, and kubectl’s errors and exit codes', async () => {
    const table = await sk(['get', 'deploy']);
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    expect(table.out).toMatch(/^web\s+/m);
    const wide = await sk(['get', 'deployments.apps', '-o', 'wide']);
    expect(wide.out.split('\n')[0]).toContain('CONTAINERS');
    const labels = await sk(['get', 'cm,deploy', '--show-labels']);
    expect(labels.out).toMatch(/^configmap\/web-config\s/m);
    expect(labels.out).toMatch(/^deployment\.apps\/web\s.*app=web,owner=ops$/m);
    expect((await sk(['get', 'deploy/web', 'cm/web-config', '-o', 'name'])).out).toBe('deployment.apps/web\nconfigmap/web-config\n');
    const json = JSON.parse((await sk(['get', 'cm', '-l', 'nothing=here', '-o', 'json'])).out);
    expect(json).toMatchObject({ kind: 'List', items: [] });
    expect(await sk(['get', 'deploy', 'nope'])).toEqual({ code: 1, out: '', err: 'Error from server (NotFound): deployments.apps "nope" not found\n' });
    expect(await sk(['get', 'widgets'])).toMatchObject({ code: 1, err: 'error: the server doesn\'t have a resource type "widgets"\n' });
    expect((await sk(['get', 'pods'])).err).toBe(`No resources found in ${ns} namespace.\n`);
    const all = await sk(['get', 'cm', '-A', '--field-selector', 'metadata.name=web-config']);
    expect(all.out).toMatch(new RegExp(`^NAMESPACE\\s+NAME\\s+DATA\\s+AGE\\n${ns}\\s+web-config\\s+1\\s`));
  });

  it('create -f reports AlreadyExists with the file; bad manifests name file and document', async () => {
    const p = file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\n');
    expect(await sk(['create', '-f', p])).toEqual({
      code: 1,
      out: '',
      err: `Error from server (AlreadyExists): error when creating "${p}": configmaps "web-config" already exists\n`,
    });
    const bad = file('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n');
    expect(await sk(['apply', '-f', bad])).toMatchObject({ code: 1, err: `error: error validating "${bad}" (document 2): metadata.name: Required value\n` });
  });

  it('replace -f and --dry-run', async () => {
    const p = file('cm2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {k: replaced}\n');
    expect((await sk(['replace', '-f', p])).out).toBe('configmap/web-config replaced\n');
    const dry = file('cm3.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry}\n');
    expect((await sk(['apply', '-f', dry, '--dry-run=server'])).out).toBe('configmap/dry created (server dry run)\n');
    expect((await sk(['apply', '-f', dry, '--dry-run=client'])).out).toBe('configmap/dry created (dry run)\n');
    expect((await sk(['get', 'cm', 'dry'])).code).toBe(1);
  });

  it('delete by name, by label and --all waits until objects are gone', async () => {
    for (const n of ['d1', 'd2', 'd3']) {
      await sk(['create', 'configmap', n, '--from-literal=a=1']);
    }
    await sk(['label', 'cm', 'd2', 'd3', 'group=x']);
    expect(await sk(['delete', 'cm', 'd1'])).toEqual({ code: 0, out: 'configmap "d1" deleted\n', err: '' });
    expect((await sk(['delete', 'cm', '-l', 'group=x'])).out).toBe('configmap "d2" deleted\nconfigmap "d3" deleted\n');
    expect((await sk(['get', 'cm', '-l', 'group=x', '-o', 'name'])).out).toBe('');
    // No garbage collector runs here, so a foreground delete stays pending: do not wait for it.
    await sk(['create', 'configmap', 'fg']);
    expect((await sk(['delete', 'cm', 'fg', '--cascade=foreground', '--wait=false'])).out).toBe('configmap "fg" deleted\n');
    const fg = await sk(['get', 'cm', 'fg', '-o', 'jsonpath={.metadata.finalizers}']);
    expect(fg.out).toContain('foregroundDeletion');
    expect((await sk(['delete', 'cm', 'd1'])).err).toBe('Error from server (NotFound): configmaps "d1" not found\n');
    expect((await sk(['delete', 'cm', 'd1', '--ignore-not-found'])).code).toBe(0);
    expect((await sk(['delete', 'cm'])).err).toBe('error: resource(s) were provided, but no name was specified\n');
  });
});

describe('imperative verbs', () => {
  it('scale, set image, label, annotate, create configmap and describe', async () => {
    expect((await sk(['scale', 'deploy/web', '--replicas=4'])).out).toBe('deployment.apps/web scaled\n');
    expect((await sk(['scale', 'deploy', 'web', '--replicas=5', '--current-replicas=3'])).err).toBe('error: Expected replicas to be 3, was 4\n');
    expect((await sk(['set', 'image', 'deploy/web', 'nginx=nginx:1.27'])).out).toBe('deployment.apps/web image updated\n');
    expect((await sk(['label', 'deploy', 'web', 'tier=be'])).out).toBe('deployment.apps/web labeled\n');
    expect((await sk(['label', 'deploy', 'web', 'tier=fe'])).err).toBe("error: 'tier' already has a value (be), and --overwrite is false\n");
    expect((await sk(['label', 'deploy', 'web', 'tier=fe', '--overwrite'])).code).toBe(0);
    expect((await sk(['annotate', 'deploy/web', 'note=hi'])).out).toBe('deployment.apps/web annotated\n');
    const got = await sk(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.labels.tier} {.metadata.annotations.note}']);
    expect(got.out).toBe('4 nginx:1.27 fe hi');
    expect((await sk(['create', 'configmap', 'settings', '--from-literal=a=1', `--from-file=greeting=${file('g.txt', 'hello')}`])).out).toBe('configmap/settings created\n');
    const secret = await sk(['create', 'secret', 'generic', 'pw', '--from-literal=p=x', '--dry-run=client', '-o', 'yaml']);
    expect(secret.out).toContain('p: eA==');
    expect((await sk(['get', 'secret', 'pw'])).code).toBe(1);
    const d = await sk(['describe', 'cm', 'settings']);
    expect(d.out).toMatch(/^Name:\s+settings$/m);
    expect(d.out).toContain('greeting:\n----\nhello');
    expect(d.out).toContain('Events:  <none>');
    const dd = await sk(['describe', 'deploy/web']);
    expect(dd.out).toMatch(/^Replicas:\s+4 desired \|/m);
    expect(dd.out).toMatch(/Image:\s+nginx:1\.27/);
  });

  it('patch with all three types, and edit through $EDITOR', async () => {
    expect((await sk(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}'])).out).toBe(
      'deployment.apps/web patched\n',
    );
    expect((await sk(['patch', 'deploy/web', '--type=merge', '-p', 'metadata: {labels: {patched: "yes"}}'])).out).toBe('deployment.apps/web patched\n');
    expect((await sk(['patch', 'deploy/web', '--type=merge', '-p', '{"metadata":{"labels":{"patched":"yes"}}}'])).out).toBe(
      'deployment.apps/web patched (no change)\n',
    );
    const jp = file('jp.json', '[{"op":"replace","path":"/spec/replicas","value":3}]');
    expect((await sk(['patch', 'deploy/web', '--type', 'json', '--patch-file', jp])).out).toBe('deployment.apps/web patched\n');
    const got = await sk(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[0].name} {.metadata.labels.patched}']);
    expect(got.out).toBe('3 nginx:1.28 E1 yes');
    expect(await sk(['patch', 'deploy/web', '--type=json', '-p', '{"op":"add"}'])).toMatchObject({ code: 1, err: 'error: unable to parse the patch: a JSON patch must be a list of operations\n' });
    expect((await sk(['patch', 'deploy/web', '-p', '{"spec":{"replicas":-1}}'])).err).toBe(
      'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
    );
    expect((await sk(['patch', 'deploy', 'nope', '-p', '{}'])).err).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');

    // The editor is any command line; the file is its last argument.
    const env = { ...process.env, EDITOR: "sed -i -e 's/replicas: 3/replicas: 4/'" };
    const edit = async (args: string[], editor: NodeJS.ProcessEnv) => {
      const out = new Buf();
      const err = new Buf();
      const code = await runCli(['--kubeconfig', cluster.kubeconfig, '-n', ns, ...args], { stdout: out, stderr: err, env: editor });
      return { code, out: out.text, err: err.text };
    };
    expect(await edit(['edit', 'deploy/web'], env)).toEqual({ code: 0, out: 'deployment.apps/web edited\n', err: '' });
    expect((await sk(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.labels.patched}'])).out).toBe('4 yes');
    expect((await edit(['edit', 'deploy/web'], { ...process.env, EDITOR: 'true' })).out).toBe('Edit cancelled, no changes made.\n');
    const invalid = await edit(['edit', 'deploy/web'], { ...process.env, EDITOR: "sed -i -e 's/replicas: 4/replicas: -5/'" });
    expect(invalid.code).toBe(1);
    expect(invalid.err).toContain('spec.replicas: Invalid value: -5: must be greater than or equal to 0');
    const kept = invalid.err.match(/A copy of your changes has been stored to "([^"]+)"/)?.[1];
    expect(kept).toBeDefined();
    expect(readFileSync(kept!, 'utf8')).toContain('replicas: -5');
    rmSync(kept!, { force: true });
    expect((await sk(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).out).toBe('4');
  });

  it('rollout pause/resume/restart', async () => {
    expect((await sk(['rollout', 'pause', 'deploy/web'])).out).toBe('deployment.apps/web paused\n');
    expect((await sk(['rollout', 'pause', 'deploy/web'])).err).toBe('error: deployments.apps "web" is already paused\n');
    expect((await sk(['rollout', 'undo', 'deploy/web'])).err).toMatch(/^error: you cannot rollback a paused deployment/);
    expect((await sk(['rollout', 'resume', 'deploy/web'])).out).toBe('deployment.apps/web resumed\n');
    expect((await sk(['rollout', 'restart', 'deploy/web'])).out).toBe('deployment.apps/web restarted\n');
    const annotations = (await sk(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations}'])).out;
    expect(annotations).toContain('kubectl.kubernetes.io/restartedAt');
  });

  it('rollout status follows progress and fails on ProgressDeadlineExceeded', async () => {
    const deploys = mustResource('deployments');
    const setStatus = async (status: Record<string, unknown>): Promise<void> => {
      const d = await client.get(deploys, ns, 'web');
      await client.updateStatus(deploys, { ...d, status: { observedGeneration: d.metadata.generation, ...status } });
    };
    await setStatus({ replicas: 4, updatedReplicas: 1 });
    const out = new Buf();
    const running = sk(['rollout', 'status', 'deploy/web'], { out });
    await until(() => out.text.includes('1 out of 4 new replicas have been updated'));
    await setStatus({ replicas: 4, updatedReplicas: 4, availableReplicas: 3 });
    await until(() => out.text.includes('3 of 4 updated replicas are available'));
    await setStatus({ replicas: 4, updatedReplicas: 4, availableReplicas: 4 });
    expect((await running).code).toBe(0);
    expect(out.text.trimEnd().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');

    await setStatus({ replicas: 4, updatedReplicas: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    expect(await sk(['rollout', 'status', 'deploy/web'])).toMatchObject({ code: 1, err: 'error: deployment "web" exceeded its progress deadline\n' });
  });

  it('wait --for=condition and get -w', async () => {
    const deploys = mustResource('deployments');
    const d = await client.get(deploys, ns, 'web');
    await client.updateStatus(deploys, { ...d, status: { conditions: [{ type: 'Available', status: 'True' }] } });
    expect((await sk(['wait', '--for=condition=Available', 'deploy/web'])).out).toBe('deployment.apps/web condition met\n');
    expect((await sk(['wait', '--for=condition=Missing', 'deploy/web', '--timeout=200ms'])).err).toBe(
      'error: timed out waiting for the condition on deployments/web\n',
    );

    const abort = new AbortController();
    const out = new Buf();
    const watching = sk(['get', 'cm', '-w'], { signal: abort.signal, out });
    await until(() => out.text.startsWith('NAME'));
    await sk(['create', 'configmap', 'watched', '--from-literal=a=1']);
    await until(() => /^watched\s+1\s/m.test(out.text));
    abort.abort();
    expect((await watching).code).toBe(0);
  });

  it('api-resources, version, config', async () => {
    const r = await sk(['api-resources']);
    expect(r.out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect((await sk(['version'])).out).toMatch(/^Client Version: v0\.1\.0\nServer Version: v1\.\d+/);
    const kc = join(dir, 'kubeconfig');
    copyFileSync(cluster.kubeconfig, kc);
    const ctx = await runCli(['--kubeconfig', kc, 'config', 'get-contexts'], { stdout: new Buf(), stderr: new Buf() });
    expect(ctx).toBe(0);
    const err = new Buf();
    expect(await runCli(['--kubeconfig', kc, 'config', 'use-context', 'nope'], { stdout: new Buf(), stderr: err })).toBe(1);
    expect(err.text).toBe('error: no context exists with the name: "nope"\n');
    const current = readFileSync(kc, 'utf8').match(/current-context: (\S+)/)?.[1] ?? '';
    const out = new Buf();
    expect(await runCli(['--kubeconfig', kc, 'config', 'use-context', current], { stdout: out, stderr: new Buf() })).toBe(0);
    expect(out.text).toBe(`Switched to context "${current}".\n`);
  });
});

describe('the skiff binary', () => {
  it('runs as a process with kubectl exit codes', async () => {
    const run = promisify(execFile);
    const ok = await run(process.execPath, ['--import', 'tsx', 'cli/main.ts', '--kubeconfig', cluster.kubeconfig, 'get', 'ns', ns]);
    expect(ok.stdout).toMatch(new RegExp(`^NAME\\s+STATUS\\s+AGE\\n${ns}\\s+Active`));
    const bad = await run(process.execPath, ['--import', 'tsx', 'cli/main.ts', '--kubeconfig', cluster.kubeconfig, '-n', ns, 'get', 'deploy', 'nope']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n' });
  });
});

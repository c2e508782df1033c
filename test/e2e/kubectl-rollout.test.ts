// The real kubectl drives a rollout end to end (issue 5): apply, set image, rollout status
// (returns once complete), rollout history, rollout undo and undo --to-revision=1, against the
// API server with the replicaset + deployment controllers and the stub node agent.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlBinary } from '../helpers/kubectl.js';
import { createNamespace, deployments, rolledOut, startEnv, waitFor, type Env, type Obj } from '../integration/controllers-deployment-helpers.js';

const run = promisify(execFile);

const kubectlBin = kubectlBinary;

const MANIFEST = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations:
    kubernetes.io/change-cause: first ${image}
spec:
  replicas: 3
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
`;

let env: Env;
let dir: string;
beforeAll(async () => {
  env = await startEnv();
  dir = mkdtempSync(join(tmpdir(), 'skiff-rollout-'));
});
afterAll(async () => {
  await env?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

for (const version of ['1.33', '1.27']) {
  const bin = kubectlBin(version);
  describe.skipIf(!bin)(`kubectl ${version} rollout`, () => {
    let ns: string;
    const kubectl = async (...args: string[]) => {
      const home = join(dir, version);
      const res = await run(bin!, ['--kubeconfig', env.cluster.kubeconfig, '--cache-dir', join(home, 'cache'), '-n', ns, ...args], {
        env: { ...process.env, HOME: home }, timeout: 60_000,
      });
      return res.stdout;
    };
    const image = async () => (await env.client.get<Obj>(deployments, ns, 'web')).spec.template.spec.containers[0].image;

    it('apply, set image, status, history, undo, undo --to-revision=1', async () => {
      ns = await createNamespace(env.client, `rollout-${version.replace('.', '')}`);
      const file = join(dir, `${version}.yaml`);
      writeFileSync(file, MANIFEST('web', 'nginx:1.25'));
      await kubectl('apply', '-f', file);
      expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s')).toContain('successfully rolled out');
      await kubectl('set', 'image', 'deployment/web', 'web=nginx:1.26');
      await kubectl('annotate', 'deployment/web', '--overwrite', 'kubernetes.io/change-cause=second');
      expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s')).toContain('successfully rolled out');
      await waitFor('nginx:1.26 pods', () => rolledOut(env.client, ns, 'web', 'nginx:1.26'));

      const history = await kubectl('rollout', 'history', 'deployment/web');
      expect(history).toMatch(/1\s+first nginx:1.25/);
      expect(history).toMatch(/2\s+(second|first nginx:1.25)/);

      await kubectl('rollout', 'undo', 'deployment/web');
      expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s')).toContain('successfully rolled out');
      expect(await image()).toBe('nginx:1.25');
      await waitFor('nginx:1.25 pods', () => rolledOut(env.client, ns, 'web', 'nginx:1.25'));
      const after = await kubectl('rollout', 'history', 'deployment/web');
      expect(after).toMatch(/^2\s/m);
      expect(after).toMatch(/^3\s/m);
      expect(after).not.toMatch(/^1\s/m);

      await kubectl('rollout', 'undo', 'deployment/web', '--to-revision=2');
      expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s')).toContain('successfully rolled out');
      expect(await image()).toBe('nginx:1.26');
      const rss = (await kubectl('get', 'rs', '-o', 'name')).trim().split('\n');
      expect(rss).toHaveLength(2); // undo revived the old ReplicaSets instead of making new ones
    }, 120_000);

    it('undo --to-revision=1 on a fresh history', async () => {
      ns = await createNamespace(env.client, `undo1-${version.replace('.', '')}`);
      const file = join(dir, `${version}-b.yaml`);
      writeFileSync(file, MANIFEST('web', 'busybox:1'));
      await kubectl('apply', '-f', file);
      await kubectl('set', 'image', 'deployment/web', 'web=busybox:2');
      await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
      await kubectl('set', 'image', 'deployment/web', 'web=busybox:3');
      await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
      await kubectl('rollout', 'undo', 'deployment/web', '--to-revision=1');
      expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s')).toContain('successfully rolled out');
      expect(await image()).toBe('busybox:1');
      const d = await env.client.get<Obj>(deployments, ns, 'web');
      expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('4');
    }, 120_000);
  });
}

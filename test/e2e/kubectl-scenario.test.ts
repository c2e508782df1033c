// Issue 3's "done when" scenario: the real kubectl 1.27, 1.30 and 1.33 (where present) each drive
// the same everyday session against one cluster (real etcd + API server, replicaset, deployment,
// garbage-collector and endpoints controllers, the real scheduler, the stub node agent marking
// pods Running/Ready, and a stand-in that finishes graceful pod deletions as a kubelet would).
// Every kubectl command's own output text is asserted on; follow-up reads that only check the
// stored result go through the API client, since each kubectl start costs a second or more on a
// loaded machine. The versions run concurrently, each in its own namespace, cache dir and HOME,
// with two Node objects of its own (the Deployment's nodeSelector keeps its pods there), so
// cordon and drain of one version cannot touch another's pods. A version's steps build on each
// other and run in order inside one test.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import { mustResource } from '../../api/registry.js';
import { Informer } from '../../client/informer.js';
import { restListerWatcher } from '../../client/lister-watcher.js';
import { RestClient } from '../../client/rest.js';
import { startControllerManager, type ControllerManager } from '../../controllers/manager.js';
import { startScheduler, type RunningScheduler } from '../../scheduler/index.js';
import { startTestCluster, type TestCluster } from '../integration/harness.js';
import { startStubAgent, type StubAgent } from '../integration/node-agent-stub.js';
import { runKubectl } from '../helpers/kubectl.js';


function kubectlDir(): string | undefined {
  try {
    const path = execFileSync('sh', ['-c', 'readlink -f "$(command -v kubectl)"'], {
      encoding: 'utf8',
    }).trim();
    return path ? dirname(path) : undefined;
  } catch {
    return undefined;
  }
}

const binDir = kubectlDir();
const VERSIONS = ['1.27', '1.30', '1.33'].map((version) => {
  const bin = binDir ? join(binDir, `kubectl.${version}`) : '';
  return { version, bin, present: bin !== '' && existsSync(bin) };
});

const pods = mustResource('pods');
const nodes = mustResource('nodes');
const deployments = mustResource('deployments');
const configmaps = mustResource('configmaps');
const secrets = mustResource('secrets');

/** The namespace, and node name prefix, of one version: sc-133. */
const groupOf = (version: string) => `sc-${version.replace('.', '')}`;
type Obj = KubeObject & Record<string, any>;

/** The multi-document manifest; `second` drops a container port and an env var, and changes the ConfigMap. */
function manifest(group: string, second: boolean): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      nodeSelector: {scenario: ${group}}
      containers:
      - name: web
        image: nginx:1.25
        env:
        - {name: MODE, value: prod}
${second ? '' : '        - {name: DEBUG, value: "1"}\n'}        ports:
        - {containerPort: 80}
${second ? '' : '        - {containerPort: 443}\n'}      - name: sidecar
        image: busybox:1.36
        command: [sleep, "3600"]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: 80}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  greeting: ${second ? 'bonjour' : 'hello'}
`;
}

const SSA_CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: ssa-settings
data:
  level: "3"
`;

const nodeObject = (name: string, ip: string, group: string) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, scenario: group } },
  status: {
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready' }],
    capacity: { cpu: '8', memory: '16Gi', pods: '110' },
    allocatable: { cpu: '8', memory: '16Gi', pods: '110' },
    addresses: [{ type: 'InternalIP', address: ip }],
    nodeInfo: {
      kubeletVersion: 'v1.33.0',
      osImage: 'Skiff test node',
      kernelVersion: '6.1.0',
      containerRuntimeVersion: 'skiff://0.1.0',
    },
  },
});

/** A kubelet's last step of a graceful pod deletion: remove the pod once it is marked deleted. */
function startDeletionFinisher(client: RestClient): Informer<KubeObject> {
  const inf = new Informer<KubeObject>(restListerWatcher<KubeObject>(client, pods));
  const finish = (p: KubeObject) => {
    if (!p.metadata.deletionTimestamp) return;
    const opts = { gracePeriodSeconds: 0, preconditions: { uid: p.metadata.uid } };
    void client.delete(pods, p.metadata.namespace, p.metadata.name!, opts).catch(() => {});
  };
  inf.addEventHandler({ onAdd: finish, onUpdate: (_old, p) => finish(p) });
  inf.start();
  return inf;
}

let cluster: TestCluster;
let client: RestClient;
let manager: ControllerManager;
let scheduler: RunningScheduler;
let agent: StubAgent;
let finisher: Informer<KubeObject>;
let dir = '';

beforeAll(async () => {
  if (!VERSIONS.some((v) => v.present)) return;
  dir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-scenario-'));
  cluster = await startTestCluster();
  client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
  for (const [i, { version }] of VERSIONS.entries()) {
    const group = groupOf(version);
    await client.create(nodes, undefined, nodeObject(`${group}-a`, `10.0.${i}.1`, group));
    await client.create(nodes, undefined, nodeObject(`${group}-b`, `10.0.${i}.2`, group));
  }
  manager = await startControllerManager({
    client,
    controllers: ['replicaset', 'deployment', 'garbagecollector', 'endpoints'],
  });
  scheduler = await startScheduler({ client });
  agent = await startStubAgent({ client, readyDelayMs: 30 });
  finisher = startDeletionFinisher(client);
  await finisher.waitForSync();
}, 90_000);

afterAll(async () => {
  await finisher?.stop();
  await agent?.stop();
  await scheduler?.stop();
  await manager?.stop();
  await client?.close();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

// The versions run concurrently; each one's steps run in order inside its test.
describe.concurrent('kubectl scenario', () => {
  for (const { version, bin, present } of VERSIONS)
    it.skipIf(!present)(
      `kubectl.${version}: the whole session`,
      async () => {
        const ns = groupOf(version);
        const [nodeA, nodeB] = [`${ns}-a`, `${ns}-b`];
        const home = join(dir, version);
        mkdirSync(home, { recursive: true });
        const baseArgs = ['--kubeconfig', cluster.kubeconfig, '--cache-dir', join(home, 'cache'), '-n', ns];
        const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
        delete env.KUBECONFIG;

        async function kubectl(...args: string[]): Promise<Result> {
          return runKubectl(bin, [...baseArgs, ...args], env, 120_000);
        }
        /** Runs kubectl, insists on success and returns stdout. */
        async function ok(...args: string[]): Promise<string> {
          const r = await kubectl(...args);
          expect(r, `kubectl ${args.join(' ')}`).toMatchObject({ code: 0 });
          return r.stdout;
        }
        /** Runs kubectl, insists on failure and returns stderr. */
        async function fails(...args: string[]): Promise<string> {
          const r = await kubectl(...args);
          expect(r.code, `kubectl ${args.join(' ')} should fail: ${r.stdout}`).not.toBe(0);
          return r.stderr;
        }
        function file(name: string, content: string): string {
          const path = join(home, name);
          writeFileSync(path, content);
          return path;
        }
        /** Names the step in a failure, so a report says where the scenario broke. */
        async function step(name: string, fn: () => Promise<void>): Promise<void> {
          try {
            await fn();
          } catch (err) {
            if (err instanceof Error) err.message = `kubectl ${version}, ${name}: ${err.message}`;
            throw err;
          }
        }
        const deployment = () => client.get<Obj>(deployments, ns, 'web');
        const livePods = async () => (await client.list<Obj>(pods, ns)).items;
        /** rollout status, then wait until the replaced pods are gone too (they outlive the rollout briefly). */
        async function rolledOut(): Promise<void> {
          expect(await ok('rollout', 'status', 'deployment/web', '--timeout=100s')).toContain(
            'deployment "web" successfully rolled out',
          );
          const want = (await deployment()).spec.replicas as number;
          await waitFor(
            'replaced pods gone',
            async () => {
              const list = await livePods();
              return (
                list.length === want &&
                list.every((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running')
              );
            },
            60_000,
          );
        }

        await step(
          'create namespace, apply a multi-document manifest, re-apply removing a port and an env var',
          async () => {
            expect(await ok('create', 'namespace', ns)).toContain(`namespace/${ns} created`);
            const out = await ok('apply', '-f', file('app.yaml', manifest(ns, false)));
            expect(out).toContain('deployment.apps/web created');
            expect(out).toContain('service/web created');
            expect(out).toContain('configmap/web-config created');
            await rolledOut();

            const again = await ok('apply', '-f', file('app.yaml', manifest(ns, true)));
            expect(again).toMatch(
              /deployment\.apps\/web configured\nservice\/web unchanged\nconfigmap\/web-config configured/,
            );
            const web = JSON.parse(
              await ok(
                'get',
                'deployment',
                'web',
                '-o',
                'jsonpath={.spec.template.spec.containers[?(@.name=="web")]}',
              ),
            ) as Obj;
            expect(web.env).toEqual([{ name: 'MODE', value: 'prod' }]);
            expect(web.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
            const d = await deployment();
            expect(d.spec.template.spec.containers.map((c: Obj) => c.name)).toEqual(['web', 'sidecar']);
            expect((await client.get<Obj>(configmaps, ns, 'web-config')).data).toEqual({
              greeting: 'bonjour',
            });
            await rolledOut();
          },
        );

        await step('apply --server-side', async () => {
          expect(await ok('apply', '--server-side', '-f', file('ssa.yaml', SSA_CONFIGMAP))).toContain(
            'configmap/ssa-settings serverside-applied',
          );
          const yaml = await ok('get', 'configmap', 'ssa-settings', '-o', 'yaml', '--show-managed-fields');
          expect(yaml).toMatch(/manager: kubectl\n\s+operation: Apply/);
          expect(yaml).toContain('level: "3"');
        });

        await step('get: every resource with -o wide, -A, --show-labels, -o yaml, -o jsonpath', async () => {
          const wide = await ok(
            'get',
            'deployments,replicasets,pods,services,endpoints,configmaps,secrets',
            '-o',
            'wide',
          );
          expect(wide).toMatch(
            /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/,
          );
          expect(wide).toMatch(
            /deployment\.apps\/web\s+2\/2\s+2\s+2\s+\S+\s+web,sidecar\s+nginx:1\.25,busybox:1\.36\s+app=web/,
          );
          expect(wide).toMatch(/NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/);
          expect(wide).toMatch(
            /replicaset\.apps\/web-\w+\s+2\s+2\s+2\s+\S+\s+web,sidecar\s+nginx:1\.25,busybox:1\.36\s+app=web,pod-template-hash=\w+/,
          );
          expect(wide).toMatch(
            /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/,
          );
          expect(wide).toMatch(
            new RegExp(
              `pod/web-\\S+\\s+2/2\\s+Running\\s+0\\s+\\S+\\s+10\\.\\S+\\s+${ns}-[ab]\\s+<none>\\s+<none>`,
            ),
          );
          expect(wide).toMatch(/NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR/);
          expect(wide).toMatch(/service\/web\s+ClusterIP\s+10\.\S+\s+<none>\s+80\/TCP\s+\S+\s+app=web/);
          expect(wide).toMatch(/NAME\s+ENDPOINTS\s+AGE/);
          expect(wide).toMatch(/endpoints\/web\s+10\.\S+:80,10\.\S+:80\s/);
          expect(wide).toMatch(/configmap\/web-config\s+1\s/);

          const nodesWide = await ok('get', 'nodes', '-o', 'wide', '-l', `scenario=${ns}`);
          expect(nodesWide).toMatch(
            /NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME/,
          );
          expect(nodesWide).toMatch(
            new RegExp(
              `${nodeA}\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.33\\.0\\s+10\\.0\\.\\d\\.1\\s+<none>\\s+Skiff test node\\s+6\\.1\\.0\\s+skiff://0\\.1\\.0`,
            ),
          );
          expect(await ok('get', 'namespaces')).toMatch(new RegExp(`${ns}\\s+Active\\s`));
          expect(await ok('get', 'events')).toMatch(
            /LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE[\s\S]*Normal\s+Scheduled\s+pod\/web-\S+\s+Successfully assigned/,
          );

          const all = await ok('get', 'pods', '-A', '--show-labels');
          expect(all).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+LABELS$/m);
          expect(all).toMatch(
            new RegExp(
              `^${ns}\\s+web-\\S+\\s+2/2\\s+Running\\s+0\\s+\\S+\\s+app=web,pod-template-hash=\\w+$`,
              'm',
            ),
          );

          const yaml = await ok('get', 'service', 'web', '-o', 'yaml');
          expect(yaml).toMatch(/^apiVersion: v1\nkind: Service\n/);
          expect(yaml).toContain(`namespace: ${ns}`);
          expect(yaml).toMatch(/clusterIP: 10\./);
          const phases = await ok(
            'get',
            'pods',
            '-o',
            'jsonpath={range .items[*]}{.metadata.name} {.status.phase}{"\\n"}{end}',
          );
          expect(phases.trim().split('\n')).toEqual([
            expect.stringMatching(/^web-\S+ Running$/),
            expect.stringMatching(/^web-\S+ Running$/),
          ]);
        });

        await step('get -w sees an update and a delete', async () => {
          const watch = spawnWatch(
            bin,
            [...baseArgs, 'get', 'configmaps', '-w', '--output-watch-events'],
            env,
          );
          try {
            await watch.until(/ADDED\s+ssa-settings/);
            expect(await ok('label', 'configmap', 'ssa-settings', 'watched=yes')).toContain(
              'configmap/ssa-settings labeled',
            );
            await watch.until(/MODIFIED\s+ssa-settings/);
            expect(await ok('delete', 'configmap', 'ssa-settings')).toContain(
              'configmap "ssa-settings" deleted',
            );
            await watch.until(/DELETED\s+ssa-settings/);
            expect(watch.output()).toMatch(/^EVENT\s+NAME\s+DATA\s+AGE$/m);
          } finally {
            watch.stop();
          }
        });

        await step('describe deployment and pod, with events', async () => {
          const d = await ok('describe', 'deployment', 'web');
          expect(d).toMatch(/^Name:\s+web$/m);
          expect(d).toMatch(new RegExp(`^Namespace:\\s+${ns}$`, 'm'));
          expect(d).toMatch(
            /^Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable$/m,
          );
          expect(d).toMatch(/^StrategyType:\s+RollingUpdate$/m);
          expect(d).toMatch(/Available\s+True\s+MinimumReplicasAvailable/);
          expect(d).toMatch(/^NewReplicaSet:\s+web-\w+ \(2\/2 replicas created\)$/m);
          expect(d).toMatch(/Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-\w+ (to|from 0 to) 2/);

          const pod = (await livePods())[0]!;
          const p = await ok('describe', 'pod', pod.metadata.name!);
          expect(p).toMatch(/^Status:\s+Running$/m);
          expect(p).toMatch(new RegExp(`^Node:\\s+${pod.spec.nodeName}/127\\.0\\.0\\.1$`, 'm'));
          expect(p).toMatch(/^Controlled By:\s+ReplicaSet\/web-\w+$/m);
          expect(p).toMatch(/Image:\s+nginx:1\.25/);
          expect(p).toMatch(/Events:\s+Type\s+Reason\s+Age\s+From\s+Message/);
          expect(p).toMatch(
            new RegExp(
              `Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned ${ns}/${pod.metadata.name} to ${pod.spec.nodeName}`,
            ),
          );
        });

        await step('create configmap --from-literal, create secret generic', async () => {
          expect(
            await ok('create', 'configmap', 'literal', '--from-literal=color=blue', '--from-literal=size=L'),
          ).toContain('configmap/literal created');
          expect((await client.get<Obj>(configmaps, ns, 'literal')).data).toEqual({
            color: 'blue',
            size: 'L',
          });
          expect(
            await ok('create', 'secret', 'generic', 'creds', '--from-literal=password=s3cr3t'),
          ).toContain('secret/creds created');
          const secret = await client.get<Obj>(secrets, ns, 'creds');
          expect(Buffer.from(secret.data.password as string, 'base64').toString()).toBe('s3cr3t');
          expect(await ok('get', 'secret', 'creds')).toMatch(/creds\s+Opaque\s+1\s/);
        });

        await step('scale', async () => {
          expect(await ok('scale', 'deployment', 'web', '--replicas=3')).toContain(
            'deployment.apps/web scaled',
          );
          await rolledOut();
          expect(await ok('get', 'deployment', 'web')).toMatch(/^web\s+3\/3\s+3\s+3\s/m);
        });

        // Everything that changes the template happens while paused, so it all rolls out once.
        await step(
          'rollout pause, set image, label, annotate, the three patch types, rollout resume',
          async () => {
            expect(await ok('rollout', 'pause', 'deployment/web')).toContain('deployment.apps/web paused');
            expect(await ok('set', 'image', 'deployment/web', 'web=nginx:1.26')).toContain(
              'deployment.apps/web image updated',
            );
            expect(await ok('label', 'deployment', 'web', 'env=prod')).toContain(
              'deployment.apps/web labeled',
            );
            // kubectl 1.27 itself prints "annotate" here (a client-side slip fixed in 1.28).
            expect(await ok('annotate', 'deployment', 'web', 'owner=team-a')).toMatch(
              /^deployment\.apps\/web annotated?$/m,
            );
            const strategic =
              '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.37"}]}}}}';
            expect(await ok('patch', 'deployment', 'web', '-p', strategic)).toContain(
              'deployment.apps/web patched',
            );
            expect(
              await ok(
                'patch',
                'deployment',
                'web',
                '--type=merge',
                '-p',
                '{"metadata":{"labels":{"tier":"front"}}}',
              ),
            ).toContain('deployment.apps/web patched');
            const json = '[{"op":"replace","path":"/spec/progressDeadlineSeconds","value":300}]';
            expect(await ok('patch', 'deployment', 'web', '--type=json', '-p', json)).toContain(
              'deployment.apps/web patched',
            );
            const d = await deployment();
            expect(d.spec.paused).toBe(true);
            expect(d.metadata.labels).toEqual({ app: 'web', env: 'prod', tier: 'front' });
            expect(d.metadata.annotations?.owner).toBe('team-a');
            expect(d.spec.template.spec.containers.map((c: Obj) => c.image)).toEqual([
              'nginx:1.26',
              'busybox:1.37',
            ]);
            expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'prod' }]);
            expect(d.spec.progressDeadlineSeconds).toBe(300);
            await waitFor(
              'paused status observed',
              async () => {
                const cur = await deployment();
                return (
                  cur.status?.observedGeneration === cur.metadata.generation &&
                  (cur.status?.updatedReplicas ?? 0) === 0
                );
              },
              30_000,
            );
            expect(await ok('get', 'deployment', 'web')).toMatch(/^web\s+3\/3\s+0\s+3\s/m); // paused: no pod runs the new template
            expect((await livePods()).map((p) => p.spec.containers[0].image)).toEqual([
              'nginx:1.25',
              'nginx:1.25',
              'nginx:1.25',
            ]);

            expect(await ok('rollout', 'resume', 'deployment/web')).toContain('deployment.apps/web resumed');
            await rolledOut();
            expect(await ok('get', 'deployment', 'web', '--show-labels')).toMatch(
              /^web\s+3\/3\s+3\s+3\s+\S+\s+app=web,env=prod,tier=front$/m,
            );
            const images = (await livePods()).map((p) =>
              p.spec.containers.map((c: Obj) => c.image).join(','),
            );
            expect(images).toEqual([
              'nginx:1.26,busybox:1.37',
              'nginx:1.26,busybox:1.37',
              'nginx:1.26,busybox:1.37',
            ]);
          },
        );

        await step('cordon, rollout restart onto one node, uncordon, drain evicts its pods', async () => {
          expect(await ok('cordon', nodeB)).toContain(`node/${nodeB} cordoned`);
          expect(await ok('get', 'nodes', '-l', `scenario=${ns}`)).toMatch(
            new RegExp(`${nodeB}\\s+Ready,SchedulingDisabled\\s`),
          );
          expect(await ok('rollout', 'restart', 'deployment/web')).toContain('deployment.apps/web restarted');
          await rolledOut();
          expect((await livePods()).map((p) => p.spec.nodeName)).toEqual([nodeA, nodeA, nodeA]);
          expect(await ok('uncordon', nodeB)).toContain(`node/${nodeB} uncordoned`);

          const drain = await ok(
            'drain',
            nodeA,
            '--ignore-daemonsets',
            '--delete-emptydir-data',
            '--timeout=100s',
          );
          expect(drain).toContain(`node/${nodeA} cordoned`);
          expect(drain.match(new RegExp(`pod/web-\\S+ evicted`, 'g'))).toHaveLength(3);
          expect(drain).toContain(`node/${nodeA} drained`);
          await rolledOut();
          const left = await kubectl(
            'get',
            'pods',
            '-o',
            'wide',
            '--field-selector',
            `spec.nodeName=${nodeA}`,
          );
          expect(left.stderr).toContain(`No resources found in ${ns} namespace.`);
          expect((await livePods()).map((p) => p.spec.nodeName)).toEqual([nodeB, nodeB, nodeB]);
          expect(await ok('uncordon', nodeA)).toContain(`node/${nodeA} uncordoned`);
        });

        await step('rollout history and undo', async () => {
          const history = await ok('rollout', 'history', 'deployment/web');
          expect(history).toMatch(/REVISION\s+CHANGE-CAUSE/);
          const revisions = (text: string) => [...text.matchAll(/^(\d+)\s/gm)].map((m) => Number(m[1]));
          // apply, re-apply, resume (with what changed while paused), restart.
          expect(revisions(history)).toEqual([1, 2, 3, 4]);
          expect(await ok('rollout', 'undo', 'deployment/web')).toContain('deployment.apps/web rolled back');
          await rolledOut();
          // Undo revived revision 3 (the template before the restart) as revision 5.
          expect(revisions(await ok('rollout', 'history', 'deployment/web'))).toEqual([1, 2, 4, 5]);
          const d = await deployment();
          expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('5');
          expect(d.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeUndefined();
        });

        await step('error messages: NotFound, AlreadyExists, Conflict, Invalid', async () => {
          expect(await fails('get', 'deployment', 'nope')).toContain(
            'Error from server (NotFound): deployments.apps "nope" not found',
          );
          const exists = await fails('create', '-f', join(home, 'app.yaml'));
          expect(exists).toContain(
            `Error from server (AlreadyExists): error when creating "${join(home, 'app.yaml')}": deployments.apps "web" already exists`,
          );
          expect(exists).toContain('services "web" already exists');

          const stale = await client.get<Obj>(configmaps, ns, 'literal');
          await client.patch(configmaps, ns, 'literal', 'merge', { metadata: { labels: { bumped: 'yes' } } });
          const conflict = await fails('replace', '-f', file('stale.json', JSON.stringify(stale)));
          expect(conflict).toContain('Error from server (Conflict): error when replacing');
          expect(conflict).toContain(
            'Operation cannot be fulfilled on configmaps "literal": the object has been modified; please apply your changes to the latest version and try again',
          );
          expect(
            await fails('patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"replicas":-1}}'),
          ).toContain(
            'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
          );
        });

        await step('api-resources and explain', async () => {
          const res = await ok('api-resources');
          expect(res).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/m);
          expect(res).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
          expect(res).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
          expect(res).toMatch(/^nodes\s+no\s+v1\s+false\s+Node$/m);

          const spec = await ok('explain', 'deployment.spec');
          expect(spec).toMatch(/^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/);
          expect(spec).toMatch(/^FIELD: spec <DeploymentSpec>$/m);
          expect(spec).toMatch(/^DESCRIPTION:\n\s+The desired state of the Deployment/m);
          expect(spec).toMatch(/^FIELDS:$/m);
          expect(spec).toMatch(/^ {2}replicas\t<integer>\n\s+How many pods should run/m);
          expect(spec).toMatch(/^ {2}selector\t<LabelSelector> -required-$/m);
          expect(spec).toMatch(/^ {2}strategy\t<DeploymentStrategy>$/m);
          expect(spec).toMatch(/^ {2}template\t<PodTemplateSpec> -required-$/m);

          const containers = await ok('explain', 'pod.spec.containers');
          expect(containers).toMatch(/^KIND:\s+Pod\nVERSION:\s+v1\n/);
          expect(containers).toMatch(/^FIELD: containers <\[\]Container>$/m);
          expect(containers).toMatch(/^ {2}name\t<string> -required-$/m);
          expect(containers).toMatch(/^ {2}ports\t<\[\]ContainerPort>$/m);
          expect(containers).toMatch(/^ {2}resources\t<ResourceRequirements>$/m);

          if (version === '1.27') {
            // 1.27 still offers the OpenAPI v2 (protobuf) renderer.
            const v2 = await ok('explain', 'deployment.spec', '--output', 'plaintext-openapiv2');
            expect(v2).toMatch(/^KIND:\s+Deployment\nVERSION:\s+apps\/v1\n\nRESOURCE: spec <Object>\n/);
            expect(v2).toMatch(/^ {3}template\t<Object> -required-$/m);
          }
        });

        await step('delete -f waits for the deletion', async () => {
          const out = await ok('delete', '-f', join(home, 'app.yaml'));
          expect(out).toContain('deployment.apps "web" deleted');
          expect(out).toContain('service "web" deleted');
          expect(out).toContain('configmap "web-config" deleted');
          expect(await fails('get', 'deployment', 'web')).toContain(
            'Error from server (NotFound): deployments.apps "web" not found',
          );
        });
      },
      600_000,
    );
});

/** Polls fn (API reads) every 250 ms until it returns true; a slow poll keeps the shared API server free. */
async function waitFor(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Watch {
  until(re: RegExp): Promise<void>;
  output(): string;
  stop(): void;
}

/** Runs `kubectl get -w` in the background; until() resolves once its stdout matches. */
function spawnWatch(bin: string, args: string[], env: NodeJS.ProcessEnv): Watch {
  const child: ChildProcess = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
    for (const w of [...waiters]) w();
  });
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  return {
    output: () => out,
    stop: () => void child.kill(),
    until: (re) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`get -w never printed ${re}; stdout:\n${out}\nstderr:\n${err}`)),
          30_000,
        );
        const check = () => {
          if (!re.test(out)) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        waiters.push(check);
        check();
      }),
  };
}

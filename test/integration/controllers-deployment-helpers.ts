// Shared set-up for the workload-controller integration tests: a cluster, a controller-manager
// running replicaset + deployment, the stub node agent, and condition waits with deadlines.
import { mustResource } from '../../api/registry.js';
import type { KubeObject } from '../../api/meta.js';
import { RestClient } from '../../client/rest.js';
import { startControllerManager, type ControllerManager } from '../../controllers/manager.js';
import { startTestCluster, type TestCluster } from './harness.js';
import { startStubAgent, type StubAgent, type StubAgentOptions } from './node-agent-stub.js';

export const deployments = mustResource('deployments');
export const replicasets = mustResource('replicasets');
export const pods = mustResource('pods');
export const namespaces = mustResource('namespaces');

export type Obj = KubeObject & Record<string, any>;

export interface Env {
  cluster: TestCluster;
  client: RestClient;
  manager: ControllerManager;
  agent: StubAgent;
  stop(): Promise<void>;
}

/** startEnv: cluster + manager (replicaset, deployment) + stub agent. */
export async function startEnv(agentOpts: Partial<StubAgentOptions> = {}): Promise<Env> {
  const cluster = await startTestCluster();
  const client = new RestClient({ server: cluster.url, ca: cluster.pki.caCert, token: cluster.token });
  const manager = await startControllerManager({ client, controllers: ['replicaset', 'deployment'] });
  const agent = await startStubAgent({ client, readyDelayMs: 30, ...agentOpts });
  return {
    cluster, client, manager, agent,
    async stop() {
      await agent.stop();
      await manager.stop();
      await client.close();
      await cluster.stop();
    },
  };
}

export { waitFor } from '../helpers/wait.js';

/** deploymentObj builds a Deployment with one busybox container. */
export function deploymentObj(ns: string, name: string, replicas: number, image: string, extra: Obj['spec'] = {}): Obj {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...extra,
    },
  };
}

/** createNamespace makes a namespace with a unique name. */
export async function createNamespace(client: RestClient, prefix: string): Promise<string> {
  const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
  await client.create(namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

/** listPods lists the namespace's pods that are not being deleted. */
export async function livePods(client: RestClient, ns: string): Promise<Obj[]> {
  return (await client.list<Obj>(pods, ns)).items.filter((p) => !p.metadata.deletionTimestamp);
}

/** rolledOut: kubectl rollout status's success test, plus the wanted image on every live pod. */
export async function rolledOut(client: RestClient, ns: string, name: string, image?: string): Promise<Obj | undefined> {
  const d = await client.get<Obj>(deployments, ns, name);
  const s = d.status ?? {};
  const want = d.spec.replicas;
  const done = (s.observedGeneration ?? 0) >= d.metadata.generation! && s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want;
  if (!done) return undefined;
  if (!image) return d;
  const live = await livePods(client, ns);
  return live.length === want && live.every((p) => p.spec.containers[0].image === image) ? d : undefined;
}

/** ownedReplicaSets lists the namespace's ReplicaSets sorted by revision. */
export async function replicaSetsByRevision(client: RestClient, ns: string): Promise<Obj[]> {
  const rev = (rs: Obj) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  return (await client.list<Obj>(replicasets, ns)).items.sort((a, b) => rev(a) - rev(b));
}

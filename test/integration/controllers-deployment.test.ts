// Issue 5 "Done when", Deployment and ReplicaSet controllers against a real API server with the
// stub node agent: scale up/down, the 10-replica rolling update checked at every watched moment,
// Recreate, rollback (previous and to a revision), pause/resume, progress deadline exceeded; and
// rollout restart, revisionHistoryLimit, proportional scaling mid-rollout, ReplicaSet adoption and
// release, and the controllers' events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustResource } from '../../api/registry.js';
import {
  createNamespace, deploymentObj, deployments, livePods, pods, replicasets, replicaSetsByRevision, rolledOut, startEnv, waitFor,
  type Env, type Obj,
} from './controllers-deployment-helpers.js';

const events = mustResource('events');

let env: Env;
const NEVER_READY = 'never-ready';

beforeAll(async () => {
  env = await startEnv({ neverReady: (p) => p.spec.containers.some((c) => c.image === NEVER_READY) });
});
afterAll(async () => env?.stop());

const setImage = (ns: string, name: string, image: string) =>
  env.client.patch(deployments, ns, name, 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } });
const revisionOf = (o: Obj) => o.metadata.annotations?.['deployment.kubernetes.io/revision'];

describe('Deployment controller', () => {
  it('scales up and down', async () => {
    const ns = await createNamespace(env.client, 'scale');
    await env.client.create(deployments, ns, deploymentObj(ns, 'web', 2, 'img:1'));
    await waitFor('2 replicas', () => rolledOut(env.client, ns, 'web'));
    await env.client.patch(deployments, ns, 'web', 'merge', { spec: { replicas: 6 } }, { subresource: 'scale' });
    await waitFor('6 replicas', async () => (await rolledOut(env.client, ns, 'web')) && (await livePods(env.client, ns)).length === 6);
    await env.client.patch(deployments, ns, 'web', 'merge', { spec: { replicas: 1 } }, { subresource: 'scale' });
    await waitFor('1 replica', async () => (await rolledOut(env.client, ns, 'web')) && (await livePods(env.client, ns)).length === 1);
    const rss = await replicaSetsByRevision(env.client, ns);
    expect(rss).toHaveLength(1);
    expect(rss[0]!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true });
  });

  it('rolls 10 replicas with maxSurge 2 / maxUnavailable 1 within bounds at every watched moment', async () => {
    const ns = await createNamespace(env.client, 'roll');
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } };
    await env.client.create(deployments, ns, deploymentObj(ns, 'web', 10, 'img:1', { strategy }));
    await waitFor('v1', () => rolledOut(env.client, ns, 'web', 'img:1'));
    const seen = new Map<string, Obj>();
    let maxPods = 0;
    let minAvailable = Infinity;
    const abort = new AbortController();
    const list = await env.client.list<Obj>(pods, ns);
    for (const p of list.items) seen.set(p.metadata.name!, p);
    const watching = (async () => {
      for await (const ev of env.client.watch<Obj>(pods, ns, { resourceVersion: list.metadata.resourceVersion, signal: abort.signal })) {
        if (ev.type === 'DELETED') seen.delete(ev.object.metadata.name!);
        else seen.set(ev.object.metadata.name!, ev.object);
        const live = [...seen.values()].filter((p) => !p.metadata.deletionTimestamp);
        const available = live.filter((p) => p.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True'));
        maxPods = Math.max(maxPods, live.length);
        minAvailable = Math.min(minAvailable, available.length);
      }
    })();
    await setImage(ns, 'web', 'img:2');
    await waitFor('v2', () => rolledOut(env.client, ns, 'web', 'img:2'), 40_000);
    abort.abort();
    await watching;
    expect(maxPods).toBeLessThanOrEqual(12);
    expect(minAvailable).toBeGreaterThanOrEqual(9);
    expect(maxPods).toBeGreaterThan(10); // the surge was used
  }, 60_000);

  it('Recreate removes every old pod before creating a new one', async () => {
    const ns = await createNamespace(env.client, 'recreate');
    await env.client.create(deployments, ns, deploymentObj(ns, 'web', 3, 'img:1', { strategy: { type: 'Recreate' } }));
    await waitFor('v1', () => rolledOut(env.client, ns, 'web', 'img:1'));
    const abort = new AbortController();
    const list = await env.client.list<Obj>(pods, ns);
    const live = new Map(list.items.map((p) => [p.metadata.name, p] as const));
    let mixed = false;
    const watching = (async () => {
      for await (const ev of env.client.watch<Obj>(pods, ns, { resourceVersion: list.metadata.resourceVersion, signal: abort.signal })) {
        if (ev.type === 'DELETED' || ev.object.metadata.deletionTimestamp) live.delete(ev.object.metadata.name!);
        else live.set(ev.object.metadata.name!, ev.object);
        const images = new Set([...live.values()].map((p) => p.spec.containers[0].image));
        if (images.size > 1) mixed = true;
      }
    })();
    await setImage(ns, 'web', 'img:2');
    await waitFor('v2', () => rolledOut(env.client, ns, 'web', 'img:2'));
    abort.abort();
    await watching;
    expect(mixed).toBe(false);
  });

  it('rolls back to the previous revision and to a given one, reusing the old ReplicaSet', async () => {
    const ns = await createNamespace(env.client, 'undo');
    await env.client.create(deployments, ns, deploymentObj(ns, 'web', 2, 'img:1'));
    await waitFor('v1', () => rolledOut(env.client, ns, 'web', 'img:1'));
    await setImage(ns, 'web', 'img:2');
    await waitFor('v2', () => rolledOut(env.client, ns, 'web', 'img:2'));
    await setImage(ns, 'web', 'img:3');
    await waitFor('v3', () => rolledOut(env.client, ns, 'web', 'img:3'));
    await undoTo(ns, 'web', '2'); // what `kubectl rollout undo` does: the previous revision
    const d = await waitFor('back at img:2', () => rolledOut(env.client, ns, 'web', 'img:2'));
    expect(revisionOf(d)).toBe('4');
    await undoTo(ns, 'web', '1');
    const d2 = await waitFor('back at img:1', () => rolledOut(env.client, ns, 'web', 'img:1'));
    expect(revisionOf(d2)).toBe('5');
    const rss = await replicaSetsByRevision(env.client, ns);
    expect(rss.map(revisionOf)).toEqual(['3', '4', '5']);
    expect(rss[2]!.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
  });

  it('pauses and resumes a rollout', async () => {
    const ns = await createNamespace(env.client, 'pause');
    await env.client.create(deployments, ns, deploymentObj(ns, 'web', 2, 'img:1'));
    await waitFor('v1', () => rolledOut(env.client, ns, 'web', 'img:1'));
    await env.client.patch(deployments, ns, 'web', 'strategic', { spec: { paused: true } });
    await setImage(ns, 'web', 'img:2');
    const paused = await waitFor('paused condition', async () => {
      const d = await env.client.get<Obj>(deployments, ns, 'web');
      const c = d.status?.conditions?.find((x: Obj) => x.type === 'Progressing');
      return d.status?.observedGeneration === d.metadata.generation && c?.reason === 'DeploymentPaused' ? d : undefined;
    });
    expect(paused.status.updatedReplicas ?? 0).toBe(0);
    expect((await replicaSetsByRevision(env.client, ns)).length).toBe(1);
    await env.client.patch(deployments, ns, 'web', 'strategic', { spec: { paused: null } });
    await waitFor('v2', () => rolledOut(env.client, ns, 'web', 'img:2'));
  });

  it('reports ProgressDeadlineExceeded when new pods never get ready', async () => {
    const ns = await createNamespace(env.client, 'deadline');
    await env.client.create(deployments, ns, deploymentObj(ns, 'web', 2, 'img:1', { progressDeadlineSeconds: 2 }));
    await waitFor('v1', () => rolledOut(env.client, ns, 'web', 'img:1'));
    await setImage(ns, 'web', NEVER_READY);
    const d = await waitFor('deadline exceeded', async () => {
      const cur = await env.client.get<Obj>(deployments, ns, 'web');
      const c = cur.status?.conditions?.find((x: Obj) => x.type === 'Progressing');
      return c?.reason === 'ProgressDeadlineExceeded' ? cur : undefined;
    });
    expect(d.status.conditions.find((x: Obj) => x.type === 'Progressing').status).toBe('False');
    expect(d.status.availableReplicas).toBeGreaterThanOrEqual(1);
  });
});

describe('Deployment controller, more', () => {
  it('rollout restart (the restartedAt template annotation) replaces every pod', async () => {
    const ns = await createNamespace(env.client, 'restart');
    await env.client.create(deployments, ns, deploymentObj(ns, 'web', 3, 'img:1'));
    await waitFor('v1', () => rolledOut(env.client, ns, 'web', 'img:1'));
    const before = new Set((await livePods(env.client, ns)).map((p) => p.metadata.name));
    const restartedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await env.client.patch(deployments, ns, 'web', 'strategic', { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } } } });
    const d = await waitFor('restarted', async () => {
      const cur = await rolledOut(env.client, ns, 'web', 'img:1');
      const live = await livePods(env.client, ns);
      return cur && live.every((p) => !before.has(p.metadata.name) && p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] === restartedAt) && cur;
    });
    expect(revisionOf(d)).toBe('2');
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    const ns = await createNamespace(env.client, 'history');
    await env.client.create(deployments, ns, deploymentObj(ns, 'web', 1, 'img:1', { revisionHistoryLimit: 1 }));
    for (const image of ['img:1', 'img:2', 'img:3', 'img:4']) {
      if (image !== 'img:1') await setImage(ns, 'web', image);
      await waitFor(image, () => rolledOut(env.client, ns, 'web', image));
    }
    const rss = await waitFor('old ReplicaSets pruned', async () => {
      const all = await replicaSetsByRevision(env.client, ns);
      return all.length === 2 && all;
    });
    expect(rss.map(revisionOf)).toEqual(['3', '4']);
  });

  it('scales proportionally when replicas change in the middle of a rollout', async () => {
    const ns = await createNamespace(env.client, 'proportional');
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } };
    await env.client.create(deployments, ns, deploymentObj(ns, 'web', 10, 'img:1', { strategy }));
    await waitFor('v1', () => rolledOut(env.client, ns, 'web', 'img:1'));
    await setImage(ns, 'web', NEVER_READY); // the rollout stalls with old 10 + new 3
    const sizes = async () => (await replicaSetsByRevision(env.client, ns)).map((rs) => rs.spec.replicas as number);
    // Wait until the controller itself has seen the new ReplicaSet (its status counts the new RS's
    // pods, which it reads from its cache), as `kubectl rollout status` would show. Scaling before
    // that is upstream's race too: with only the old RS in its cache the controller gives it all 20.
    await waitFor('stalled at 10 + 3, seen by the controller', async () => {
      const d = await env.client.get<Obj>(deployments, ns, 'web');
      const s = d.status ?? {};
      const seen = s.observedGeneration === d.metadata.generation && s.replicas === 13 && s.updatedReplicas === 3;
      return seen && (await sizes()).join() === '10,3';
    });
    await env.client.patch(deployments, ns, 'web', 'merge', { spec: { replicas: 20 } }, { subresource: 'scale' });
    // 20 + 3 allowed, 10 to add: old gets round(10·23/13) − 10 = 8, new the other 2.
    await waitFor('old 18 + new 5', async () => (await sizes()).join() === '18,5');
    const rss = await replicaSetsByRevision(env.client, ns);
    for (const rs of rss) expect(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('20');
  });

  it('records ScalingReplicaSet on the Deployment and SuccessfulCreate on its ReplicaSet', async () => {
    const ns = await createNamespace(env.client, 'events');
    await env.client.create(deployments, ns, deploymentObj(ns, 'web', 2, 'img:1'));
    await waitFor('v1', () => rolledOut(env.client, ns, 'web', 'img:1'));
    const [rs] = await replicaSetsByRevision(env.client, ns);
    const seen = await waitFor('events', async () => {
      const items = (await env.client.list<Obj>(events, ns)).items;
      const scaling = items.find((e) => e.reason === 'ScalingReplicaSet' && e.involvedObject.kind === 'Deployment');
      const created = items.filter((e) => e.reason === 'SuccessfulCreate' && e.involvedObject.name === rs!.metadata.name);
      return scaling && created.length === 2 && { scaling, created };
    });
    expect(seen.scaling.message).toBe(`Scaled up replica set ${rs!.metadata.name} from 0 to 2`);
    expect(seen.scaling.source.component).toBe('deployment-controller');
    const podNames = (await livePods(env.client, ns)).map((p) => `Created pod: ${p.metadata.name}`).sort();
    expect(seen.created.map((e: Obj) => e.message).sort()).toEqual(podNames);
  });
});

describe('ReplicaSet controller', () => {
  it('adopts a matching orphan and releases a pod whose labels stop matching', async () => {
    const ns = await createNamespace(env.client, 'claim');
    const spec = { containers: [{ name: 'c', image: 'img:1' }] };
    await env.client.create(pods, ns, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { app: 'rs' } }, spec });
    const template = { metadata: { labels: { app: 'rs' } }, spec };
    const rs = await env.client.create<Obj>(replicasets, ns, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { replicas: 2, selector: { matchLabels: { app: 'rs' } }, template } });
    const owned = (p: Obj) => p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid && r.controller);
    await waitFor('orphan adopted, one pod created', async () => {
      const live = await livePods(env.client, ns);
      return live.length === 2 && live.every(owned) && live.some((p) => p.metadata.name === 'orphan');
    });
    await env.client.patch(pods, ns, 'orphan', 'merge', { metadata: { labels: { app: 'elsewhere' } } });
    const released = await waitFor('released and replaced', async () => {
      const live = await livePods(env.client, ns);
      const orphan = live.find((p) => p.metadata.name === 'orphan');
      return orphan && !owned(orphan) && live.filter((p) => p.metadata.labels?.app === 'rs' && owned(p)).length === 2 && orphan;
    });
    expect(released.metadata.ownerReferences ?? []).toEqual([]);
  });
});

/** undoTo does what kubectl rollout undo does: copy the RS template (minus the hash label) into the Deployment. */
async function undoTo(ns: string, name: string, revision: string): Promise<void> {
  const rs = (await replicaSetsByRevision(env.client, ns)).find((r) => revisionOf(r) === revision)!;
  const template = structuredClone(rs.spec.template);
  delete template.metadata.labels['pod-template-hash'];
  template.metadata.creationTimestamp = null;
  await env.client.patch(deployments, ns, name, 'json', [{ op: 'replace', path: '/spec/template', value: template }]);
}

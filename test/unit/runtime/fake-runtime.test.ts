import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../client/clock.js';
import type { ContainerConfig, PodSandboxConfig } from '../../../runtime/api.js';
import { FakeRuntime } from '../../../runtime/fake/fake-runtime.js';
import type { ContainerScript } from '../../../runtime/fake/script.js';

const sandboxConfig: PodSandboxConfig = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u1', attempt: 0 },
  hostname: 'p',
  logDirectory: '',
  portMappings: [],
  labels: { 'io.kubernetes.pod.uid': 'u1' },
  annotations: {},
};

function containerConfig(name: string): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: { image: 'busybox' },
    command: [],
    args: [],
    envs: [],
    mounts: [],
    labels: { 'io.kubernetes.container.name': name },
    annotations: {},
    logPath: `${name}/0.log`,
  };
}

async function runOne(script: ContainerScript, clock: FakeClock): Promise<{ rt: FakeRuntime; id: string }> {
  const rt = new FakeRuntime({ clock, script: () => script });
  const sb = await rt.runPodSandbox(sandboxConfig);
  const id = await rt.createContainer(sb, containerConfig('c'), sandboxConfig);
  const started = rt.startContainer(id);
  clock.step(script.startLatencyMs ?? 0);
  await started;
  return { rt, id };
}

describe('FakeRuntime container scripts', () => {
  const cases: { name: string; script: ContainerScript; stepMs: number; state: string; exitCode: number; reason: string }[] = [
    { name: 'runs forever by default', script: {}, stepMs: 60_000, state: 'CONTAINER_RUNNING', exitCode: 0, reason: '' },
    { name: 'exits 0 after N ms: Completed', script: { exitAfterMs: 500 }, stepMs: 500, state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed' },
    { name: 'crash after N ms: Error', script: { exitAfterMs: 100, exitCode: 2 }, stepMs: 100, state: 'CONTAINER_EXITED', exitCode: 2, reason: 'Error' },
    { name: 'not yet crashed before N ms', script: { exitAfterMs: 100, exitCode: 2 }, stepMs: 99, state: 'CONTAINER_RUNNING', exitCode: 0, reason: '' },
    { name: 'OOM kill', script: { exitAfterMs: 0, exitCode: 137, exitReason: 'OOMKilled' }, stepMs: 0, state: 'CONTAINER_EXITED', exitCode: 137, reason: 'OOMKilled' },
    { name: 'start latency then running', script: { startLatencyMs: 250 }, stepMs: 0, state: 'CONTAINER_RUNNING', exitCode: 0, reason: '' },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const clock = new FakeClock(1_000_000);
      const { rt, id } = await runOne(tc.script, clock);
      clock.step(tc.stepMs);
      const st = await rt.containerStatus(id);
      expect([st.state, st.exitCode, st.reason]).toEqual([tc.state, tc.exitCode, tc.reason]);
    });
  }

  it('start latency delays startContainer on the clock', async () => {
    const clock = new FakeClock(0);
    const rt = new FakeRuntime({ clock, script: () => ({ startLatencyMs: 300 }) });
    const sb = await rt.runPodSandbox(sandboxConfig);
    const id = await rt.createContainer(sb, containerConfig('c'), sandboxConfig);
    let done = false;
    const p = rt.startContainer(id).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    clock.step(300);
    await p;
    expect((await rt.containerStatus(id)).startedAt).toBe(300 * 1_000_000);
  });
});

describe('FakeRuntime stop, exec, images, idempotence', () => {
  const stopCases = [
    { name: 'SIGTERM honoured: 143 at once', script: {}, code: 143, waitMs: 0 },
    { name: 'SIGTERM ignored: 137 after the timeout', script: { ignoreSigterm: true }, code: 137, waitMs: 5000 },
  ];
  for (const tc of stopCases) {
    it(tc.name, async () => {
      const clock = new FakeClock(0);
      const { rt, id } = await runOne(tc.script, clock);
      const stopped = rt.stopContainer(id, 5);
      clock.step(tc.waitMs);
      await stopped;
      expect((await rt.containerStatus(id)).exitCode).toBe(tc.code);
      expect((await rt.containerStatus(id)).finishedAt).toBe(tc.waitMs * 1_000_000);
    });
  }

  const execCases = [
    { name: 'default exec succeeds', script: {}, want: 0 },
    { name: 'scripted exec fails', script: { exec: () => ({ exitCode: 1, stdout: 'bad' }) }, want: 1 },
  ];
  for (const tc of execCases) {
    it(tc.name, async () => {
      const { rt, id } = await runOne(tc.script, new FakeClock(0));
      expect((await rt.execSync(id, ['true'], 1)).exitCode).toBe(tc.want);
    });
  }

  it('pull failures are errors; pulled images are listed', async () => {
    const rt = new FakeRuntime({ pullFailures: new Map([['bad:1', 'not found']]) });
    await expect(rt.pullImage('bad:1')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(await rt.imageStatus('good:1')).toBeUndefined();
    const ref = await rt.pullImage('good:1');
    expect((await rt.imageStatus('good:1'))?.id).toBe(ref);
  });

  it('stop and remove are idempotent; sandbox teardown stops its containers', async () => {
    const { rt, id } = await runOne({}, new FakeClock(0));
    const sb = (await rt.listPodSandbox())[0].id;
    await rt.stopPodSandbox(sb);
    expect((await rt.containerStatus(id)).state).toBe('CONTAINER_EXITED');
    await rt.stopContainer(id, 0);
    await rt.removePodSandbox(sb);
    await rt.removePodSandbox(sb);
    await rt.removeContainer(id);
    expect(await rt.listContainers()).toEqual([]);
  });

  it('filters by label', async () => {
    const { rt } = await runOne({}, new FakeClock(0));
    expect(await rt.listContainers({ labelSelector: { 'io.kubernetes.container.name': 'c' } })).toHaveLength(1);
    expect(await rt.listContainers({ labelSelector: { 'io.kubernetes.container.name': 'x' } })).toHaveLength(0);
    expect(await rt.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': 'u1' } })).toHaveLength(1);
  });
});

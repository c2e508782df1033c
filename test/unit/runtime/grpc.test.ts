// The gRPC service and client round-trip every call of RuntimeService, served by the fake runtime.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeError, type ContainerConfig, type PodSandboxConfig } from '../../../runtime/api.js';
import { FakeRuntime } from '../../../runtime/fake/fake-runtime.js';
import { connectRuntime, type RuntimeClient } from '../../../runtime/service/client.js';
import { startRuntimeService, type RunningRuntimeService } from '../../../runtime/service/server.js';

const dir = mkdtempSync(join(tmpdir(), `skiff-it-${process.env.SKIFF_TEST_RUN ?? 'manual'}-grpc-`));
let server: RunningRuntimeService;
let client: RuntimeClient;
const fake = new FakeRuntime({ images: ['docker.io/demo/tools:v1'] });

const podCfg: PodSandboxConfig = {
  metadata: { name: 'p', namespace: 'default', uid: 'u1', attempt: 0 }, hostname: 'p', logDirectory: join(dir, 'logs'),
  portMappings: [{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }], labels: { app: 'x' }, annotations: {},
};
const ctrCfg: ContainerConfig = {
  metadata: { name: 'c', attempt: 0 }, image: { image: 'docker.io/demo/tools:v1' }, command: ['sh'], args: [], envs: [{ key: 'A', value: '1' }],
  mounts: [], labels: {}, annotations: {}, logPath: 'c.log', linux: { securityContext: { runAsUser: 0, readonlyRootfs: true } },
};

beforeAll(async () => {
  server = await startRuntimeService({ root: dir, socketPath: join(dir, 'runtime.sock'), runtime: fake });
  client = connectRuntime(join(dir, 'runtime.sock'));
});

afterAll(async () => {
  client?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('runtime gRPC service', () => {
  it('answers version', async () => {
    expect((await client.version()).runtimeApiVersion).toBeTruthy();
  });

  it('carries UpdateRuntimeConfig (the node agent hands over the pod CIDR)', async () => {
    await client.updateRuntimeConfig({ podCidr: '10.88.3.0/24', ipMasq: false });
    expect(fake.runtimeConfig).toEqual({ podCidr: '10.88.3.0/24', ipMasq: false });
  });

  it('passes configs through without losing fields (runAsUser 0 stays 0, absent stays absent)', async () => {
    const pod = await client.runPodSandbox(podCfg);
    await client.createContainer(pod, ctrCfg, podCfg);
    const create = fake.calls.find((c) => c.method === 'createContainer');
    const sent = create?.args[1] as ContainerConfig;
    expect(sent.linux?.securityContext?.runAsUser).toBe(0);
    expect(sent.linux?.securityContext?.runAsGroup).toBeUndefined();
    expect(sent.envs).toEqual([{ key: 'A', value: '1' }]);
    const sentPod = fake.calls.find((c) => c.method === 'runPodSandbox')?.args[0] as PodSandboxConfig;
    expect(sentPod.portMappings[0]).toMatchObject({ protocol: 'TCP', containerPort: 80, hostPort: 8080 });
    expect(sentPod.labels).toEqual({ app: 'x' });
  });

  it('runs the container life cycle and lists', async () => {
    const pod = await client.runPodSandbox(podCfg);
    const id = await client.createContainer(pod, ctrCfg, podCfg);
    await client.startContainer(id);
    expect((await client.listContainers({ podSandboxId: pod })).map((c) => c.id)).toEqual([id]);
    const st = await client.containerStatus(id);
    expect(st.id).toBe(id);
    await client.stopContainer(id, 0);
    await client.stopContainer(id, 0);
    await client.removeContainer(id);
    expect((await client.listPodSandbox({ id: pod }))[0]?.metadata.name).toBe('p');
    await client.stopPodSandbox(pod);
    await client.removePodSandbox(pod);
    await client.removePodSandbox(pod);
  });

  it('maps errors to RuntimeError codes', async () => {
    const err = await client.containerStatus('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).code).toBe('NOT_FOUND');
  });

  it('refuses ImportImage when the runtime cannot import', async () => {
    await expect(client.importImage('/nowhere.tar')).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
  });

  it('answers image status, undefined when absent', async () => {
    expect(await client.imageStatus('docker.io/demo/none:v9')).toBeUndefined();
    expect((await client.listImages()).length).toBeGreaterThan(0);
  });
});

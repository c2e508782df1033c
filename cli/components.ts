// The component commands of `skiff`: server, apiserver, scheduler, controller-manager, runtime and
// agent, each with --help and a --config file; and up/down. Kept apart from the kubectl-like verbs.
import { InvalidArgumentError, type Command } from 'commander';
import { skiffHome } from '../client/home.js';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { registerTokenCommands } from './token.js';
import { runState } from './io.js';
import { DEFAULT_NODE_NETWORK } from './node-netns.js';
import { withConfigFile } from './config-file.js';
import type { SchedulerConfiguration } from '../scheduler/config.js';

// The components pull in fastify, gRPC, etcd3 and the schemas: seconds of start-up a `skiff get`
// should not pay, so each command loads what it runs when it runs.
/** Pod addresses of the cluster by default: the runtime's own default range, cut into /24s per node. */
const DEFAULT_CLUSTER_CIDR = '10.88.0.0/16';

const serverCommand = () => import('./server-command.js');
const agentCommand = () => import('./agent-command.js');
const lifecycle = () => import('./lifecycle.js');
const runtimeProcess = () => import('./runtime-process.js');
const runtimeClient = () => import('../runtime/service/client.js');
const imageStore = () => import('../runtime/images/store.js');

/** defaultNodeName is this host's name, lower-cased as Node names must be. */
export function defaultNodeName(): string {
  return hostname().toLowerCase();
}

function proxyChainPrefix(v: string): string {
  // iptables allows 28 characters; <prefix>-SVC-<16 characters of hash> must fit.
  if (!/^[A-Z][A-Z0-9]{0,6}$/.test(v)) throw new InvalidArgumentError('must be 1 to 7 capital letters or digits, starting with a letter');
  return v;
}

/** words splits a flag's value such as --runtime-args into arguments. */
function words(v: unknown): string[] {
  return String(v ?? '').split(/\s+/).filter(Boolean);
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number above 0');
  return n;
}

export function portNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number (1-65535)');
  return n;
}

export function registerComponentCommands(program: Command): void {
  // `server` runs the whole control plane; `apiserver` the API server alone (with the scheduler and
  // controller-manager run elsewhere as `skiff scheduler` / `skiff controller-manager`).
  for (const [name, description] of [
    ['server', 'run etcd and the control plane (API server, scheduler, controllers) on this machine'],
    ['apiserver', 'run the API server alone (and etcd, unless --etcd-servers is given); the scheduler and controllers run apart'],
  ] as const) {
    const cmd = withConfigFile(program.command(name).description(description))
      .option('--home <dir>', 'where state, certificates and the kubeconfig live ($SKIFF_HOME)', skiffHome())
      .option('--bind-address <ip>', 'address the API server listens on', '127.0.0.1')
      .option('--advertise-address <ip>', 'address written into the kubeconfig', '127.0.0.1')
      .option('--port <port>', 'API server port', portNumber, 6443)
      .option('--etcd-servers <urls>', 'use these etcd endpoints instead of starting etcd')
      .option('--etcd-client-port <port>', 'client port of the etcd this starts', portNumber, 12379)
      .option('--etcd-peer-port <port>', 'peer port of the etcd this starts', portNumber, 12380)
      .option('--service-cidr <cidr>', 'range Service cluster IPs come from', '10.96.0.0/12');
    if (name === 'server') {
      cmd
        .option('--cluster-cidr <cidr>', 'range pod addresses come from; each node gets a block of it', DEFAULT_CLUSTER_CIDR)
        .option('--node-cidr-mask-size <bits>', "prefix length of each node's pod range", (v) => Number(v), 24)
        .option('--node-monitor-grace-period <seconds>', 'how long a node may stay silent before it is marked NotReady', positiveInt, 40)
        .option('--scheduler-config <file>', "the scheduler's KubeSchedulerConfiguration (YAML): profiles, plugins, weights")
        .option('--disable <components>', 'comma-separated components not to run: scheduler, controller-manager', '');
    }
    cmd.action(async (o) => {
      // A bad scheduler configuration stops the server before it starts anything.
      const schedulerConfiguration = o.schedulerConfig ? await readSchedulerConfig(o.schedulerConfig) : undefined;
      // etcd starts before the control plane's modules load, so the two overlap.
      const etcd = o.etcdServers ? undefined : (await import('./server-etcd.js')).etcdForServer(o.home, o.etcdClientPort, o.etcdPeerPort);
      const { runServer } = await serverCommand().catch(async (err: unknown) => {
        await etcd?.stop();
        throw err;
      });
      await runServer({
        etcd,
        home: o.home,
        bindAddress: o.bindAddress,
        advertiseAddress: o.advertiseAddress,
        port: o.port,
        etcdServers: o.etcdServers,
        etcdClientPort: o.etcdClientPort,
        etcdPeerPort: o.etcdPeerPort,
        serviceCidr: o.serviceCidr,
        clusterCidr: o.clusterCidr,
        nodeCidrMaskSize: o.nodeCidrMaskSize,
        nodeMonitorGracePeriodSeconds: o.nodeMonitorGracePeriod,
        schedulerConfiguration,
        components: name === 'apiserver' ? [] : ['scheduler', 'controller-manager'].filter((c) => !String(o.disable).split(',').includes(c)),
      });
    });
  }

  registerTokenCommands(program);

  withConfigFile(program.command('runtime'))
    .description('run the container runtime service (runc, images, CNI) on a unix socket')
    .option('--home <dir>', 'state directory ($SKIFF_HOME)', skiffHome())
    .option('--root <dir>', 'where images, containers and their state live (default $SKIFF_HOME/runtime)')
    .option('--socket <path>', 'gRPC socket (default $SKIFF_HOME/runtime.sock)')
    .option('--pod-cidr <cidr>', 'addresses for pods on this node', '10.88.0.0/16')
    .option('--bridge <name>', 'the pods\' Linux bridge', 'skiff0')
    .option('--cgroup-root <path>', 'parent cgroup of the pods', '/skiff')
    .action(async (o) => {
      const { startRuntimeService } = await import('../runtime/service/server.js');
      const { runtimeSocket } = await runtimeProcess();
      const rt = await startRuntimeService({
        root: o.root ?? join(o.home, 'runtime'),
        socketPath: o.socket ?? runtimeSocket(o.home),
        podCidr: o.podCidr,
        bridge: o.bridge,
        cgroupRoot: o.cgroupRoot,
      });
      writeFileSync(join(o.home, 'runtime.pid'), `${process.pid}\n`);
      writeFileSync(join(o.home, 'runtime.bridge'), `${o.bridge}\n`); // for `skiff down --purge`
      writeFileSync(join(o.home, 'runtime.cgroup-root'), `${o.cgroupRoot}\n`); // for `skiff down`
      const { componentLogger } = await import('./log.js');
      const logger = componentLogger('runtime');
      logger.info({ socket: o.socket ?? runtimeSocket(o.home), root: o.root ?? join(o.home, 'runtime'), podCidr: o.podCidr }, 'serving the runtime service');
      const stop = () => {
        logger.info('stopping');
        void rt.stop().then(() => process.exit(0));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });

  program
    .command('up')
    .description('start a cluster on this machine in the background: control plane, runtime and node agent')
    .option('--home <dir>', 'state directory ($SKIFF_HOME)', skiffHome())
    .option('--port <port>', 'API server port', portNumber, 6443)
    .option('--nodes <n>', 'nodes to run: this machine, and a network namespace for each other one', positiveInt, 1)
    .option('--node-name <name>', 'name of this node', defaultNodeName())
    .option('--timeout <seconds>', 'how long to wait for a Ready node', (v) => Number(v), 120)
    .option('--log-server-port <port>', "the node agent's log and exec port", portNumber, 10250)
    .option('--etcd-client-port <port>', 'client port of the etcd the server starts', portNumber, 12379)
    .option('--etcd-peer-port <port>', 'peer port of the etcd the server starts', portNumber, 12380)
    .option('--runtime-args <args>', 'extra arguments for the runtime (e.g. "--bridge skiff1 --cgroup-root /skiff1")', '')
    .option('--cluster-cidr <cidr>', 'pod addresses of the cluster; each node gets a /24 of it', DEFAULT_CLUSTER_CIDR)
    .option('--node-network <cidr>', 'with --nodes: the network the nodes share (this machine takes its first address)', DEFAULT_NODE_NETWORK.cidr)
    .option('--node-bridge <name>', 'with --nodes: the host bridge of that network', DEFAULT_NODE_NETWORK.bridge)
    .option('--server-args <args>', 'extra arguments for `skiff server` (e.g. "--node-monitor-grace-period 20")', '')
    .option('--agent-args <args>', 'extra arguments for every `skiff agent` (e.g. "--proxy-chain-prefix SKIFF2")', '')
    .action(async (o) => {
      const say = (line: string) => console.log(`==> ${line}`);
      const { up } = await lifecycle();
      await up({
        home: o.home,
        port: o.port,
        nodeName: o.nodeName,
        timeoutMs: o.timeout * 1000,
        say,
        serverArgs: ['--etcd-client-port', String(o.etcdClientPort), '--etcd-peer-port', String(o.etcdPeerPort), ...words(o.serverArgs)],
        agentArgs: ['--log-server-port', String(o.logServerPort), '--runtime-args', o.runtimeArgs, ...words(o.agentArgs)],
        runtimeArgs: words(o.runtimeArgs),
        nodes: o.nodes,
        clusterCidr: o.clusterCidr,
        nodeNetwork: { cidr: o.nodeNetwork, bridge: o.nodeBridge },
      });
      console.log(`\nThe cluster is up. Try:\n  export KUBECONFIG=${join(o.home, 'kubeconfig')}\n  kubectl get nodes\n`);
    });

  program
    .command('down')
    .description('stop what `skiff up` started and remove its pods; --purge also removes the data')
    .option('--home <dir>', 'state directory ($SKIFF_HOME)', skiffHome())
    .option('--purge', 'remove $SKIFF_HOME too', false)
    .action(async (o) => {
      const { down } = await import('./down.js');
      await down({ home: o.home, purge: o.purge, say: (line) => console.log(`==> ${line}`) });
    });

  const images = program.command('images').description("manage the node's container images");
  images
    .command('import <files...>')
    .description('import OCI image layout tarballs or `docker save` archives into the runtime on this node')
    .option('--home <dir>', 'state directory ($SKIFF_HOME)', skiffHome())
    .option('--name <name>', 'name for an image the archive leaves unnamed')
    .action(async (files: string[], o) => {
      // Through the running runtime when there is one, so two processes never write its store.
      const [{ connectRuntime }, { runtimeSocket }, { ImageStore }, { importArchive }] = await Promise.all([
        runtimeClient(),
        runtimeProcess(),
        imageStore(),
        import('../runtime/images/import.js'),
      ]);
      const rt = connectRuntime(runtimeSocket(o.home));
      const live = await rt.version().then(() => true, () => false);
      const store = new ImageStore(join(o.home, 'runtime', 'images'));
      try {
        for (const file of files) {
          const imported = live ? await rt.importImage(file, o.name) : await importArchive(store, file, o.name);
          for (const img of imported) console.log(`imported ${img.name} (${img.manifestDigest})`);
        }
      } finally {
        rt.close();
      }
    });
  images
    .command('ls')
    .alias('list')
    .description('list the images on this node (IMAGE, TAG, IMAGE ID, SIZE, as crictl images)')
    .option('--home <dir>', 'state directory ($SKIFF_HOME)', skiffHome())
    .option('-q, --quiet', 'only image ids')
    .action(async (o, cmd: Command) => {
      const say = (line: string) => runState(cmd).io.stdout.write(`${line}\n`);
      const [{ connectRuntime }, { runtimeSocket }, { imageRows, table }] = await Promise.all([runtimeClient(), runtimeProcess(), import('./images.js')]);
      const rt = connectRuntime(runtimeSocket(o.home));
      try {
        // The running runtime's view; without one, the store on disk (read only).
        let list = await rt.listImages().catch(() => undefined);
        if (!list) {
          const { ImageStore } = await imageStore();
          const store = new ImageStore(join(o.home, 'runtime', 'images'));
          list = await Promise.all((await store.list()).map((img) => store.toApiImage(img)));
        }
        if (o.quiet) for (const img of list) say(img.id);
        else for (const line of table(imageRows(list))) say(line);
      } finally {
        rt.close();
      }
    });
  images
    .command('rm <images...>')
    .alias('remove')
    .description("remove images from this node through the running runtime (refused while a container uses one)")
    .option('--home <dir>', 'state directory ($SKIFF_HOME)', skiffHome())
    .action(async (names: string[], o, cmd: Command) => {
      const state = runState(cmd);
      const [{ connectRuntime }, { runtimeSocket }] = await Promise.all([runtimeClient(), runtimeProcess()]);
      const socket = runtimeSocket(o.home);
      const rt = connectRuntime(socket);
      try {
        await rt.version().catch(() => {
          throw new Error(`no runtime answers on ${socket}; start one (skiff up, skiff runtime) to remove images`);
        });
        let failed = 0;
        for (const name of names) {
          // RemoveImage is idempotent (CRI): ask first, so a typo is reported, as crictl rmi does.
          const img = await rt.imageStatus(name);
          if (!img) {
            state.io.stderr.write(`error: no such image "${name}"\n`);
            failed++;
            continue;
          }
          try {
            await rt.removeImage(name);
            state.io.stdout.write(`Deleted: ${name}\n`);
          } catch (err) {
            state.io.stderr.write(`error: removing image "${name}": ${(err as Error).message}\n`);
            failed++;
          }
        }
        if (failed) state.exitCode = 1;
      } finally {
        rt.close();
      }
    });

  withConfigFile(program.command('agent'))
    .description('run the node agent for this machine (or --hollow N fake nodes)')
    .option('--home <dir>', 'state directory ($SKIFF_HOME)', skiffHome())
    .option('--kubeconfig <path>', 'kubeconfig to reach the API server')
    .option('--server <url>', 'API server URL, e.g. https://HOST:6443 (with --token: join, or a bearer token and --ca-file)')
    .option('--token <token>', 'join string from `skiff server`/`skiff token create` (K10<ca hash>::<id>.<secret>), or a bearer token')
    .option('--token-file <path>', 'read --token from this file, waiting for it to appear (`skiff up` starts agents beside the server)')
    .option('--discovery-token-ca-cert-hash <sha256:hex>', "the CA pin for a bare <id>.<secret> token (kubeadm's flag)")
    .option('--ca-file <path>', "the cluster CA's certificate (with a plain bearer token)")
    .option('--node-name <name>', 'name of this node (default: the hostname)')
    .option('--node-ip <ip>', 'address other nodes and the API server reach this node at')
    .option('--node-labels <k=v,...>', 'extra labels for the Node', '')
    .option('--pod-cidr <cidr>', "this node's pod range (default: the one the control plane assigns)")
    .option('--cluster-cidr <cidr>', 'pod addresses of the whole cluster: pod-to-pod traffic is not NATed, traffic leaving it is', DEFAULT_CLUSTER_CIDR)
    .option('--log-server-port <port>', 'port of the log and exec server', portNumber, 10250)
    .option('--hollow <n>', 'run N hollow nodes with the fake runtime instead', (v) => Number(v))
    .option('--runtime-endpoint <path>', 'the runtime service socket, waited for (default $SKIFF_HOME/runtime.sock, started when absent)')
    .option('--runtime-args <args>', 'extra arguments for a runtime the agent starts (e.g. "--pod-cidr 10.89.0.0/16")', '')
    .option('--cluster-domain <domain>', 'the cluster DNS domain', 'cluster.local')
    .option('--cluster-dns-address <ip>', "the node-local DNS server's address, pods' nameserver", '169.254.20.10')
    .option('--no-cluster-dns', 'run no cluster DNS server (pods then get the host resolvers)')
    .option('--proxy-chain-prefix <name>', "prefix of the service proxy's iptables chains (up to 7 characters)", proxyChainPrefix, 'SKIFF')
    .action(async (o, cmd: Command) => {
      o.kubeconfig = kubeconfigOf(cmd);
      const [{ parseLabels, runAgent, tokenFromFile }, { ensureRuntime, runtimeSocket }] = await Promise.all([agentCommand(), runtimeProcess()]);
      const socket = o.runtimeEndpoint ?? runtimeSocket(o.home);
      // Given an endpoint, the agent waits for that runtime; by default it starts its own when none answers.
      // Reaching it (and loading the gRPC client) needs nothing from the API server, so it starts
      // now and overlaps the wait for the join token and the join; hollow nodes need no runtime.
      let reached: ReturnType<typeof ensureRuntime> | undefined;
      const runtime = () => (reached ??= ensureRuntime(o.home, socket, words(o.runtimeArgs), 60_000, !o.runtimeEndpoint));
      if (!o.hollow) runtime().catch(() => undefined); // runAgent awaits it and reports its failure
      if (o.tokenFile && !o.token) o.token = await tokenFromFile(o.tokenFile, o.home, o.nodeName);
      const clusterDns = o.clusterDns === false ? false : { domain: o.clusterDomain, address: o.clusterDnsAddress };
      const network = { proxy: { clusterCidr: o.clusterCidr, prefix: o.proxyChainPrefix } };
      const { writeAgentNetwork } = await import('./agent-network-file.js');
      writeAgentNetwork(o.home, { prefix: o.proxyChainPrefix, clusterCidr: o.clusterCidr, dnsAddress: o.clusterDns === false ? undefined : o.clusterDnsAddress });
      // The agent's timers are unref'd (client/clock.ts): while it waits for an API server that is
      // not up yet (skiff up starts both at once), nothing else would keep the process alive.
      const alive = setInterval(() => undefined, 1 << 30);
      const agent = await runAgent({ ...o, nodeLabels: parseLabels(o.nodeLabels), runtime, clusterDns, network }).catch((err: unknown) => {
        clearInterval(alive);
        throw err;
      });
      const stop = () => void agent.stop().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });

  // The scheduler's --config is upstream kube-scheduler's: a KubeSchedulerConfiguration.
  program
    .command('scheduler')
    .description('run the scheduler alone, against the API server in the kubeconfig')
    .option('--kubeconfig <path>', 'kubeconfig to reach the API server (default $KUBECONFIG or $SKIFF_HOME/kubeconfig)')
    .option('--config <file>', 'KubeSchedulerConfiguration (YAML): profiles, plugins, weights')
    .action(async (o, cmd: Command) => {
      const schedulerConfiguration = o.config ? await readSchedulerConfig(o.config) : undefined;
      await runAlone('scheduler', kubeconfigOf(cmd), { schedulerConfiguration });
    });
  withConfigFile(program.command('controller-manager'))
    .description('run the controllers alone, against the API server in the kubeconfig')
    .option('--kubeconfig <path>', 'kubeconfig to reach the API server (default $KUBECONFIG or $SKIFF_HOME/kubeconfig)')
    .action(async (_o, cmd: Command) => runAlone('controller-manager', kubeconfigOf(cmd)));
}

/**
 * kubeconfigOf: --kubeconfig as the command got it. The program has a --kubeconfig of its own
 * for the verbs, which takes the flag wherever it is typed; a component's own comes from --config.
 */
function kubeconfigOf(cmd: Command): string | undefined {
  return (cmd.optsWithGlobals() as { kubeconfig?: string }).kubeconfig;
}

/** runAlone runs the scheduler or the controller-manager as a process of its own until a signal. */
async function runAlone(name: 'scheduler' | 'controller-manager', kubeconfig: string | undefined, options: { schedulerConfiguration?: SchedulerConfiguration } = {}): Promise<void> {
  const [{ RestClient }, { startControlPlane }] = await Promise.all([import('../client/rest.js'), serverCommand()]);
  const client = RestClient.fromKubeconfig(kubeconfig, `skiff-${name}`);
  const running = await startControlPlane(() => client, [name], {}, options);
  const { componentLogger } = await import('./log.js');
  componentLogger(name).info({ server: client.server }, 'running');
  const stop = () => void running.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** readSchedulerConfig reads a KubeSchedulerConfiguration file, naming the file when it is unusable. */
async function readSchedulerConfig(file: string): Promise<SchedulerConfiguration> {
  const { loadConfigFile } = await import('../scheduler/config.js');
  try {
    return loadConfigFile(file);
  } catch (err) {
    throw new Error(`scheduler config ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

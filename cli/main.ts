#!/usr/bin/env node
// The `skiff` command.
import { Command, InvalidArgumentError } from 'commander';
import { skiffHome } from '../client/kubeconfig.js';
import { runServer } from './server-command.js';

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number (1-65535)');
  return n;
}

const program = new Command('skiff').description('A small Kubernetes-style container orchestrator').version('0.1.0');

program
  .command('server')
  .description('run etcd and the API server (control plane) on this machine')
  .option('--home <dir>', 'where state, certificates and the kubeconfig live ($SKIFF_HOME)', skiffHome())
  .option('--bind-address <ip>', 'address the API server listens on', '127.0.0.1')
  .option('--advertise-address <ip>', 'address written into the kubeconfig', '127.0.0.1')
  .option('--port <port>', 'API server port', port, 6443)
  .option('--etcd-servers <urls>', 'use these etcd endpoints instead of starting etcd')
  .option('--etcd-client-port <port>', 'client port of the etcd this starts', port, 12379)
  .option('--etcd-peer-port <port>', 'peer port of the etcd this starts', port, 12380)
  .option('--service-cidr <cidr>', 'range Service cluster IPs come from', '10.96.0.0/12')
  .action(async (o) => {
    await runServer({
      home: o.home,
      bindAddress: o.bindAddress,
      advertiseAddress: o.advertiseAddress,
      port: o.port,
      etcdServers: o.etcdServers,
      etcdClientPort: o.etcdClientPort,
      etcdPeerPort: o.etcdPeerPort,
      serviceCidr: o.serviceCidr,
    });
  });

program.parseAsync(process.argv).catch((err: Error) => {
  console.error(`error: ${err.message}`);
  process.exit(1);
});

// Global flags (--kubeconfig, --context, -n, -A) turned into a client and a namespace.

import type { Command } from 'commander';
import { defaultKubeconfigPath, loadKubeconfig, type ClientConfig } from '../../client/kubeconfig.js';
import { RestClient } from '../../client/rest.js';
import { runState, type CliIO, type RunState } from '../io.js';

/** GlobalOptions are the flags every verb accepts, as commander parses them. */
export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
}

/** Session is what a verb needs to talk to the cluster. */
export interface Session {
  client: RestClient;
  config: ClientConfig;
  /** -n, else the context's namespace, else default. */
  namespace: string;
  /** True when -n was given (apply checks manifests against it). */
  explicitNamespace: boolean;
  allNamespaces: boolean;
  io: CliIO;
  state: RunState;
}

/** kubeconfigPath is --kubeconfig, else $KUBECONFIG, else $SKIFF_HOME/kubeconfig. */
export function kubeconfigPath(cmd: Command): string {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  return g.kubeconfig ?? defaultKubeconfigPath(runState(cmd).io.env ?? process.env);
}

/** openSession reads the kubeconfig named by the global flags and builds a client. */
export function openSession(cmd: Command): Session {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const state = runState(cmd);
  const config = loadKubeconfig(kubeconfigPath(cmd), { context: g.context });
  const client = new RestClient({ ...config, userAgent: `skiff/v0.1.0 (${cmd.name()})` });
  return {
    client,
    config,
    namespace: g.namespace || config.namespace || 'default',
    explicitNamespace: Boolean(g.namespace),
    allNamespaces: Boolean(g.allNamespaces),
    io: state.io,
    state,
  };
}

/** out writes a line to stdout. */
export function out(s: Session, line: string): void {
  s.io.stdout.write(`${line}\n`);
}

/** warn writes a line to stderr. */
export function warn(s: Session, line: string): void {
  s.io.stderr.write(`${line}\n`);
}

// Builds a Framework per profile from the plugin table and the configuration, with upstream's
// default plugin set and score weights (pkg/scheduler/apis/config/v1/default_plugins.go).

import type { RestClient } from '../client/rest.js';
import { DefaultBinder } from './binder.js';
import { DEFAULT_SCHEDULER_NAME, type ExtensionPoint, type ProfileConfig, type SchedulerConfiguration } from './config.js';
import type { Framework } from './framework/framework.js';
import type { AnyPlugin } from './framework/interface.js';
import { BalancedAllocation } from './plugins/balanced-allocation.js';
import { DefaultPreemption } from './plugins/default-preemption.js';
import { InterPodAffinity } from './plugins/inter-pod-affinity.js';
import { NodeAffinity } from './plugins/node-affinity.js';
import { NodeName, NodeUnschedulable } from './plugins/node-name.js';
import { NodePorts } from './plugins/node-ports.js';
import { NodeResourcesFit, type FitArgs } from './plugins/noderesources-fit.js';
import { PodTopologySpread, type SpreadArgs } from './plugins/pod-topology-spread.js';
import { TaintToleration } from './plugins/taint-toleration.js';

/** PluginContext is what plugin factories may use besides their args. */
export interface PluginContext {
  client?: RestClient;
  /** The profile's filter plugins, for PostFilter's what-if checks. */
  framework: () => Framework;
}

type Factory = (args: Record<string, unknown>, ctx: PluginContext) => AnyPlugin;

/** PLUGINS is the one table of every plugin by name. */
export const PLUGINS: Record<string, Factory> = {
  NodeUnschedulable: () => new NodeUnschedulable(),
  NodeName: () => new NodeName(),
  TaintToleration: () => new TaintToleration(),
  NodeAffinity: () => new NodeAffinity(),
  NodePorts: () => new NodePorts(),
  NodeResourcesFit: (args) => new NodeResourcesFit(args as FitArgs),
  NodeResourcesBalancedAllocation: () => new BalancedAllocation(),
  PodTopologySpread: (args) => new PodTopologySpread(args as SpreadArgs),
  InterPodAffinity: () => new InterPodAffinity(),
  DefaultPreemption: (_a, ctx) => new DefaultPreemption(ctx.framework),
  DefaultBinder: (_a, ctx) => new DefaultBinder(ctx.client),
};

/** DEFAULT_PLUGINS is upstream's multiPoint default set, in order, with score weights. */
export const DEFAULT_PLUGINS: { name: string; weight: number }[] = [
  { name: 'NodeUnschedulable', weight: 0 },
  { name: 'NodeName', weight: 0 },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts', weight: 0 },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption', weight: 0 },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'DefaultBinder', weight: 0 },
];

const POINT_METHOD: Record<Exclude<ExtensionPoint, 'multiPoint'>, keyof AnyPlugin> = {
  preFilter: 'preFilter',
  filter: 'filter',
  postFilter: 'postFilter',
  preScore: 'preScore',
  score: 'score',
  reserve: 'reserve',
  bind: 'bind',
};

/** pluginNamesFor resolves which plugins run at point: defaults, minus disabled, plus enabled. */
export function pluginNamesFor(p: ProfileConfig, point: Exclude<ExtensionPoint, 'multiPoint'>): { name: string; weight: number }[] {
  const sets = [p.plugins?.multiPoint, p.plugins?.[point]];
  let list = DEFAULT_PLUGINS.map((d) => ({ ...d }));
  for (const set of sets) {
    const disabled = new Set((set?.disabled ?? []).map((d) => d.name));
    if (disabled.has('*')) list = [];
    list = list.filter((x) => !disabled.has(x.name));
    for (const e of set?.enabled ?? []) {
      const found = list.find((x) => x.name === e.name);
      if (found) found.weight = e.weight ?? found.weight;
      else list.push({ name: e.name, weight: e.weight ?? 1 });
    }
  }
  return list;
}

/** buildFramework instantiates one profile's plugins (once each) and places them at their extension points. */
export function buildFramework(p: ProfileConfig, globalPct: number, client?: RestClient): Framework {
  const instances = new Map<string, AnyPlugin>();
  const fw: Framework = {
    schedulerName: p.schedulerName ?? DEFAULT_SCHEDULER_NAME,
    percentageOfNodesToScore: p.percentageOfNodesToScore ?? globalPct,
    preFilter: [], filter: [], postFilter: [], preScore: [], score: [], reserve: [], bind: [],
  };
  const ctx: PluginContext = { client, framework: () => fw };
  const instance = (name: string): AnyPlugin => {
    let inst = instances.get(name);
    if (inst) return inst;
    const factory = PLUGINS[name];
    if (!factory) throw new Error(`unknown scheduler plugin ${name}`);
    const args = p.pluginConfig?.find((c) => c.name === name)?.args ?? {};
    instances.set(name, (inst = factory(args, ctx)));
    return inst;
  };
  for (const point of Object.keys(POINT_METHOD) as (keyof typeof POINT_METHOD)[]) placeAt(fw, point, p, instance);
  return fw;
}

function placeAt(fw: Framework, point: keyof typeof POINT_METHOD, p: ProfileConfig, instance: (n: string) => AnyPlugin): void {
  for (const { name, weight } of pluginNamesFor(p, point)) {
    const plugin = instance(name);
    if (typeof plugin[POINT_METHOD[point]] !== 'function') continue;
    if (point === 'score') {
      if (weight > 0) fw.score.push({ plugin: plugin as Framework['score'][number]['plugin'], weight });
    } else (fw[point] as AnyPlugin[]).push(plugin);
  }
}

/** buildFrameworks builds every profile; no profiles means one default profile. */
export function buildFrameworks(cfg: SchedulerConfiguration, client?: RestClient): Map<string, Framework> {
  const profiles = cfg.profiles?.length ? cfg.profiles : [{}];
  const out = new Map<string, Framework>();
  for (const p of profiles) {
    const fw = buildFramework(p, cfg.percentageOfNodesToScore ?? 0, client);
    out.set(fw.schedulerName, fw);
  }
  return out;
}

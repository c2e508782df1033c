// Scheduler configuration in the shape of upstream's KubeSchedulerConfiguration
// (kubescheduler.config.k8s.io/v1), read from YAML: profiles with enabled/disabled plugins per
// extension point (or multiPoint), score weights and plugin args.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** PluginRef names a plugin, with a weight when it is enabled at score or multiPoint. */
export interface PluginRef {
  name: string;
  weight?: number;
}

/** PluginSet enables or disables plugins at one extension point; `*` disables every default. */
export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: PluginRef[];
}

export type ExtensionPoint = 'multiPoint' | 'preFilter' | 'filter' | 'postFilter' | 'preScore' | 'score' | 'reserve' | 'bind';

/** ProfileConfig is one KubeSchedulerProfile. */
export interface ProfileConfig {
  schedulerName?: string;
  percentageOfNodesToScore?: number;
  plugins?: Partial<Record<ExtensionPoint, PluginSet>>;
  pluginConfig?: { name: string; args?: Record<string, unknown> }[];
}

/** SchedulerConfiguration is the whole file. */
export interface SchedulerConfiguration {
  apiVersion?: string;
  kind?: string;
  percentageOfNodesToScore?: number;
  profiles?: ProfileConfig[];
}

/** DEFAULT_SCHEDULER_NAME is upstream's default profile name. */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** parseConfig reads YAML text; a missing profiles list means the one default profile. */
export function parseConfig(text: string): SchedulerConfiguration {
  const cfg = (parse(text) ?? {}) as SchedulerConfiguration;
  if (typeof cfg !== 'object' || Array.isArray(cfg)) throw new Error('scheduler config must be a YAML mapping');
  if (cfg.kind && cfg.kind !== 'KubeSchedulerConfiguration') throw new Error(`unexpected kind ${cfg.kind}`);
  return cfg;
}

/** loadConfigFile reads and parses a configuration file. */
export function loadConfigFile(path: string): SchedulerConfiguration {
  return parseConfig(readFileSync(path, 'utf8'));
}

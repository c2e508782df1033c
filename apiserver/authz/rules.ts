// Static rules for the control-plane components and for discovery, in the shape of RBAC
// PolicyRules (verbs × API groups × resources, optionally namespaces). Only what each component
// calls, as upstream's system:kube-scheduler and the controller roles grant.
import type { RequestAttributes } from './attributes.js';

/**
 * Rule allows verbs on resources. A resource is `plural` or `plural/subresource`; `*` matches any
 * main resource (no subresource) and `* /sub` (written without the space) any resource's sub.
 */
export interface Rule {
  verbs: string[];
  groups: string[] | '*';
  resources: string[];
  namespaces?: string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['update', 'patch'];
const EVENTS: Rule[] = [
  { verbs: ['create', 'update', 'patch'], groups: ['', 'events.k8s.io'], resources: ['events'] },
];

/** SCHEDULER_RULES: what the scheduler reads, binds, reports and elects its leader on. */
export const SCHEDULER_RULES: Rule[] = [
  {
    verbs: READ,
    groups: ['', 'apps', 'policy', 'storage.k8s.io'],
    resources: [
      'pods', 'nodes', 'namespaces', 'services', 'endpoints', 'replicasets', 'deployments', 'statefulsets',
      'persistentvolumeclaims', 'persistentvolumes', 'poddisruptionbudgets', 'storageclasses', 'csinodes',
    ],
  },
  { verbs: ['create'], groups: [''], resources: ['pods/binding', 'bindings'] },
  { verbs: WRITE, groups: [''], resources: ['pods/status'] },
  { verbs: ['delete'], groups: [''], resources: ['pods'] },
  { verbs: [...READ, 'create', ...WRITE], groups: ['coordination.k8s.io'], resources: ['leases'], namespaces: ['kube-system'] },
  ...EVENTS,
];

/**
 * CONTROLLER_MANAGER_RULES: the union of the controllers' roles. The garbage collector and the
 * namespace controller read, patch and delete objects of every kind (upstream grants them `*`
 * too); creates are limited to what controllers make; no streaming or proxy subresources.
 */
export const CONTROLLER_MANAGER_RULES: Rule[] = [
  { verbs: [...READ, ...WRITE, 'delete', 'deletecollection'], groups: '*', resources: ['*'] },
  { verbs: ['get', ...WRITE], groups: '*', resources: ['*/status', '*/scale', 'namespaces/finalize'] },
  {
    verbs: ['create'],
    groups: ['', 'apps', 'discovery.k8s.io', 'coordination.k8s.io'],
    resources: ['pods', 'pods/eviction', 'replicasets', 'endpoints', 'endpointslices', 'leases'],
  },
  ...EVENTS,
];

/** DISCOVERY_PATHS: non-resource GETs every authenticated user may make (system:discovery). */
const DISCOVERY_PATHS = ['/api', '/apis', '/openapi', '/version', '/healthz', '/livez', '/readyz'];

export function isDiscoveryPath(path: string): boolean {
  const p = path.split('?')[0]!;
  return DISCOVERY_PATHS.some((d) => p === d || p.startsWith(d + '/'));
}

function resourceMatches(pattern: string, a: RequestAttributes): boolean {
  const [pr, ps] = pattern.split('/');
  if (pr !== '*' && pr !== a.resource) return false;
  return (ps ?? '') === (a.subresource ?? '');
}

/** ruleAllows tells whether one rule covers a resource request. */
export function ruleAllows(r: Rule, a: RequestAttributes): boolean {
  if (!a.resourceRequest) return false;
  if (!r.verbs.includes(a.verb)) return false;
  if (r.groups !== '*' && !r.groups.includes(a.apiGroup ?? '')) return false;
  if (r.namespaces && !r.namespaces.includes(a.namespace ?? '')) return false;
  return r.resources.some((p) => resourceMatches(p, a));
}

export function rulesAllow(rules: Rule[], a: RequestAttributes): boolean {
  return rules.some((r) => ruleAllows(r, a));
}

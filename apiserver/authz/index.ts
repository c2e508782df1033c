// The authorizer chain: a pure decision over the request's attributes and, for nodes, a read-only
// graph of pods. Admin (system:masters) may do everything; nodes go to the node authorizer; the
// scheduler and the controller-manager to their rule tables; bootstrap tokens may only discover
// (their one call, fetching node credentials, is checked by its endpoint). Anything else: denied.
import { GROUP_MASTERS, USER_CONTROLLER_MANAGER, USER_SCHEDULER, nodeNameOf } from '../auth.js';
import { ALLOW, deny, type Decision, type RequestAttributes } from './attributes.js';
import { authorizeNode, type NodeGraph } from './node.js';
import { CONTROLLER_MANAGER_RULES, SCHEDULER_RULES, isDiscoveryPath, rulesAllow } from './rules.js';

export { forbidden, forbiddenMessage, type Decision, type RequestAttributes } from './attributes.js';
export { podReferences, type NodeGraph, type PodLike } from './node.js';

/** authorize decides one request. */
export function authorize(a: RequestAttributes, graph: NodeGraph): Decision {
  if (a.user.groups.includes(GROUP_MASTERS)) return ALLOW;
  if (!a.resourceRequest && a.verb === 'get' && isDiscoveryPath(a.path ?? '')) return ALLOW;
  const node = nodeNameOf(a.user);
  if (node) return authorizeNode(a, node, graph);
  if (a.user.name === USER_SCHEDULER) return rulesAllow(SCHEDULER_RULES, a) ? ALLOW : deny();
  if (a.user.name === USER_CONTROLLER_MANAGER) return rulesAllow(CONTROLLER_MANAGER_RULES, a) ? ALLOW : deny();
  return deny();
}

// What an authorizer decides on (upstream's authorizer.Attributes) and the 403 it answers with.
import { StatusError } from '../../api/errors.js';
import type { UserInfo } from '../auth.js';

/** RequestAttributes describe one request: a resource request or a non-resource path. */
export interface RequestAttributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection (or a path verb). */
  verb: string;
  resourceRequest: boolean;
  /** For non-resource requests. */
  path?: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** metadata.name of the body of a create, which has no name in its URL (NodeRestriction). */
  objectName?: string;
}

/** Decision is an authorizer's answer; reason is appended to the 403 message when denied. */
export interface Decision {
  allowed: boolean;
  reason?: string;
}

export const ALLOW: Decision = { allowed: true };
export const deny = (reason?: string): Decision => ({ allowed: false, reason });

/** forbiddenMessage words a denial as kube-apiserver's responsewriters.forbiddenMessage does. */
export function forbiddenMessage(a: RequestAttributes): string {
  const user = a.user.name;
  if (!a.resourceRequest) return `User "${user}" cannot ${a.verb} path "${a.path ?? ''}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup ?? ''}" ${scope}`;
}

/** forbidden is the 403 Status: `secrets "s" is forbidden: User "..." cannot get resource ...[: reason]`. */
export function forbidden(a: RequestAttributes, reason?: string): StatusError {
  const msg = forbiddenMessage(a) + (reason ? `: ${reason}` : '');
  if (!a.resourceRequest) return new StatusError(403, 'Forbidden', `forbidden: ${msg}`);
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource!;
  const subject = a.name ? `${qualified} "${a.name}"` : qualified;
  return new StatusError(403, 'Forbidden', `${subject} is forbidden: ${msg}`, {
    name: a.name || undefined,
    group: a.apiGroup || undefined,
    kind: a.resource,
  });
}

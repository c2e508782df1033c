// DefaultBinder: the one plugin that writes, POSTing a Binding to pods/NAME/binding.

import { isStatusError } from '../api/errors.js';
import type { Pod } from '../api/types/index.js';
import type { RestClient } from '../client/rest.js';
import type { BindPlugin } from './framework/interface.js';
import { SUCCESS, errorStatus, type Status } from './framework/status.js';

export const DEFAULT_BINDER = 'DefaultBinder';

/** bindingFor is the Binding body for pod → node. */
export function bindingFor(pod: Pod, nodeName: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
    target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
  };
}

/** DefaultBinder binds through the API; an error status carries the API's message. */
export class DefaultBinder implements BindPlugin {
  readonly name = DEFAULT_BINDER;

  constructor(private readonly client?: RestClient) {}

  async bind(pod: Pod, nodeName: string): Promise<Status> {
    if (!this.client) return errorStatus(new Error('DefaultBinder has no API client'));
    const ns = encodeURIComponent(pod.metadata.namespace ?? 'default');
    const path = `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata.name ?? '')}/binding`;
    try {
      await this.client.request('POST', path, bindingFor(pod, nodeName));
      return SUCCESS;
    } catch (err) {
      return { ...errorStatus(err), reasons: [isStatusError(err) ? err.message : String(err)] };
    }
  }
}

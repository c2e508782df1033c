// The agent's events: recorded through client/events.ts (aggregation, counts, spam filter) with
// the kubelet's source, as upstream's kubelet does (component `kubelet`, host and
// reportingInstance the node name), about pods and their containers.

import type { ObjectReference } from '../api/types/common.js';
import type { Clock } from '../client/clock.js';
import { EventRecorder, refOf, type Referable } from '../client/events.js';
import type { RestClient } from '../client/rest.js';

/** nodeEventRecorder is the recorder of the agent on node `host`. */
export function nodeEventRecorder(client: RestClient, clock: Clock, host: string): EventRecorder {
  return new EventRecorder(client, clock, { component: 'kubelet', host });
}

/** podRef is the ObjectReference of a pod, or of one of its containers with a fieldPath. */
export function podRef(pod: Referable, container?: string, init = false): ObjectReference {
  return refOf(pod, 'v1', 'Pod', container ? `spec.${init ? 'initContainers' : 'containers'}{${container}}` : undefined);
}

// Which pod and container a pod verb (logs, exec) means: POD, pod/NAME, or TYPE/NAME of a workload
// or Service resolved through its selector to a running pod, as kubectl's polymorphic helpers do.

import { formatLabelSelector, type LabelSelector } from '../../api/labels.js';
import type { KubeObject } from '../../api/meta.js';
import { CliError } from './errors.js';
import { listObjects } from './requests.js';
import { parseTypeName, resolveType } from './resources.js';
import { warn, type Session } from './session.js';

interface PodSpec {
  containers?: { name: string }[];
}

/** resolvePod finds the pod args name (TYPE NAME, TYPE/NAME or a bare pod name). */
export async function resolvePod(s: Session, args: string[]): Promise<KubeObject> {
  const { res, name } = parseTypeName(args, 'pods');
  if (res.kind === 'Pod') return s.client.get(res, s.namespace, name);
  const owner = await s.client.get(res, s.namespace, name);
  const selector = (owner.spec as { selector?: LabelSelector | Record<string, string> } | undefined)?.selector;
  const labelSelector = res.kind === 'Service' ? formatMap(selector as Record<string, string>) : formatLabelSelector(selector as LabelSelector);
  const pods = await listObjects(s.client, resolveType('pods'), s.namespace, { labelSelector });
  const running = pods.items.find((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running') ?? pods.items[0];
  if (!running) throw new CliError(`timed out waiting for the condition`);
  return running;
}

/** pickContainer is the named container, else the default-container annotation, else the first. */
export function pickContainer(s: Session, pod: KubeObject, wanted: string | undefined, quiet = false): string {
  const names = ((pod.spec as PodSpec | undefined)?.containers ?? []).map((c) => c.name);
  if (wanted) {
    if (!names.includes(wanted)) throw new CliError(`container ${wanted} is not valid for pod ${pod.metadata.name}`);
    return wanted;
  }
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && names.includes(annotated)) return annotated;
  if (names.length > 1 && !quiet) warn(s, `Defaulted container "${names[0]}" out of: ${names.join(', ')}`);
  return names[0] ?? '';
}

function formatMap(m: Record<string, string> | undefined): string {
  return Object.entries(m ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

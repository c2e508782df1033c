// Building a pod from a ReplicaSet's template (upstream's GetPodFromTemplate).
import type { ReplicaSetObj, PodObj } from './objects.js';
import { ownerRefFor } from './claim.js';

/** podFromTemplate: template labels/annotations/spec, generateName `<rs>-`, controller ref to rs. */
export function podFromTemplate(rs: ReplicaSetObj): PodObj {
  const t = structuredClone(rs.spec.template!);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      labels: t.metadata?.labels,
      annotations: t.metadata?.annotations,
      ownerReferences: [ownerRefFor(rs, 'apps/v1', 'ReplicaSet')],
    },
    spec: t.spec,
  };
}

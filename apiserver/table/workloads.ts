// Deployment and ReplicaSet rows, as upstream's printDeployment / printReplicaSet.

import { formatLabelSelector, type LabelSelector } from '../../api/labels.js';
import type { Deployment, ReplicaSet } from '../../api/types/apps.js';
import type { PodTemplateSpec } from '../../api/types/pod.js';
import { since } from './duration.js';
import { AGE, NAME, column, printer, wide, type ColumnDefinition } from './columns.js';

const TEMPLATE_COLUMNS: ColumnDefinition[] = [
  wide('Containers', 'Names of each container in the template.'),
  wide('Images', 'Images referenced by each container in the template.'),
  wide('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
];

/** api/types' LabelSelector types `operator` as a plain string; an unknown one prints `<error>`. */
function selectorText(sel: unknown): string {
  return formatLabelSelector(sel as LabelSelector | undefined);
}

/** CONTAINERS and IMAGES cells: comma-separated, in template order. */
export function templateCells(template: PodTemplateSpec | undefined): [string, string] {
  const containers = template?.spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image ?? '').join(',')];
}

export const deploymentPrinter = printer<Deployment>(
  [
    NAME,
    column('Ready', 'Number of the pod with ready state'),
    column('Up-to-date', 'Total number of non-terminating pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE,
    ...TEMPLATE_COLUMNS,
  ],
  (d, now) => [
    d.metadata.name,
    `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
    d.status?.updatedReplicas ?? 0,
    d.status?.availableReplicas ?? 0,
    since(d.metadata.creationTimestamp, now),
    ...templateCells(d.spec?.template),
    selectorText(d.spec?.selector),
  ],
);

export const replicaSetPrinter = printer<ReplicaSet>(
  [
    NAME,
    column('Desired', 'Replicas is the number of desired pods.', { type: 'integer' }),
    column('Current', 'Replicas is the most recently observed number of non-terminating pods.', { type: 'integer' }),
    column('Ready', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.', { type: 'integer' }),
    AGE,
    ...TEMPLATE_COLUMNS,
  ],
  (rs, now) => [
    rs.metadata.name,
    rs.spec?.replicas ?? 1,
    rs.status?.replicas ?? 0,
    rs.status?.readyReplicas ?? 0,
    since(rs.metadata.creationTimestamp, now),
    ...templateCells(rs.spec?.template),
    selectorText(rs.spec?.selector),
  ],
);

// Server-side Table output (meta.k8s.io/v1): what `kubectl get` prints. kubectl asks for it
// with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`; cells are rendered here.

import type { KubeObject, ListMeta } from '../../api/meta.js';
import { groupVersion, type ResourceInfo } from '../../api/registry.js';
import type { Printer, TableRowCondition } from './columns.js';
import { eventPrinter } from './event.js';
import { endpointsPrinter, servicePrinter } from './network.js';
import { nodePrinter } from './node.js';
import { podPrinter } from './pod.js';
import { configMapPrinter, defaultPrinter, leasePrinter, namespacePrinter, secretPrinter } from './simple.js';
import { deploymentPrinter, replicaSetPrinter } from './workloads.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  now: Date;
  includeObject?: IncludeObject;
  listMeta?: ListMeta;
}

const PRINTERS: Record<string, Printer> = {
  'v1/Pod': podPrinter,
  'v1/Node': nodePrinter,
  'v1/Namespace': namespacePrinter,
  'v1/Service': servicePrinter,
  'v1/Endpoints': endpointsPrinter,
  'v1/ConfigMap': configMapPrinter,
  'v1/Secret': secretPrinter,
  'v1/Event': eventPrinter,
  'apps/v1/Deployment': deploymentPrinter,
  'apps/v1/ReplicaSet': replicaSetPrinter,
  'coordination.k8s.io/v1/Lease': leasePrinter,
};

export function printerFor(res: ResourceInfo): Printer {
  return PRINTERS[`${groupVersion(res)}/${res.kind}`] ?? defaultPrinter;
}

/** True when the Accept header offers a Table (kubectl's human `get` output). */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((media) => media.split(';').some((p) => p.trim() === 'as=Table'));
}

function rowObject(res: ResourceInfo, obj: KubeObject, include: IncludeObject): KubeObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return { ...obj, apiVersion: obj.apiVersion ?? groupVersion(res), kind: obj.kind ?? res.kind };
  // PartialObjectMetadata: enough for -A (namespace column), --show-labels and -L.
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

function tableRow(res: ResourceInfo, p: Printer, obj: KubeObject, opts: TableOptions): Record<string, unknown> {
  const row: Record<string, unknown> = { cells: p.cells(obj, opts.now) };
  const conditions: TableRowCondition[] | undefined = p.conditions?.(obj);
  if (conditions) row.conditions = conditions;
  const object = rowObject(res, obj, opts.includeObject ?? 'Metadata');
  if (object) row.object = object;
  return row;
}

function tableMeta(listMeta: ListMeta | undefined): ListMeta {
  const meta: ListMeta = {};
  if (listMeta?.resourceVersion) meta.resourceVersion = listMeta.resourceVersion;
  if (listMeta?.continue) meta.continue = listMeta.continue;
  if (listMeta?.remainingItemCount !== undefined) meta.remainingItemCount = listMeta.remainingItemCount;
  return meta;
}

/** A meta.k8s.io/v1 Table of `items`, all of kind `res`. */
export function toTable(res: ResourceInfo, items: KubeObject[], opts: TableOptions): Record<string, unknown> {
  const p = printerFor(res);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: tableMeta(opts.listMeta),
    columnDefinitions: p.columns,
    rows: items.map((obj) => tableRow(res, p, obj, opts)),
  };
}

// metav1.ObjectMeta and other shared fragments, one schema reused by every kind.

import type { ManagedFieldsEntry, ObjectMeta, OwnerReference } from '../meta.js';
import type { Condition, LabelSelector, LabelSelectorRequirement, ObjectReference } from '../types/common.js';
import { anyObject, arr, bool, int64, str, stringMap, strings, struct, time, type Props, type Schema } from './builders.js';

const ownerReference = struct<OwnerReference>('OwnerReference', {
  apiVersion: str,
  kind: str,
  name: str,
  uid: str,
  controller: bool,
  blockOwnerDeletion: bool,
});

const managedFields = struct<ManagedFieldsEntry>('ManagedFieldsEntry', {
  manager: str,
  operation: str,
  apiVersion: str,
  time,
  fieldsType: str,
  fieldsV1: anyObject('v1.FieldsV1'),
  subresource: str,
});

// selfLink is not in ObjectMeta's TS type (deprecated) but clients still send it.
export const objectMeta: Schema = struct<ObjectMeta & { selfLink?: string }>('ObjectMeta', {
  name: str,
  generateName: str,
  namespace: str,
  selfLink: str,
  uid: str,
  resourceVersion: str,
  generation: int64,
  creationTimestamp: time,
  deletionTimestamp: time,
  deletionGracePeriodSeconds: int64,
  labels: stringMap,
  annotations: stringMap,
  ownerReferences: arr(ownerReference),
  finalizers: strings,
  managedFields: arr(managedFields),
});

export const labelSelector: Schema = struct<LabelSelector>('LabelSelector', {
  matchLabels: stringMap,
  matchExpressions: arr(
    struct<LabelSelectorRequirement>('LabelSelectorRequirement', { key: str, operator: str, values: strings }),
  ),
});

export const objectReference: Schema = struct<ObjectReference>('ObjectReference', {
  apiVersion: str,
  kind: str,
  name: str,
  namespace: str,
  uid: str,
  resourceVersion: str,
  fieldPath: str,
});

/** One schema for the condition shapes of all kinds; Go names differ, the JSON keys overlap. */
export function conditions(goName: string): Schema {
  const props: Props<Condition> = {
    type: str,
    status: str,
    lastProbeTime: time,
    lastHeartbeatTime: time,
    lastTransitionTime: time,
    lastUpdateTime: time,
    reason: str,
    message: str,
  };
  return arr(struct<Condition>(goName, props));
}

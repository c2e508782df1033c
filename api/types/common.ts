// Small value types shared by several kinds, with upstream's JSON shapes.

/** intstr.IntOrString: `3` or `"25%"` / `"http"`. */
export type IntOrString = number | string;

/** resource.Quantity on the wire: `"100m"`, `"128Mi"`, or a bare number. */
export type QuantityValue = string | number;

/** core/v1 ResourceList: resource name to quantity. */
export type ResourceList = Record<string, QuantityValue>;

/** metav1.LabelSelector, as api/labels.ts defines it. */
export type { LabelSelector, LabelSelectorRequirement } from '../labels.js';

/** core/v1 ObjectReference, as events and bindings use it. */
export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface LocalObjectReference {
  name?: string;
}

/** A status condition as core/v1 kinds write it (Pod, Node, Namespace, Deployment...). */
export interface Condition {
  type: string;
  status: string;
  lastProbeTime?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  reason?: string;
  message?: string;
}

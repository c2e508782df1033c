// The labels and annotations the agent puts on sandboxes and containers, as upstream kubelet's
// kuberuntime/labels.go names them. They are how the agent finds its pods' containers again
// after a restart (adoption): everything the agent needs is on the runtime objects.

/** Label keys on sandboxes and containers. */
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
/** Skiff marks init containers so status can tell them apart from app containers of the same name. */
export const LABEL_CONTAINER_TYPE = 'io.kubernetes.container.type';

/** Annotation keys on containers. */
export const ANNOTATION_HASH = 'io.kubernetes.container.hash';
export const ANNOTATION_RESTART_COUNT = 'io.kubernetes.container.restartCount';

/** podLabels are the labels a pod's sandbox and containers carry. */
export function podLabels(pod: { metadata: { name?: string; namespace?: string; uid?: string } }): Record<string, string> {
  return {
    [LABEL_POD_NAME]: pod.metadata.name ?? '',
    [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? '',
    [LABEL_POD_UID]: pod.metadata.uid ?? '',
  };
}

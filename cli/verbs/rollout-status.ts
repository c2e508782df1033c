// The message `rollout status` prints for a Deployment, as kubectl's DeploymentStatusViewer
// decides it (pure; tested in test/unit/cli).

/** DeploymentLike is the part of a Deployment the status needs. */
export interface DeploymentLike {
  metadata: { name?: string; generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; reason?: string; message?: string }[];
  };
}

/** RolloutState is the verdict: keep waiting, done, or failed. */
export interface RolloutState {
  message: string;
  done: boolean;
  failed: boolean;
}

/** rolloutStatus evaluates one observed state of a Deployment. */
export function rolloutStatus(d: DeploymentLike): RolloutState {
  const name = d.metadata.name ?? '';
  const st = d.status ?? {};
  const waiting = (message: string): RolloutState => ({ message, done: false, failed: false });
  if ((d.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) return waiting('Waiting for deployment spec update to be observed...');
  const progressing = st.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { message: `deployment "${name}" exceeded its progress deadline`, done: false, failed: true };
  }
  const want = d.spec?.replicas ?? 1;
  const updated = st.updatedReplicas ?? 0;
  const total = st.replicas ?? 0;
  const available = st.availableReplicas ?? 0;
  const prefix = `Waiting for deployment "${name}" rollout to finish: `;
  if (updated < want) return waiting(`${prefix}${updated} out of ${want} new replicas have been updated...`);
  if (total > updated) return waiting(`${prefix}${total - updated} old replicas are pending termination...`);
  if (available < updated) return waiting(`${prefix}${available} of ${updated} updated replicas are available...`);
  return { message: `deployment "${name}" successfully rolled out`, done: true, failed: false };
}

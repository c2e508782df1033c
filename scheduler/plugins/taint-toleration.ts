// TaintToleration (upstream plugins/tainttoleration): NoSchedule and NoExecute taints the pod
// does not tolerate reject the node; untolerated PreferNoSchedule taints lower its score.

import type { Pod } from '../../api/types/index.js';
import { defaultNormalize, type CycleState, type FilterPlugin, type ScorePlugin } from '../framework/interface.js';
import { SUCCESS, unresolvable, type Status } from '../framework/status.js';
import type { NodeInfo } from '../nodeinfo.js';
import { firstUntolerated, tolerates } from './tolerations.js';

export const TAINT_TOLERATION = 'TaintToleration';

/** TaintToleration filters on hard taints and scores soft ones. */
export class TaintToleration implements FilterPlugin, ScorePlugin {
  readonly name = TAINT_TOLERATION;

  filter(_s: CycleState, pod: Pod, node: NodeInfo): Status {
    const taints = node.node?.spec?.taints;
    if (!taints?.length) return SUCCESS;
    const bad = firstUntolerated(taints, pod.spec.tolerations ?? [], ['NoSchedule', 'NoExecute']);
    return bad ? unresolvable(`node(s) had untolerated taint {${bad.key}: ${bad.value ?? ''}}`) : SUCCESS;
  }

  /** score counts intolerable PreferNoSchedule taints; fewer is better (normalised in reverse). */
  score(_s: CycleState, pod: Pod, node: NodeInfo): number {
    const taints = node.node?.spec?.taints;
    if (!taints?.length) return 0;
    const tols = (pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    return taints.filter((taint) => taint.effect === 'PreferNoSchedule' && !tols.some((t) => tolerates(t, taint))).length;
  }

  normalizeScore(_s: CycleState, _p: Pod, scores: number[]): void {
    defaultNormalize(scores, true);
  }
}

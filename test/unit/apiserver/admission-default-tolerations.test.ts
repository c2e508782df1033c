// DefaultTolerationSeconds admission, table-driven: which pods get which default tolerations.
import { describe, expect, it } from 'vitest';
import { mustResource } from '../../../api/registry.js';
import type { KubeObject } from '../../../api/meta.js';
import type { Toleration } from '../../../api/types/pod.js';
import { admitPodTolerations, missingDefaults } from '../../../apiserver/admission/default-tolerations.js';
import { prepareForCreate } from '../../../apiserver/strategy.js';

const NR = 'node.kubernetes.io/not-ready';
const UR = 'node.kubernetes.io/unreachable';
const dflt = (key: string, s = 300): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: s });

describe('missingDefaults', () => {
  const cases: [string, Toleration[] | undefined, string[]][] = [
    ['no tolerations at all', undefined, [NR, UR]],
    ['an empty list', [], [NR, UR]],
    ['an unrelated toleration', [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }], [NR, UR]],
    ['its own not-ready toleration', [{ key: NR, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }], [UR]],
    ['its own unreachable toleration without effect', [{ key: UR, operator: 'Exists' }], [NR]],
    ['both, forever', [{ key: NR, operator: 'Exists', effect: 'NoExecute' }, { key: UR, operator: 'Exists', effect: 'NoExecute' }], []],
    ['the tolerate-everything toleration', [{ operator: 'Exists' }], []],
    ['an empty key with NoExecute', [{ operator: 'Exists', effect: 'NoExecute' }], []],
    ['the right keys with NoSchedule only', [{ key: NR, operator: 'Exists', effect: 'NoSchedule' }, { key: UR, operator: 'Exists', effect: 'NoSchedule' }], [NR, UR]],
    // upstream looks at key and effect only, not at operator or value
    ['Equal with a value', [{ key: UR, operator: 'Equal', value: 'x', effect: 'NoExecute' }], [NR]],
  ];
  for (const [name, own, want] of cases) {
    it(`${name}: adds ${want.join(', ') || 'nothing'}`, () => {
      expect(missingDefaults(own)).toEqual(want.map((k) => dflt(k)));
    });
  }

  it('uses the given number of seconds', () => {
    expect(missingDefaults([], 7)).toEqual([dflt(NR, 7), dflt(UR, 7)]);
  });
});

describe('admitPodTolerations', () => {
  const pod = (tolerations?: Toleration[]): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [], tolerations } });

  it('appends after the pod\'s own tolerations without touching the input', () => {
    const own = [{ key: 'gpu', operator: 'Exists' }];
    const input = pod(own);
    const out = admitPodTolerations(input);
    expect((out.spec as { tolerations: Toleration[] }).tolerations).toEqual([...own, dflt(NR), dflt(UR)]);
    expect((input.spec as { tolerations: Toleration[] }).tolerations).toEqual(own);
  });

  it('returns the same object when nothing is missing', () => {
    const input = pod([{ operator: 'Exists' }]);
    expect(admitPodTolerations(input)).toBe(input);
  });

  it('is applied to pods on create, and only to pods', () => {
    const created = prepareForCreate(mustResource('pods'), pod(), 'uid', new Date(0));
    expect((created.spec as { tolerations: Toleration[] }).tolerations).toEqual([dflt(NR), dflt(UR)]);
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { template: { spec: { containers: [] } } } };
    expect(prepareForCreate(mustResource('replicasets'), rs, 'uid', new Date(0)).spec).toEqual(rs.spec);
  });
});

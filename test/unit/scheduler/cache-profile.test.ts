import { describe, expect, it } from 'vitest';
import { cacheWith, mkNode, mkPod } from './builders.js';
import { buildFramework, pluginNamesFor } from '../../../scheduler/profile.js';
import { parseConfig } from '../../../scheduler/config.js';

describe('SchedulerCache', () => {
  it('an assumed pod counts at once, is forgotten on bind failure, and confirmed by the informer', () => {
    const c = cacheWith([mkNode('n')]);
    const p = { ...mkPod('p', { cpu: '1' }), spec: { ...mkPod('p', { cpu: '1' }).spec, nodeName: 'n' } };
    c.assumePod(p);
    expect(c.get('n')!.requested.milliCPU).toBe(1000);
    c.forgetPod(p);
    expect(c.get('n')!.requested.milliCPU).toBe(0);
    c.assumePod(p);
    c.addPod(p);
    expect([c.isAssumed('ns/p'), c.get('n')!.requested.milliCPU, c.podCount()]).toEqual([false, 1000, 1]);
    c.removePod(p);
    expect(c.get('n')!.pods).toEqual([]);
  });
});

describe('profiles from YAML', () => {
  const yaml = `
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 20
profiles:
  - schedulerName: bin-packer
    plugins:
      score:
        disabled: [{ name: NodeResourcesBalancedAllocation }]
        enabled: [{ name: NodeResourcesFit, weight: 5 }]
    pluginConfig:
      - name: NodeResourcesFit
        args: { scoringStrategy: { type: MostAllocated } }
`;
  it('applies enabled/disabled plugins, weights and args', () => {
    const cfg = parseConfig(yaml);
    const p = cfg.profiles![0]!;
    const score = pluginNamesFor(p, 'score');
    expect(score.find((s) => s.name === 'NodeResourcesFit')?.weight).toBe(5);
    expect(score.some((s) => s.name === 'NodeResourcesBalancedAllocation')).toBe(false);
    const fw = buildFramework(p, cfg.percentageOfNodesToScore ?? 0);
    expect(fw.schedulerName).toBe('bin-packer');
    expect(fw.percentageOfNodesToScore).toBe(20);
    expect(fw.filter.map((f) => f.name)).toEqual(['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);
    expect(fw.postFilter.map((f) => f.name)).toEqual(['DefaultPreemption']);
  });
  it('disabled * empties an extension point', () => {
    expect(pluginNamesFor({ plugins: { filter: { disabled: [{ name: '*' }], enabled: [{ name: 'NodeName' }] } } }, 'filter').map((x) => x.name)).toEqual(['NodeName']);
  });
});

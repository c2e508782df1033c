import { describe, expect, it } from 'vitest';
import { blockCount, CidrSet, formatCidr, parseCidr } from '../../../controllers/nodeipam/index.js';

describe('parseCidr / blockCount', () => {
  const cases = [
    { s: '10.244.3.9/24', want: '10.244.3.0/24' },
    { s: '0.0.0.0/0', want: '0.0.0.0/0' },
    { s: '255.255.255.255/32', want: '255.255.255.255/32' },
  ];
  for (const tc of cases) it(`${tc.s} round-trips as ${tc.want}`, () => expect(formatCidr(parseCidr(tc.s)!)).toBe(tc.want));
  for (const bad of ['10.0.0.0', '10.0.0.256/8', '10.0.0.0/33', '']) it(`rejects ${JSON.stringify(bad)}`, () => expect(parseCidr(bad)).toBeUndefined());
  it('a /16 holds 256 /24s', () => expect(blockCount(parseCidr('10.244.0.0/16')!, 24)).toBe(256));
});

describe('CidrSet', () => {
  type Step = ['occupy' | 'release', string] | ['allocate', string | undefined];
  const cases: { name: string; cluster: string; mask: number; steps: Step[] }[] = [
    { name: 'hands out blocks lowest first', cluster: '10.244.0.0/16', mask: 24, steps: [['allocate', '10.244.0.0/24'], ['allocate', '10.244.1.0/24']] },
    { name: 'skips blocks nodes already hold', cluster: '10.244.0.0/16', mask: 24, steps: [['occupy', '10.244.0.0/24'], ['occupy', '10.244.2.0/24'], ['allocate', '10.244.1.0/24'], ['allocate', '10.244.3.0/24']] },
    { name: 'a released block is the next one out', cluster: '10.244.0.0/16', mask: 24, steps: [['allocate', '10.244.0.0/24'], ['allocate', '10.244.1.0/24'], ['release', '10.244.0.0/24'], ['allocate', '10.244.0.0/24'], ['allocate', '10.244.2.0/24']] },
    { name: 'exhausted, then a block freed', cluster: '10.0.0.0/30', mask: 31, steps: [['allocate', '10.0.0.0/31'], ['allocate', '10.0.0.2/31'], ['allocate', undefined], ['release', '10.0.0.2/31'], ['allocate', '10.0.0.2/31']] },
    { name: 'blocks outside the range or of another size are ignored', cluster: '10.244.0.0/16', mask: 24, steps: [['occupy', '192.168.0.0/24'], ['occupy', '10.244.0.0/25'], ['release', '10.245.0.0/24'], ['allocate', '10.244.0.0/24']] },
    { name: 'host bits are masked before comparing', cluster: '10.244.0.0/16', mask: 24, steps: [['occupy', '10.244.0.7/24'], ['allocate', '10.244.1.0/24']] },
    { name: 'occupying or releasing twice counts once', cluster: '10.0.0.0/30', mask: 31, steps: [['occupy', '10.0.0.0/31'], ['occupy', '10.0.0.0/31'], ['allocate', '10.0.0.2/31'], ['allocate', undefined], ['release', '10.0.0.0/31'], ['release', '10.0.0.0/31'], ['allocate', '10.0.0.0/31'], ['allocate', undefined]] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const set = CidrSet.parse(tc.cluster, tc.mask)!;
      for (const [op, arg] of tc.steps) {
        if (op === 'allocate') expect(set.allocate()).toBe(arg);
        else set[op](arg);
      }
    });
  }
  it.each([
    ['nope', 24],
    ['10.244.0.0/16', 8], // mask shorter than the cluster prefix
    ['10.0.0.0/8', 32], // 2^24 blocks: more than upstream's 2^16
  ])('refuses %s cut into /%d', (cluster, mask) => expect(CidrSet.parse(cluster, mask)).toBeUndefined());
  it('a /16 cut into /24s has 256 free blocks', () => expect(CidrSet.parse('10.88.0.0/16', 24)!.free).toBe(256));
});

import { describe, expect, it } from 'vitest';
import { blockCount, formatCidr, nextFreeCidr, parseCidr } from '../../../controllers/nodeipam/index.js';

describe('nextFreeCidr', () => {
  const cases = [
    { name: 'first block of an empty range', cluster: '10.244.0.0/16', mask: 24, used: [], want: '10.244.0.0/24' },
    { name: 'skips used blocks', cluster: '10.244.0.0/16', mask: 24, used: ['10.244.0.0/24', '10.244.1.0/24'], want: '10.244.2.0/24' },
    { name: 'fills a hole first', cluster: '10.244.0.0/16', mask: 24, used: ['10.244.1.0/24'], want: '10.244.0.0/24' },
    { name: 'used entries are normalised (host bits)', cluster: '10.244.0.0/16', mask: 24, used: ['10.244.0.7/24'], want: '10.244.1.0/24' },
    { name: 'blocks outside the range do not matter', cluster: '10.244.0.0/16', mask: 24, used: ['192.168.0.0/24'], want: '10.244.0.0/24' },
    { name: 'exhausted range', cluster: '10.0.0.0/30', mask: 31, used: ['10.0.0.0/31', '10.0.0.2/31'], want: undefined },
    { name: 'crosses an octet boundary', cluster: '10.0.0.0/8', mask: 16, used: Array.from({ length: 256 }, (_, i) => `10.${i}.0.0/16`).slice(0, 5), want: '10.5.0.0/16' },
    { name: 'mask shorter than the cluster prefix: nothing', cluster: '10.244.0.0/16', mask: 8, used: [], want: undefined },
    { name: 'malformed cluster CIDR: nothing', cluster: 'nope', mask: 24, used: [], want: undefined },
    { name: 'high addresses stay unsigned', cluster: '240.0.0.0/4', mask: 8, used: ['240.0.0.0/8'], want: '241.0.0.0/8' },
  ];
  for (const tc of cases) it(tc.name, () => expect(nextFreeCidr(tc.cluster, tc.mask, tc.used)).toBe(tc.want));
});

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

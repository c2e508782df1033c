// IPv4 CIDR arithmetic for the range allocator (upstream's nodeipam/ipam/cidrset): the cluster
// CIDR is cut into blocks of /maskSize, handed out lowest first, never twice.

/** Cidr is an IPv4 network: base address as an unsigned 32-bit number and prefix length. */
export interface Cidr {
  base: number;
  prefix: number;
}

/** parseCidr parses `a.b.c.d/n`, masking host bits away; undefined when malformed. */
export function parseCidr(s: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const addr = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base: addr - (addr % 2 ** (32 - prefix)), prefix };
}

/** formatCidr renders a Cidr as `a.b.c.d/n`. */
export function formatCidr(c: Cidr): string {
  const o = [24, 16, 8, 0].map((shift) => Math.floor(c.base / 2 ** shift) % 256);
  return `${o.join('.')}/${c.prefix}`;
}

/**
 * blockCount: how many /maskSize blocks fit in the cluster CIDR; 0 when the mask is shorter
 * than the cluster prefix. E.g. 10.244.0.0/16 in /24s: 2^(24-16) = 256 blocks.
 */
export function blockCount(cluster: Cidr, maskSize: number): number {
  return maskSize < cluster.prefix || maskSize > 32 ? 0 : 2 ** (maskSize - cluster.prefix);
}

/** blockAt is the i-th /maskSize block of the cluster CIDR (10.244.0.0/16, /24, 3 → 10.244.3.0/24). */
export function blockAt(cluster: Cidr, maskSize: number, i: number): Cidr {
  return { base: cluster.base + i * 2 ** (32 - maskSize), prefix: maskSize };
}

/**
 * nextFreeCidr returns the lowest block of the cluster CIDR not in `used` (strings as written in
 * spec.podCIDR; they are normalised before comparing), or undefined when all are taken.
 */
export function nextFreeCidr(clusterCidr: string, maskSize: number, used: Iterable<string>): string | undefined {
  const cluster = parseCidr(clusterCidr);
  if (!cluster) return undefined;
  const taken = new Set<string>();
  for (const u of used) {
    const c = parseCidr(u);
    if (c) taken.add(formatCidr(c));
  }
  for (let i = 0; i < blockCount(cluster, maskSize); i++) {
    const s = formatCidr(blockAt(cluster, maskSize, i));
    if (!taken.has(s)) return s;
  }
  return undefined;
}

/** cidrWithin: whether network (or address) `inner` lies inside network `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const i = parseCidr(inner.includes('/') ? inner : `${inner}/32`);
  const o = parseCidr(outer);
  if (!i || !o || i.prefix < o.prefix) return false;
  const size = 2 ** (32 - o.prefix);
  return i.base - (i.base % size) === o.base;
}

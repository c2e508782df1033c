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

/** Upstream's cidrset refuses a cluster CIDR cut into more than 2^16 blocks; so does CidrSet.parse. */
const MAX_BLOCKS = 2 ** 16;

/**
 * CidrSet records which /maskSize blocks of the cluster CIDR are taken (upstream's cidrset, a
 * bitmap), so a node's block is found without listing every node's: allocate hands out the
 * lowest free block, in amortised constant time.
 */
export class CidrSet {
  private readonly taken: Uint8Array;
  private used = 0;
  /** No block below this index is free. */
  private lowestFree = 0;

  private constructor(private readonly cluster: Cidr, private readonly maskSize: number) {
    this.taken = new Uint8Array(blockCount(cluster, maskSize));
  }

  /** parse makes the set of clusterCidr's /maskSize blocks; undefined when malformed, empty or over 2^16 blocks. */
  static parse(clusterCidr: string, maskSize: number): CidrSet | undefined {
    const cluster = parseCidr(clusterCidr);
    const n = cluster ? blockCount(cluster, maskSize) : 0;
    return cluster && n > 0 && n <= MAX_BLOCKS ? new CidrSet(cluster, maskSize) : undefined;
  }

  /** The block's index, or undefined when it is not one of this set's blocks. */
  private indexOf(block: string): number | undefined {
    const c = parseCidr(block);
    if (!c || c.prefix !== this.maskSize) return undefined;
    const i = (c.base - this.cluster.base) / 2 ** (32 - this.maskSize);
    return Number.isInteger(i) && i >= 0 && i < this.taken.length ? i : undefined;
  }

  /** occupy marks a block taken (one a node already has); blocks outside the set are ignored. */
  occupy(block: string): void {
    const i = this.indexOf(block);
    if (i === undefined || this.taken[i]) return;
    this.taken[i] = 1;
    this.used++;
  }

  /** release frees a block; blocks outside the set or already free are ignored. */
  release(block: string): void {
    const i = this.indexOf(block);
    if (i === undefined || !this.taken[i]) return;
    this.taken[i] = 0;
    this.used--;
    this.lowestFree = Math.min(this.lowestFree, i);
  }

  /** allocate takes the lowest free block, or undefined when every block is taken. */
  allocate(): string | undefined {
    if (this.used === this.taken.length) return undefined;
    while (this.taken[this.lowestFree]) this.lowestFree++;
    this.taken[this.lowestFree] = 1;
    this.used++;
    return formatCidr(blockAt(this.cluster, this.maskSize, this.lowestFree));
  }

  /** free counts the blocks not taken. */
  get free(): number {
    return this.taken.length - this.used;
  }
}

/** cidrWithin: whether network (or address) `inner` lies inside network `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const i = parseCidr(inner.includes('/') ? inner : `${inner}/32`);
  const o = parseCidr(outer);
  if (!i || !o || i.prefix < o.prefix) return false;
  const size = 2 ** (32 - o.prefix);
  return i.base - (i.base % size) === o.base;
}

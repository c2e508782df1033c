// Service cluster IP allocation from a CIDR. Each allocated IP is also an etcd key, claimed in
// the same transaction as the Service, so two creates can never get the same address.
import { fieldErr, type FieldError } from '../api/errors.js';

export const IP_KEY_PREFIX = '/registry/ranges/serviceips/';

export interface Cidr {
  base: number;
  size: number;
  text: string;
}

export function parseCidr(text: string): Cidr {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(text);
  if (!m) throw new Error(`invalid service CIDR ${text}`);
  const bits = Number(m[5]);
  if (bits < 8 || bits > 30) throw new Error(`service CIDR ${text} must be between /8 and /30`);
  const size = 2 ** (32 - bits);
  const addr = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  return { base: addr - (addr % size), size, text };
}

export function ipToString(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function ipToNumber(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) return undefined;
  return m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** The first usable address; upstream gives it to the `kubernetes` Service. */
export function firstServiceIP(cidr: Cidr): string {
  return ipToString(cidr.base + 1);
}

/** A free address, scanning from a random offset; undefined when the range is full. */
export function pickClusterIP(cidr: Cidr, used: Set<string>, random: () => number): string | undefined {
  const usable = cidr.size - 2; // network and broadcast addresses
  const offset = Math.floor(random() * usable);
  for (let i = 0; i < usable; i++) {
    const ip = ipToString(cidr.base + 1 + ((offset + i) % usable));
    if (!used.has(ip)) return ip;
  }
  return undefined;
}

export function validateRequestedIP(cidr: Cidr, ip: string): FieldError | undefined {
  const n = ipToNumber(ip);
  if (n === undefined) return fieldErr.invalid('spec.clusterIPs', [ip], 'must be a valid IP address');
  if (n <= cidr.base || n >= cidr.base + cidr.size - 1) {
    return fieldErr.invalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${cidr.text}`);
  }
  return undefined;
}

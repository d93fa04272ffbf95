/** IPv4 CIDR arithmetic for VPC/vSwitch validation and private IP allocation. */

export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
  text: string;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Parses `a.b.c.d/n`; undefined when malformed or when host bits are set (Alibaba rejects those). */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const base = parseIpv4(m[1] as string);
  const prefix = Number(m[2]);
  if (base === undefined || prefix > 32) return undefined;
  if (base % size({ base, prefix, text }) !== 0) return undefined;
  return { base, prefix, text };
}

export function size(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return (
    inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer)
  );
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}

export function containsIp(cidr: Cidr, ip: number): boolean {
  return ip >= cidr.base && ip < cidr.base + size(cidr);
}

/**
 * Host addresses an instance may get: Alibaba reserves the first and the last three addresses of every
 * vSwitch CIDR block.
 */
export function usableHosts(cidr: Cidr): { first: number; last: number } {
  return { first: cidr.base + 1, last: cidr.base + size(cidr) - 4 };
}

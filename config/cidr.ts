/** IPv4 CIDR arithmetic for validating the network plan before anything is created. */
export interface Ipv4Cidr {
  readonly text: string;
  /** First address as an unsigned 32-bit integer. */
  readonly start: number;
  /** Last address, inclusive. */
  readonly end: number;
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "a.b.c.d/n"; returns a reason string instead when the text is not a usable network CIDR. */
export function parseCidr(text: string): Ipv4Cidr | string {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return `"${text}" is not an IPv4 CIDR block like 192.168.0.0/16`;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255)) return `"${text}" has an octet above 255`;
  if (prefixLength > 32) return `"${text}" has a prefix length above 32`;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const size = 2 ** (32 - prefixLength);
  const start = address - (address % size);
  if (start !== address) {
    return `"${text}" has host bits set; the network address is ${formatAddress(start)}/${prefixLength}`;
  }
  return { text, start, end: start + size - 1, prefixLength };
}

export function formatAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** RFC 1918 ranges: the VPC CIDR blocks Alibaba Cloud accepts without special enablement. */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((t) => parseCidr(t) as Ipv4Cidr);

/**
 * Dedicated API Gateway instances reach backends and CEN from addresses in 100.64.0.0/10 (the runbook's
 * example egress is 100.104.255.128/26), so a user VPC overlapping it would make routes ambiguous.
 */
export const GATEWAY_EGRESS_RANGE = parseCidr('100.64.0.0/10') as Ipv4Cidr;

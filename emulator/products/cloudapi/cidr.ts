/** IPv4 CIDR arithmetic for security-group matching. */

export interface Cidr {
  base: number;
  prefix: number;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

/** `a.b.c.d/n`, or a bare address as a /32. */
export function parseCidr(text: string): Cidr | undefined {
  const [ip, prefixText] = text.split('/');
  const base = ip === undefined ? undefined : parseIpv4(ip);
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  return { base: base - (base % 2 ** (32 - prefix)), prefix };
}

/** True when every address of `inner` is inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (inner.prefix < outer.prefix) return false;
  const size = 2 ** (32 - outer.prefix);
  return inner.base - (inner.base % size) === outer.base;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

import { ApiError } from './contract';

/** RFC 3986 percent-encoding as Alibaba's signers use it: `!'()*` escaped, `~` literal, space `%20`. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** A business parameter's value; empty counts as absent, as Alibaba's gateways treat it. */
export function presentParam(params: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = params[name];
  return value === undefined || value === '' ? undefined : value;
}

function decodeComponent(raw: string, where: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new ApiError(400, 'InvalidParameter', `Malformed percent-encoding in the ${where}: "${raw.slice(0, 80)}".`);
  }
}

/**
 * Parses `a=1&b=2` (query string or form body). A key present twice is rejected: signatures cover
 * one value per key, so a duplicate means the client and the server could disagree on what was signed.
 */
export function parsePairs(raw: string, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === '') return out;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq), where);
    const value = eq < 0 ? '' : decodeComponent(part.slice(eq + 1), where);
    if (Object.prototype.hasOwnProperty.call(out, key)) {
      throw new ApiError(
        400,
        'InvalidParameter',
        `Parameter "${key}" appears more than once in the ${where}; send it once.`,
      );
    }
    out[key] = value;
  }
  return out;
}

/** Merges query and body parameters; a key in both is rejected for the same reason as a duplicate. */
export function mergeParams(query: Record<string, string>, body: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...query };
  for (const [key, value] of Object.entries(body)) {
    if (Object.prototype.hasOwnProperty.call(out, key)) {
      throw new ApiError(
        400,
        'InvalidParameter',
        `Parameter "${key}" is sent both in the query and in the body; send it once.`,
      );
    }
    out[key] = value;
  }
  return out;
}

/** Byte-order sort, as the signers do (`Array.prototype.sort` on strings compares UTF-16 units). */
export function sortedKeys(record: Record<string, string>): string[] {
  return Object.keys(record).sort();
}

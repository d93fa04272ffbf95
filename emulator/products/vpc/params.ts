import type { RpcRequest } from '../../core/contract';
import { presentParam } from '../../core/encoding';
import { badRequest, invalidParameter, missingParameter } from './errors';

export interface Page {
  pageNumber: number;
  pageSize: number;
}

export interface Tag {
  key: string;
  value: string;
}

/**
 * Typed access to an RPC call's flat string parameters (`Permissions.1.IpProtocol`, `AccessRegionIds.2`,
 * JSON-array strings), so each handler states what it needs and every product rejects bad input the same way.
 */
export class RpcParams {
  constructor(private readonly raw: Record<string, string>) {}

  static of(req: RpcRequest): RpcParams {
    return new RpcParams(req.params);
  }

  /** An empty string counts as absent. */
  optional(name: string): string | undefined {
    return presentParam(this.raw, name);
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw missingParameter(name);
    return value;
  }

  integer(name: string, opts: { min?: number; max?: number; fallback: number }): number;
  integer(name: string, opts: { min?: number; max?: number; fallback?: undefined }): number | undefined;
  integer(name: string, opts: { min?: number; max?: number; fallback?: number }): number | undefined {
    const text = this.optional(name);
    if (text === undefined) return opts.fallback;
    if (!/^-?\d+$/.test(text)) throw invalidParameter(name, `"${text}" is not an integer.`);
    const value = Number(text);
    if (opts.min !== undefined && value < opts.min) {
      throw invalidParameter(name, `${value} is below the minimum ${opts.min}.`);
    }
    if (opts.max !== undefined && value > opts.max) {
      throw invalidParameter(name, `${value} is above the maximum ${opts.max}.`);
    }
    return value;
  }

  requiredInteger(name: string, opts: { min?: number; max?: number } = {}): number {
    this.required(name);
    return this.integer(name, opts) as number;
  }

  boolean(name: string, fallback: boolean): boolean {
    const text = this.optional(name);
    if (text === undefined) return fallback;
    if (/^true$/i.test(text)) return true;
    if (/^false$/i.test(text)) return false;
    throw invalidParameter(name, `"${text}" is not a boolean; use true or false.`);
  }

  /** One of a fixed set of values, compared case-insensitively; returns the canonical spelling. */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const text = this.optional(name);
    if (text === undefined) return fallback;
    const match = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
    if (match === undefined) throw invalidParameter(name, `"${text}" is not one of ${allowed.join(', ')}.`);
    return match;
  }

  /** `Prefix.1`, `Prefix.2`, ... in index order. */
  indexed(prefix: string): string[] {
    return this.indexedKeys(prefix, /^(\d+)$/).map(([, key]) => this.raw[key] as string);
  }

  /** `Prefix.N.Field` entries grouped by N, in index order. */
  indexedRecords(prefix: string): Record<string, string>[] {
    const groups = new Map<number, Record<string, string>>();
    for (const key of Object.keys(this.raw)) {
      const m = key.startsWith(`${prefix}.`) ? /^(\d+)\.(.+)$/.exec(key.slice(prefix.length + 1)) : null;
      if (!m) continue;
      const index = Number(m[1]);
      const group = groups.get(index) ?? {};
      group[m[2] as string] = this.raw[key] as string;
      groups.set(index, group);
    }
    return [...groups.entries()].sort(([a], [b]) => a - b).map(([, g]) => g);
  }

  /** A parameter carrying a JSON array of strings, e.g. ECS `InstanceIds='["i-1","i-2"]'`. */
  jsonStringArray(name: string): string[] | undefined {
    const text = this.optional(name);
    if (text === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidParameter(name, `expected a JSON array of strings such as ["id-1","id-2"], got ${text}.`);
    }
    if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) {
      throw invalidParameter(name, `expected a JSON array of strings such as ["id-1","id-2"], got ${text}.`);
    }
    return parsed as string[];
  }

  /** A comma-separated list, e.g. VPC `VpcId='vpc-1,vpc-2'`. */
  commaList(name: string): string[] | undefined {
    const text = this.optional(name);
    if (text === undefined) return undefined;
    return text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }

  /** `Tag.N.Key` / `Tag.N.Value`. */
  tags(): Tag[] {
    return this.indexedRecords('Tag').map((t, i) => {
      if (!t.Key) throw invalidParameter(`Tag.${i + 1}.Key`, 'a tag needs a non-empty Key.');
      return { key: t.Key, value: t.Value ?? '' };
    });
  }

  /**
   * `DryRun=true`: the request was valid, so answer DryRunOperation instead of acting. Call it after
   * validation and before any change.
   */
  checkDryRun(): void {
    if (this.boolean('DryRun', false)) {
      throw badRequest('DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    }
  }

  /**
   * A resource name under Alibaba's shared rule: `min`–128 characters, not starting with http:// or
   * https:// (ECS also wants a leading letter). `code` is the product's `*.Malformed` code.
   */
  name(param: string, code: string, opts: { min?: number; leadingLetter?: boolean } = {}): string | undefined {
    const name = this.optional(param);
    if (name === undefined) return undefined;
    const min = opts.min ?? 1;
    const ok =
      name.length >= min &&
      name.length <= 128 &&
      !/^https?:\/\//i.test(name) &&
      (!opts.leadingLetter || /^\p{L}/u.test(name));
    if (!ok) {
      const letter = opts.leadingLetter ? ', start with a letter' : '';
      throw badRequest(
        code,
        `${param} "${name}" must be ${min}-128 characters${letter} and must not start with http:// or https://.`,
      );
    }
    return name;
  }

  /** `Description`: at most 256 characters, not starting with http:// or https://. */
  description(code = 'InvalidDescription.Malformed'): string | undefined {
    const text = this.optional('Description');
    if (text !== undefined && (text.length > 256 || /^https?:\/\//i.test(text))) {
      throw badRequest(code, 'Description must be at most 256 characters and must not start with http:// or https://.');
    }
    return text;
  }

  page(maxPageSize: number, defaultPageSize = 10): Page {
    return {
      pageNumber: this.integer('PageNumber', { min: 1, fallback: 1 }),
      pageSize: this.integer('PageSize', { min: 1, max: maxPageSize, fallback: defaultPageSize }),
    };
  }

  private indexedKeys(prefix: string, tail: RegExp): [number, string][] {
    const found: [number, string][] = [];
    for (const key of Object.keys(this.raw)) {
      if (!key.startsWith(`${prefix}.`)) continue;
      const m = tail.exec(key.slice(prefix.length + 1));
      if (m && this.raw[key] !== '') found.push([Number(m[1]), key]);
    }
    return found.sort(([a], [b]) => a - b);
  }
}

/** One page of `items` plus the TotalCount/PageNumber/PageSize fields every Describe* returns. */
export function paginate<T>(
  items: T[],
  page: Page,
): { items: T[]; TotalCount: number; PageNumber: number; PageSize: number } {
  const start = (page.pageNumber - 1) * page.pageSize;
  return {
    items: items.slice(start, start + page.pageSize),
    TotalCount: items.length,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
  };
}

/** True when every requested tag is on the resource (Describe* filters by all given tags). */
export function hasTags(resourceTags: unknown, wanted: Tag[]): boolean {
  const tags = Array.isArray(resourceTags) ? (resourceTags as Tag[]) : [];
  return wanted.every((w) => tags.some((t) => t.key === w.key && (w.value === '' || t.value === w.value)));
}

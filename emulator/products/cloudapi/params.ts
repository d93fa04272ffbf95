import { presentParam } from '../../core/encoding';
import { invalidFormat, invalidParameter, missingParameter } from './errors';

/** Typed readers over RPC's flat string parameters, raising CloudAPI's documented validation codes. */
export class Params {
  constructor(private readonly raw: Record<string, string>) {}

  optional(name: string): string | undefined {
    return presentParam(this.raw, name);
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw missingParameter(name);
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
    const value = fallback === undefined ? this.required(name) : (this.optional(name) ?? fallback);
    if (!(allowed as readonly string[]).includes(value)) {
      throw invalidParameter(name, `'${value}' is not one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  bool(name: string): boolean | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw invalidParameter(name, `'${value}' is not a boolean (true or false)`);
  }

  requiredBool(name: string): boolean {
    const value = this.bool(name);
    if (value === undefined) throw missingParameter(name);
    return value;
  }

  int(name: string, min: number, max: number): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw invalidParameter(name, `'${value}' is not an integer in ${min}..${max}`);
    }
    return parsed;
  }

  requiredInt(name: string, min: number, max: number): number {
    const value = this.int(name, min, max);
    if (value === undefined) throw missingParameter(name);
    return value;
  }

  /** A parameter that carries a JSON object as a string (CreateApi's RequestConfig, ServiceConfig...). */
  jsonObject(name: string): Record<string, unknown> {
    const text = this.required(name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw invalidFormat(name, `not valid JSON (${(error as Error).message})`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw invalidFormat(name, 'expected a JSON object');
    }
    return parsed as Record<string, unknown>;
  }

  page(maxPageSize: number): { pageNumber: number; pageSize: number } {
    return {
      pageNumber: this.int('PageNumber', 1, 1_000_000) ?? 1,
      pageSize: this.int('PageSize', 1, maxPageSize) ?? 10,
    };
  }
}

export function paginate<T>(items: T[], page: { pageNumber: number; pageSize: number }): T[] {
  const start = (page.pageNumber - 1) * page.pageSize;
  return items.slice(start, start + page.pageSize);
}

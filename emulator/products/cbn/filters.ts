import { invalidParameter, missingParameter } from '../vpc/errors';
import type { RpcParams } from '../vpc/params';

/** `Filter.N.Key` with `Filter.N.Value.M` values, as DescribeCens/DescribeCenBandwidthPackages take them. */
export function filters(p: RpcParams, allowed: readonly string[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  p.indexedRecords('Filter').forEach((f, i) => {
    const key = f.Key;
    if (!key) throw missingParameter(`Filter.${i + 1}.Key`);
    if (!allowed.includes(key))
      throw invalidParameter(`Filter.${i + 1}.Key`, `"${key}" is not one of ${allowed.join(', ')}.`);
    const values = Object.entries(f)
      .filter(([k]) => /^Value\.\d+$/.test(k))
      .sort(([a], [b]) => Number(a.slice(6)) - Number(b.slice(6)))
      .map(([, v]) => v);
    result.set(key, [...(result.get(key) ?? []), ...values]);
  });
  return result;
}

export function matches(filter: Map<string, string[]>, key: string, value: string | undefined): boolean {
  const wanted = filter.get(key);
  return !wanted || (value !== undefined && wanted.includes(value));
}

/**
 * Alibaba RPC responses wrap lists twice: `{ Vpcs: { Vpc: [...] } }`. `items(response.Vpcs)` returns the
 * inner array (empty when the wrapper or the list is absent, as with zero results).
 */
export function items<T>(wrapper: { readonly [key: string]: readonly T[] | undefined } | undefined): T[] {
  if (!wrapper) return [];
  for (const value of Object.values(wrapper)) if (Array.isArray(value)) return [...(value as T[])];
  return [];
}

/** A key/value tag as RPC APIs take it: `Tag.N.Key` / `Tag.N.Value`. */
export interface Tag {
  Key: string;
  Value?: string;
}

export interface PageRequest {
  PageNumber?: number;
  PageSize?: number;
}

export interface PageResponse {
  TotalCount?: number;
  PageNumber?: number;
  PageSize?: number;
}

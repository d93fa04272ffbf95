import { ApiError, type ProductName } from './contract';

export interface IdempotencyEntry {
  key: string;
  response: Record<string, unknown>;
  /** The parameters of the first call, canonicalised; absent when unknown. */
  fingerprint?: string;
}

function mismatch(): ApiError {
  return new ApiError(
    400,
    'IdempotentParameterMismatch',
    'The request uses the same client token as a previous, but non-identical request. Do not reuse a client token with different requests, unless the requests are identical.',
  );
}

/**
 * ClientToken/Token cache: the first successful response per (product, action, token) is replayed
 * for later calls. Concurrent calls with the same token wait for the first one, so a retry racing
 * the original never creates a second resource. Failures are not cached (a retry may succeed).
 */
export class IdempotencyCache {
  private readonly done = new Map<string, { response: Record<string, unknown>; fingerprint?: string }>();
  private readonly running = new Map<string, { promise: Promise<Record<string, unknown>>; fingerprint?: string }>();

  constructor(private readonly onChange: () => void = () => {}) {}

  /**
   * `fingerprint` identifies the call's parameters: a token reused with different parameters is
   * refused with IdempotentParameterMismatch, as Alibaba does.
   */
  async run<T extends Record<string, unknown>>(
    scope: { product: ProductName; action: string; token: string | undefined },
    create: () => T | Promise<T>,
    fingerprint?: string,
  ): Promise<T> {
    if (scope.token === undefined || scope.token === '') return create();
    const key = `${scope.product}\u0000${scope.action}\u0000${scope.token}`;
    const sameCall = (other: string | undefined) =>
      other === undefined || fingerprint === undefined || other === fingerprint;
    const cached = this.done.get(key);
    if (cached) {
      if (!sameCall(cached.fingerprint)) throw mismatch();
      return structuredClone(cached.response) as T;
    }
    const inFlight = this.running.get(key);
    if (inFlight) {
      if (!sameCall(inFlight.fingerprint)) throw mismatch();
      return structuredClone(await inFlight.promise) as T;
    }
    const promise = (async () => create())();
    this.running.set(key, { promise, fingerprint });
    try {
      const response = await promise;
      this.done.set(key, { response: structuredClone(response), fingerprint });
      this.onChange();
      return response;
    } finally {
      this.running.delete(key);
    }
  }

  clear(): void {
    this.done.clear();
    this.onChange();
  }

  snapshot(): IdempotencyEntry[] {
    return [...this.done].map(([key, entry]) => ({
      key,
      response: structuredClone(entry.response),
      ...(entry.fingerprint !== undefined ? { fingerprint: entry.fingerprint } : {}),
    }));
  }

  restore(entries: IdempotencyEntry[]): void {
    this.done.clear();
    for (const entry of entries) {
      this.done.set(entry.key, { response: structuredClone(entry.response), fingerprint: entry.fingerprint });
    }
  }
}

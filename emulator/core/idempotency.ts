import type { ProductName } from './contract';

export interface IdempotencyEntry {
  key: string;
  response: Record<string, unknown>;
}

/**
 * ClientToken/Token cache: the first successful response per (product, action, token) is replayed
 * for later calls. Concurrent calls with the same token wait for the first one, so a retry racing
 * the original never creates a second resource. Failures are not cached (a retry may succeed).
 */
export class IdempotencyCache {
  private readonly done = new Map<string, Record<string, unknown>>();
  private readonly running = new Map<string, Promise<Record<string, unknown>>>();

  constructor(private readonly onChange: () => void = () => {}) {}

  async run<T extends Record<string, unknown>>(
    scope: { product: ProductName; action: string; token: string | undefined },
    create: () => T | Promise<T>,
  ): Promise<T> {
    if (scope.token === undefined || scope.token === '') return create();
    const key = `${scope.product}\u0000${scope.action}\u0000${scope.token}`;
    const cached = this.done.get(key);
    if (cached) return structuredClone(cached) as T;
    const inFlight = this.running.get(key);
    if (inFlight) return structuredClone(await inFlight) as T;
    const promise = (async () => create())();
    this.running.set(key, promise);
    try {
      const response = await promise;
      this.done.set(key, structuredClone(response));
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
    return [...this.done].map(([key, response]) => ({ key, response: structuredClone(response) }));
  }

  restore(entries: IdempotencyEntry[]): void {
    this.done.clear();
    for (const entry of entries) this.done.set(entry.key, structuredClone(entry.response));
  }
}

import { ApiError, type NewResource, type ResourceRecord, type ResourceStore, type TimingKey } from './contract';

/** A scheduled status change at an absolute emulator time; `status: null` removes the resource. */
export interface PendingStep {
  status: string | null;
  at: number;
}

export interface StoredResource {
  record: ResourceRecord;
  pending: PendingStep[];
}

function keyOf(type: string, id: string): string {
  return `${type}\u0000${id}`;
}

function copy(record: ResourceRecord): ResourceRecord {
  return structuredClone(record);
}

/**
 * In-memory resource state. Transitions are stored as absolute emulator times and applied lazily
 * whenever a resource is read, so there are no timers to clean up and a persisted snapshot keeps
 * its pending transitions. Callers always get copies: only store methods change state (and trigger
 * persistence).
 */
export class MemoryResourceStore implements ResourceStore {
  private readonly entries = new Map<string, StoredResource>();

  constructor(
    private readonly now: () => number,
    private readonly timing: (key: TimingKey) => number,
    private readonly onChange: () => void = () => {},
  ) {}

  insert(resource: NewResource): ResourceRecord {
    const key = keyOf(resource.type, resource.id);
    if (this.live(key)) {
      throw new Error(`Resource ${resource.type} ${resource.id} already exists (product bug: check before insert)`);
    }
    const record: ResourceRecord = {
      product: resource.product,
      type: resource.type,
      id: resource.id,
      region: resource.region,
      ...(resource.name !== undefined ? { name: resource.name } : {}),
      status: resource.status,
      createdAt: new Date(this.now()).toISOString(),
      attrs: structuredClone(resource.attrs ?? {}),
    };
    this.entries.set(key, { record, pending: [] });
    this.onChange();
    return copy(record);
  }

  get(type: string, id: string): ResourceRecord | undefined {
    const entry = this.live(keyOf(type, id));
    return entry ? copy(entry.record) : undefined;
  }

  require(type: string, id: string, notFoundCode: string, httpStatus = 404): ResourceRecord {
    const found = this.get(type, id);
    if (!found) throw new ApiError(httpStatus, notFoundCode, `The specified ${type} "${id}" does not exist.`);
    return found;
  }

  list(type: string, filter?: (r: ResourceRecord) => boolean): ResourceRecord[] {
    return this.collect(type).filter((r) => !filter || filter(r));
  }

  all(): ResourceRecord[] {
    return this.collect(undefined);
  }

  /** Live copies, only of the wanted type (records can be large, e.g. FC code). */
  private collect(type: string | undefined): ResourceRecord[] {
    const out: ResourceRecord[] = [];
    for (const [key, entry] of [...this.entries]) {
      if (type !== undefined && entry.record.type !== type) continue;
      const live = this.live(key);
      if (live) out.push(copy(live.record));
    }
    return out;
  }

  update(
    type: string,
    id: string,
    patch: { name?: string; status?: string; attrs?: Record<string, unknown> },
  ): ResourceRecord {
    const entry = this.live(keyOf(type, id));
    if (!entry) throw new Error(`Cannot update ${type} ${id}: it does not exist (product bug: require() it first)`);
    if (patch.name !== undefined) entry.record.name = patch.name;
    if (patch.status !== undefined) {
      entry.record.status = patch.status;
      // An explicit status supersedes whatever transition was pending.
      entry.pending = [];
    }
    if (patch.attrs) entry.record.attrs = { ...entry.record.attrs, ...structuredClone(patch.attrs) };
    this.onChange();
    return copy(entry.record);
  }

  schedule(type: string, id: string, steps: { status: string | null; after: TimingKey }[]): void {
    const entry = this.live(keyOf(type, id));
    if (!entry) throw new Error(`Cannot schedule ${type} ${id}: it does not exist`);
    let at = this.now();
    entry.pending = steps.map((step) => {
      at += this.timing(step.after);
      return { status: step.status, at };
    });
    this.onChange();
  }

  remove(type: string, id: string): void {
    this.entries.delete(keyOf(type, id));
    this.onChange();
  }

  clear(): void {
    this.entries.clear();
    this.onChange();
  }

  /** Everything needed to rebuild the store, pending transitions included. */
  snapshot(): StoredResource[] {
    return [...this.entries.values()].map((entry) => structuredClone(entry));
  }

  restore(resources: StoredResource[]): void {
    this.entries.clear();
    for (const entry of resources) this.entries.set(keyOf(entry.record.type, entry.record.id), structuredClone(entry));
  }

  /** The entry with due transitions applied, or undefined if absent or removed by a transition. */
  private live(key: string): StoredResource | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    while (entry.pending.length > 0 && entry.pending[0].at <= now) {
      const step = entry.pending.shift()!;
      if (step.status === null) {
        this.entries.delete(key);
        return undefined;
      }
      entry.record.status = step.status;
    }
    return entry;
  }
}

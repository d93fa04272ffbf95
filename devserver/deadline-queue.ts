// Keyed deadlines ordered by time. The engine re-schedules an execution's next deadline on every
// change it commits, so with many running workflows a scan of all deadlines per change (what a plain
// Map needs) grows with the square of the load; a binary heap keeps it logarithmic. Replaced and
// cancelled entries stay in the heap and are skipped when they reach the top.

interface Entry {
  at: number;
  key: string;
  /** Insertion order: deadlines due at the same time run in the order they were scheduled. */
  seq: number;
  fn: () => void;
}

export interface DueDeadline {
  readonly key: string;
  readonly fn: () => void;
}

export class DeadlineQueue {
  private readonly live = new Map<string, Entry>();
  private heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.live.size;
  }

  /** Runs `fn` at `at`; replaces any deadline with the same key. */
  set(key: string, at: number, fn: () => void): void {
    const current = this.live.get(key);
    if (current && current.at === at) {
      current.fn = fn; // same place in the order: no new heap entry
      return;
    }
    const entry: Entry = { at, key, seq: this.seq++, fn };
    this.live.set(key, entry);
    this.push(entry);
    // Stale entries of far-future deadlines would otherwise only leave once their time came.
    if (this.heap.length > 2 * this.live.size + 1024) this.rebuild();
  }

  delete(key: string): boolean {
    return this.live.delete(key);
  }

  clear(): void {
    this.live.clear();
    this.heap = [];
  }

  /** Time of the earliest deadline, if any. */
  earliest(): number | undefined {
    this.dropStale();
    return this.heap[0]?.at;
  }

  /**
   * The deadlines due at or before `now`, earliest first, taken out of the time order. Each is still
   * scheduled until `claim` says so: a handler run for an earlier one may replace or cancel it.
   */
  takeDue(now: number): DueDeadline[] {
    const due: DueDeadline[] = [];
    for (this.dropStale(); this.heap.length > 0 && this.heap[0].at <= now; this.dropStale()) {
      due.push(this.heap[0]);
      this.pop();
    }
    return due;
  }

  /** True (and unschedules it) when `d` is still the deadline for its key, so it should run now. */
  claim(d: DueDeadline): boolean {
    if (this.live.get(d.key) !== d) return false;
    this.live.delete(d.key);
    return true;
  }

  private dropStale(): void {
    while (this.heap.length > 0 && this.live.get(this.heap[0].key) !== this.heap[0]) this.pop();
  }

  private rebuild(): void {
    this.heap = [];
    for (const entry of [...this.live.values()].sort(before)) this.heap.push(entry); // sorted is a heap
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (before(h[parent], h[i]) <= 0) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < h.length && before(h[l], h[min]) < 0) min = l;
      if (r < h.length && before(h[r], h[min]) < 0) min = r;
      if (min === i) return;
      [h[min], h[i]] = [h[i], h[min]];
      i = min;
    }
  }
}

function before(a: Entry, b: Entry): number {
  return a.at - b.at || a.seq - b.seq;
}

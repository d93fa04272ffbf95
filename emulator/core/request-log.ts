/** One handled request. Holds no parameters, headers, signatures or secrets — only what identifies the call. */
export interface RequestLogEntry {
  time: string;
  requestId: string;
  method: string;
  /** Path without the query string (queries carry AccessKeyId and Signature). */
  path: string;
  product?: string;
  action?: string;
  region?: string;
  status: number;
  code?: string;
  durationMs: number;
  faults?: string[];
  /** The response was deliberately never sent (dropResponse fault). */
  dropped?: boolean;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly capacity = 2000) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(filter: { product?: string; action?: string; limit?: number } = {}): RequestLogEntry[] {
    const matching = this.entries.filter(
      (e) => (!filter.product || e.product === filter.product) && (!filter.action || e.action === filter.action),
    );
    return filter.limit ? matching.slice(-filter.limit) : matching;
  }

  clear(): void {
    this.entries = [];
  }
}

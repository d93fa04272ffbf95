// One workflow run: its journaled state, its history and the in-memory waiters (long polls on its
// history, queries and updates in flight) that are woken when it changes.
import { type Msg, tsFromMs, encodedEvent } from '../proto';
import type { ServiceError } from '../grpc/status';
import { type ExecState, eventAttributes, isClosed } from './model';
import type { CancelSignal } from '../grpc/unary-server';

export interface PendingQuery {
  id: number;
  query: Msg;
  /** `error` is what the workflow answered (INVALID_ARGUMENT); `abort` is why no answer came. */
  resolve: (result: { answer?: Msg; error?: string; abort?: ServiceError }) => void;
  /** Set once a worker took it, so it is not dispatched twice. */
  dispatched: boolean;
  /** Taken on a workflow task (answered with its completion), not as a query task of its own. */
  inWorkflowTask: boolean;
  /** Puts a query task nobody answered back on the queue (the SDK may drop it while evicting the run). */
  redeliveryTimer?: NodeJS.Timeout;
  /** Handed out again: an earlier copy may still answer after the first answer won. */
  redelivered: boolean;
}

export class Execution {
  /** Events written since the last journal record. */
  unjournaled: Msg[] = [];
  readonly queries = new Map<number, PendingQuery>();
  private readonly changeWaiters = new Set<() => void>();

  constructor(
    public state: ExecState,
    /** Undefined once evicted from memory (closed runs); reloaded from the journal on demand. */
    public history: Msg[] | undefined,
  ) {}

  get key(): string {
    return executionKey(this.state.namespace, this.state.workflowId, this.state.runId);
  }

  get closed(): boolean {
    return isClosed(this.state);
  }

  get wftInFlight(): boolean {
    return this.state.wft?.startedEventId !== undefined;
  }

  /** Appends an event with the next id; `time` defaults to now. Returns its id. */
  write(ev: Msg, now: number, time?: number): number {
    if (!this.history) throw new Error(`history of ${this.key} is not loaded`);
    const eventId = this.state.nextEventId++;
    // Buffered events carry their own time ($time) and may point at the Started event written just
    // before them ($linkStarted), whose id is only known now.
    const { $linkStarted, $time, ...rest } = ev;
    if ($linkStarted) eventAttributes(rest).startedEventId = eventId - 1;
    const full: Msg = { eventId, eventTime: tsFromMs(($time as number | undefined) ?? time ?? now), ...rest };
    this.history.push(full);
    this.unjournaled.push(full);
    this.state.historySizeBytes += encodedEvent(full).length;
    return eventId;
  }

  /** Waits until the execution changes (new event, close) or the signal aborts / timeout passes. */
  waitForChange(signal: CancelSignal, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.changeWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done);
      this.changeWaiters.add(done);
    });
  }

  notifyChange(): void {
    for (const w of [...this.changeWaiters]) w();
  }
}

export function executionKey(namespace: string, workflowId: string, runId: string): string {
  return `${namespace}\u0000${workflowId}\u0000${runId}`;
}

// Task queues: tasks wait for pollers, pollers wait (long poll) for tasks. Nothing spins: a poll is a
// pending promise resolved by the next task added to its queue, or empty after the poll timeout.
import type { CancelSignal } from '../grpc/unary-server';

/**
 * How long a long poll may wait: its own limit, but never past the client's deadline less a second,
 * so the client gets an empty answer (and polls again) instead of DEADLINE_EXCEEDED, as real
 * Temporal's frontend does ("long poll tail room").
 */
export function longPollUntil(signal: CancelSignal, maxWaitMs: number): number {
  const own = Date.now() + maxWaitMs;
  return signal.deadline === undefined ? own : Math.min(own, signal.deadline - LONG_POLL_TAIL_ROOM_MS);
}

const LONG_POLL_TAIL_ROOM_MS = 1_000;

export interface PollerInfo {
  identity: string;
  lastAccessTime: number;
}

interface Waiter<T> {
  resolve: (task: T | undefined) => void;
  timer: NodeJS.Timeout;
  /** Claim a task; returns false when the task is stale and must be skipped. */
}

export class TaskQueue<T> {
  private readonly tasks: T[] = [];
  private readonly waiters: Waiter<T>[] = [];
  readonly pollers = new Map<string, PollerInfo>();

  constructor(readonly name: string) {}

  get backlog(): number {
    return this.tasks.length;
  }

  add(task: T): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(task);
    } else {
      this.tasks.push(task);
    }
  }

  /** Drops queued tasks the predicate rejects (work that was cancelled or completed meanwhile). */
  prune(keep: (task: T) => boolean): void {
    for (let i = this.tasks.length - 1; i >= 0; i--) if (!keep(this.tasks[i])) this.tasks.splice(i, 1);
  }

  /** Waits for a task up to `timeoutMs`; undefined means the poll ended empty (timeout or abort). */
  poll(identity: string, timeoutMs: number, signal: CancelSignal, now: number): Promise<T | undefined> {
    this.pollers.set(identity, { identity, lastAccessTime: now });
    const task = this.tasks.shift();
    if (task !== undefined) return Promise.resolve(task);
    return new Promise((resolve) => {
      const waiter: Waiter<T> = {
        resolve: (t) => {
          signal.removeEventListener('abort', onAbort);
          resolve(t);
        },
        timer: setTimeout(() => this.removeWaiter(waiter, undefined), timeoutMs),
      };
      const onAbort = () => this.removeWaiter(waiter, undefined);
      signal.addEventListener('abort', onAbort);
      this.waiters.push(waiter);
    });
  }

  /** Ends every outstanding poll empty (server shutdown). */
  drain(): void {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve(undefined);
    }
  }

  private removeWaiter(waiter: Waiter<T>, value: T | undefined): void {
    const i = this.waiters.indexOf(waiter);
    if (i >= 0) this.waiters.splice(i, 1);
    clearTimeout(waiter.timer);
    waiter.resolve(value);
  }
}

/** All task queues of one kind (workflow or activity), per namespace, created on first use. */
export class TaskQueues<T> {
  private readonly queues = new Map<string, TaskQueue<T>>();

  get(namespace: string, name: string): TaskQueue<T> {
    const key = `${namespace}\u0000${name}`;
    let q = this.queues.get(key);
    if (!q) {
      q = new TaskQueue<T>(name);
      this.queues.set(key, q);
    }
    return q;
  }

  find(namespace: string, name: string): TaskQueue<T> | undefined {
    return this.queues.get(`${namespace}\u0000${name}`);
  }

  drainAll(): void {
    for (const q of this.queues.values()) q.drain();
  }
}

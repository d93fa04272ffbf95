// The server's notion of time and its single deadline queue. Every timeout, timer and retry backoff
// the engine needs goes through `schedule`, so a time-skipping clock can see what comes next and jump
// to it instead of waiting (the Java test server's semantics that the SDK's
// TestWorkflowEnvironment.createTimeSkipping() expects).
import { DeadlineQueue } from './deadline-queue';

export interface WorkState {
  /** True when no workflow task is scheduled or running. */
  workflowTasksIdle(): boolean;
  /** True when no activity task is scheduled or running either. */
  activitiesIdle(): boolean;
}

export interface DevClockOptions {
  /** Let virtual time jump to the next deadline when nothing is running (default false: real time). */
  timeSkipping?: boolean;
  /** Virtual start time in epoch ms (default: now). */
  startTime?: number;
}

interface Sleeper {
  target: number;
  resolve: () => void;
}

export class DevClock {
  readonly timeSkipping: boolean;
  private offset: number;
  private lockCount: number;
  private readonly deadlines = new DeadlineQueue();
  /** When the real timer is set to fire (virtual epoch ms), to leave it alone when that stays right. */
  private armedAt: number | undefined;
  private readonly sleepers = new Set<Sleeper>();
  private realTimer: NodeJS.Timeout | undefined;
  private skipPending = false;
  private work: WorkState = { workflowTasksIdle: () => true, activitiesIdle: () => true };
  private closed = false;
  /** Where errors thrown by deadline handlers go (the server sets its logger). */
  onError: (err: unknown, key: string) => void = (err, key) =>
    process.stderr.write(`[devserver] deadline ${key} failed: ${err instanceof Error ? err.stack : String(err)}\n`);

  constructor(opts: DevClockOptions = {}) {
    this.timeSkipping = opts.timeSkipping ?? false;
    this.offset = opts.startTime === undefined ? 0 : opts.startTime - Date.now();
    // Like the Java test server, time skipping starts locked; clients unlock it while they wait.
    this.lockCount = this.timeSkipping ? 1 : 0;
  }

  now(): number {
    return Date.now() + this.offset;
  }

  /** Moves virtual time forward to `epochMs` (never back); a restarted time-skipping server uses it. */
  advanceTo(epochMs: number): void {
    const now = this.now();
    if (!this.timeSkipping || epochMs <= now) return;
    this.offset += epochMs - now;
    this.rearm();
  }

  /** The engine tells the clock how to see whether work is in progress. */
  attach(work: WorkState): void {
    this.work = work;
    this.poke();
  }

  /** Runs `fn` once virtual time reaches `at`; a later call with the same key replaces it. */
  schedule(key: string, at: number, fn: () => void): void {
    this.deadlines.set(key, at, fn);
    this.rearm();
  }

  cancel(key: string): void {
    if (this.deadlines.delete(key)) this.rearm();
  }

  isLocked(): boolean {
    return this.lockCount > 0;
  }

  lock(): void {
    this.lockCount++;
  }

  unlock(): void {
    if (this.lockCount === 0) throw new Error('time skipping is already unlocked (unlock called more often than lock)');
    this.lockCount--;
    this.poke();
  }

  /**
   * Resolves once virtual time has advanced by `ms`. With time skipping the clock jumps there, firing
   * the deadlines on the way in order and letting the workflow tasks they cause finish between them,
   * even while activities run (so an activity may call it to provoke its own timeout).
   */
  sleep(ms: number): Promise<void> {
    return this.sleepUntil(this.now() + Math.max(0, ms));
  }

  sleepUntil(target: number): Promise<void> {
    if (this.closed || this.now() >= target) return Promise.resolve();
    return new Promise((resolve) => {
      this.sleepers.add({ target, resolve });
      this.rearm();
    });
  }

  /** Something that affects skipping changed (work finished, lock released): re-evaluate soon. */
  poke(): void {
    if (!this.timeSkipping || this.skipPending || this.closed) return;
    this.skipPending = true;
    setImmediate(() => {
      this.skipPending = false;
      this.skipIfIdle();
    });
  }

  close(): void {
    this.closed = true;
    if (this.realTimer) clearTimeout(this.realTimer);
    this.deadlines.clear();
    for (const s of this.sleepers) s.resolve();
    this.sleepers.clear();
  }

  private earliest(): number | undefined {
    let min = this.deadlines.earliest();
    for (const s of this.sleepers) if (min === undefined || s.target < min) min = s.target;
    return min;
  }

  private rearm(): void {
    if (this.closed) return;
    const at = this.earliest();
    // Re-arming on every schedule would churn a timer per engine change; it only moves when the
    // earliest deadline does (a skipped-forward clock always re-arms: `offset` changed the delay).
    if (at !== this.armedAt || this.timeSkipping) {
      if (this.realTimer) clearTimeout(this.realTimer);
      this.realTimer = undefined;
      this.armedAt = at;
      if (at !== undefined) {
        // setTimeout caps at ~24.8 days; long deadlines simply re-arm when the cap elapses.
        const delay = Math.min(Math.max(0, at - this.now()), 2 ** 31 - 1);
        this.realTimer = setTimeout(() => {
          this.armedAt = undefined;
          this.fireDue();
        }, delay);
      }
    }
    this.poke();
  }

  private fireDue(): void {
    if (this.closed) return;
    const now = this.now();
    for (const s of [...this.sleepers]) {
      if (s.target <= now) {
        this.sleepers.delete(s);
        s.resolve();
      }
    }
    for (const d of this.deadlines.takeDue(now)) {
      if (!this.deadlines.claim(d)) continue; // replaced or cancelled by an earlier one
      try {
        d.fn();
      } catch (err) {
        // A failing deadline handler must not take the server (or the other deadlines) down.
        this.onError(err, d.key);
      }
    }
    this.rearm();
  }

  private skipIfIdle(): void {
    if (this.closed || !this.timeSkipping) return;
    const next = this.earliest();
    if (next === undefined || next <= this.now()) return;
    const unlocked = this.lockCount === 0 && this.work.workflowTasksIdle() && this.work.activitiesIdle();
    const sleeping = this.sleepers.size > 0 && this.work.workflowTasksIdle();
    if (!unlocked && !sleeping) return;
    if (!unlocked) {
      // An explicit sleep only jumps as far as the sleep's own target.
      const target = Math.min(...[...this.sleepers].map((s) => s.target));
      if (next > target) return;
    }
    this.offset += next - this.now();
    this.fireDue();
  }
}

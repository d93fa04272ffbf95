import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';

/**
 * What an activity records in its heartbeat so that the next attempt (after a worker crash or a heartbeat
 * timeout) resumes instead of starting over: ids of resources it already made, and when each wait began
 * (so a wait's deadline spans attempts).
 */
export interface HeartbeatState {
  [key: string]: unknown;
  waits?: Record<string, number>;
}

/** One state per activity attempt, so several waits in one activity add to the same heartbeat. */
const stateByAttempt = new WeakMap<Context, HeartbeatState>();

export class ActivityProgress<S extends HeartbeatState> {
  private readonly context = Context.current();

  private get state(): S {
    let state = stateByAttempt.get(this.context);
    if (!state) {
      const details = this.context.info.heartbeatDetails as unknown;
      state = details !== null && typeof details === 'object' ? { ...(details as HeartbeatState) } : {};
      stateByAttempt.set(this.context, state);
    }
    return state as S;
  }

  private set state(next: S) {
    stateByAttempt.set(this.context, next);
  }

  /** True when this attempt continues an earlier one that heartbeated. */
  get resumed(): boolean {
    const details = this.context.info.heartbeatDetails as unknown;
    return details !== null && typeof details === 'object' && Object.keys(details).length > 0;
  }

  get<K extends keyof S>(key: K): S[K] | undefined {
    return this.state[key];
  }

  /** Records facts for a later attempt and tells Temporal this attempt is alive. */
  save(patch: Partial<S>): void {
    this.state = { ...this.state, ...patch };
    this.context.heartbeat(this.state);
  }

  /** When the wait called `what` began, across attempts (set now on first call). */
  waitStartedAt(what: string): number {
    const waits = this.state.waits ?? {};
    const started = waits[what];
    if (started !== undefined) return started;
    const now = Date.now();
    this.save({ waits: { ...waits, [what]: now } } as Partial<S>);
    return now;
  }
}

export type PollResult<T> = { done: true; value: T } | { done: false; state: string };

export interface WaitOptions<T> {
  /** Human sentence for errors and logs, e.g. "VPC vpc-123 to become Available". Also the resume key. */
  what: string;
  step: string;
  check: () => Promise<PollResult<T>>;
  intervalMs: number;
  timeoutMs: number;
  progress: ActivityProgress<HeartbeatState>;
}

/**
 * Polls until `check` says done, heartbeating on every round. Sleeping through Context.sleep makes a
 * cancellation (delivered with a heartbeat response) end the wait at once with CancelledFailure.
 * A wait that outlives its timeout (counted from the first attempt) fails for good, naming the last state.
 */
export async function waitUntil<T>(options: WaitOptions<T>): Promise<T> {
  const context = Context.current();
  const startedAt = options.progress.waitStartedAt(options.what);
  let rounds = 0;
  for (;;) {
    const result = await options.check();
    if (result.done) return result.value;
    rounds += 1;
    if (Date.now() - startedAt > options.timeoutMs) {
      throw ApplicationFailure.nonRetryable(
        `${options.step}: gave up waiting for ${options.what} after ${Math.round(options.timeoutMs / 1000)} s ` +
          `(last state: ${result.state})`,
        'WaitTimedOut',
        { step: options.step, code: 'WaitTimedOut', lastState: result.state },
      );
    }
    options.progress.save({ lastState: `${options.what}: ${result.state}`, rounds });
    await context.sleep(options.intervalMs);
  }
}

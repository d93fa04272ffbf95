// Server-side retry decisions for activities, following Temporal's retry policy rules.
import { type Msg, durationFromMs, msFromDuration } from '../proto';
import { RetryState, TimeoutType } from './model';

const DEFAULT_INITIAL_MS = 1000;
const DEFAULT_COEFFICIENT = 2;

/** Fills the defaults real Temporal writes into ActivityTaskScheduled's retry policy. */
export function normalizeRetryPolicy(policy: Msg | undefined): Msg {
  const initialMs = msFromDuration(policy?.initialInterval) ?? DEFAULT_INITIAL_MS;
  return {
    initialInterval: durationFromMs(initialMs),
    backoffCoefficient: policy?.backoffCoefficient || DEFAULT_COEFFICIENT,
    maximumInterval: durationFromMs(msFromDuration(policy?.maximumInterval) ?? initialMs * 100),
    maximumAttempts: policy?.maximumAttempts ?? 0,
    nonRetryableErrorTypes: policy?.nonRetryableErrorTypes ?? [],
  };
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; retryState: number };

/**
 * Whether attempt `attempt` that ended with `failure` gets another attempt, and after what backoff.
 * `deadline` is the schedule-to-close deadline (epoch ms) if any: a retry that would start after it is
 * not made.
 */
export function decideRetry(policy: Msg, attempt: number, failure: Msg, now: number, deadline?: number): RetryDecision {
  const app = failure.applicationFailureInfo as Msg | undefined;
  const timeout = failure.timeoutFailureInfo as Msg | undefined;
  if (timeout && timeout.timeoutType !== TimeoutType.START_TO_CLOSE && timeout.timeoutType !== TimeoutType.HEARTBEAT) {
    return { retry: false, retryState: RetryState.TIMEOUT };
  }
  if (failure.canceledFailureInfo) return { retry: false, retryState: RetryState.CANCEL_REQUESTED };
  if (app?.nonRetryable) return { retry: false, retryState: RetryState.NON_RETRYABLE_FAILURE };
  const errorType = app?.type as string | undefined;
  if (errorType && (policy.nonRetryableErrorTypes as string[] | undefined)?.includes(errorType)) {
    return { retry: false, retryState: RetryState.NON_RETRYABLE_FAILURE };
  }
  const maxAttempts = Number(policy.maximumAttempts ?? 0);
  if (maxAttempts > 0 && attempt >= maxAttempts)
    return { retry: false, retryState: RetryState.MAXIMUM_ATTEMPTS_REACHED };
  const initial = msFromDuration(policy.initialInterval) ?? DEFAULT_INITIAL_MS;
  const coefficient = Number(policy.backoffCoefficient) || DEFAULT_COEFFICIENT;
  const maxInterval = msFromDuration(policy.maximumInterval) ?? initial * 100;
  let delayMs = Math.min(initial * Math.pow(coefficient, attempt - 1), maxInterval);
  const explicit = msFromDuration(app?.nextRetryDelay);
  if (explicit !== undefined) delayMs = explicit;
  if (deadline !== undefined && now + delayMs >= deadline) return { retry: false, retryState: RetryState.TIMEOUT };
  return { retry: true, delayMs };
}

const timeoutNames: Record<number, string> = {
  [TimeoutType.START_TO_CLOSE]: 'StartToClose',
  [TimeoutType.SCHEDULE_TO_START]: 'ScheduleToStart',
  [TimeoutType.SCHEDULE_TO_CLOSE]: 'ScheduleToClose',
  [TimeoutType.HEARTBEAT]: 'Heartbeat',
};

/** The failure real Temporal records for an activity timeout. */
export function timeoutFailure(timeoutType: number, lastHeartbeatDetails?: Msg, cause?: Msg): Msg {
  return {
    message: `activity ${timeoutNames[timeoutType]} timeout`,
    source: 'Server',
    timeoutFailureInfo: { timeoutType, lastHeartbeatDetails },
    cause,
  };
}

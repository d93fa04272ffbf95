// The engine's data model: the per-execution mutable state (plain JSON, journaled as a snapshot after
// every change), task tokens, and the Temporal enum values the engine writes.
import { type Msg, protoType } from '../proto';

export const Status = {
  RUNNING: 1,
  COMPLETED: 2,
  FAILED: 3,
  CANCELED: 4,
  TERMINATED: 5,
  CONTINUED_AS_NEW: 6,
  TIMED_OUT: 7,
} as const;

export const RetryState = {
  IN_PROGRESS: 1,
  NON_RETRYABLE_FAILURE: 2,
  TIMEOUT: 3,
  MAXIMUM_ATTEMPTS_REACHED: 4,
  RETRY_POLICY_NOT_SET: 5,
  CANCEL_REQUESTED: 7,
} as const;

export const TimeoutType = { START_TO_CLOSE: 1, SCHEDULE_TO_START: 2, SCHEDULE_TO_CLOSE: 3, HEARTBEAT: 4 } as const;
export const UpdateStage = { ADMITTED: 1, ACCEPTED: 2, COMPLETED: 3 } as const;
export const ParentClosePolicy = { TERMINATE: 1, ABANDON: 2, REQUEST_CANCEL: 3 } as const;

const eventTypes = protoType('temporal.api.history.v1.HistoryEvent').lookupEnum(
  'temporal.api.enums.v1.EventType',
).values;

/**
 * Builds a history event (without id/time; those are assigned when it is written) from the camelCase
 * event kind, e.g. event('timerFired', {...}) → EVENT_TYPE_TIMER_FIRED with timerFiredEventAttributes.
 */
export function event(kind: string, attributes: Msg): Msg {
  let known = eventKinds.get(kind);
  if (!known) {
    const eventType = eventTypes['EVENT_TYPE_' + kind.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase()];
    if (eventType === undefined) throw new Error(`unknown history event kind ${kind}`);
    known = { eventType, field: `${kind}EventAttributes` };
    eventKinds.set(kind, known);
  }
  return { eventType: known.eventType, [known.field]: attributes };
}

/** Event kind → its EventType number and attributes field (every event written looks these up). */
const eventKinds = new Map<string, { eventType: number; field: string }>();

export function eventAttributes(ev: Msg): Msg {
  for (const [k, v] of Object.entries(ev)) if (k.endsWith('EventAttributes')) return v as Msg;
  return {};
}

export function isEventType(ev: Msg, kind: string): boolean {
  return ev[`${kind}EventAttributes`] !== undefined;
}

export interface ActivityState {
  scheduledEventId: number;
  activityId: string;
  activityType: string;
  taskQueue: string;
  attempt: number;
  firstScheduledTime: number;
  /** When the current attempt was scheduled (after a retry backoff this is the backoff's end). */
  attemptScheduledTime: number;
  /** A retry waits until then before its task is queued. */
  retryAt?: number;
  startedTime?: number;
  /** Start of the latest attempt, kept after it fails (describe's lastStartedTime). */
  lastStartedTime?: number;
  /** When the latest failed attempt ended, and the backoff chosen then (describe reports both). */
  lastAttemptCompleteTime?: number;
  currentRetryIntervalMs?: number;
  startedIdentity?: string;
  startedRequestId?: string;
  lastHeartbeatTime?: number;
  heartbeatDetails?: Msg;
  lastFailure?: Msg;
  lastWorkerIdentity?: string;
  cancelRequested: boolean;
  cancelRequestedEventId?: number;
  scheduleToStartMs?: number;
  startToCloseMs?: number;
  scheduleToCloseMs?: number;
  heartbeatMs?: number;
  retryPolicy: Msg;
  /** Changes on every (re)start so a stale worker's token is refused. */
  token: number;
}

export interface WorkflowTaskState {
  /** For a transient (retried) task this is the id its Scheduled event gets once it succeeds. */
  scheduledEventId: number;
  attempt: number;
  scheduledTime: number;
  taskQueue: string;
  startedTime?: number;
  startedEventId?: number;
  identity?: string;
  requestId?: string;
  /** Renewed on scheduling and on start: a queued task or worker token with an older value is stale. */
  token: number;
  /** Attempts after the first are not written to history until one completes (as real Temporal). */
  transient: boolean;
}

export interface TimerState {
  startedEventId: number;
  fireAt: number;
}

export interface ChildState {
  initiatedEventId: number;
  namespace: string;
  workflowId: string;
  workflowType: string;
  runId?: string;
  startedEventId?: number;
  parentClosePolicy: number;
}

export interface UpdateState {
  updateId: string;
  /** Encoded temporal.api.update.v1.Request (it travels to the worker as an Any). */
  request: Buffer;
  stage: number;
  /** Set once a workflow task carried the request, so a failed task re-delivers it. */
  deliveredInTask?: number;
  acceptedEventId?: number;
  outcome?: Msg;
}

export interface ParentInfo {
  namespace: string;
  workflowId: string;
  runId: string;
  initiatedEventId: number;
}

export interface ExecState {
  namespace: string;
  workflowId: string;
  runId: string;
  firstExecutionRunId: string;
  workflowType: string;
  taskQueue: string;
  status: number;
  startTime: number;
  executionTime: number;
  closeTime?: number;
  nextEventId: number;
  wft?: WorkflowTaskState;
  lastWftStartedEventId: number;
  /** Events that arrived while a workflow task was running; written after its completion. */
  buffered: Msg[];
  activities: Record<number, ActivityState>;
  timers: Record<string, TimerState>;
  children: Record<number, ChildState>;
  updates: Record<string, UpdateState>;
  cancelRequested: boolean;
  searchAttributes: Record<string, Msg>;
  memo: Record<string, Msg>;
  parent?: ParentInfo;
  requestIds: string[];
  signalRequestIds: string[];
  workflowTaskTimeoutMs: number;
  runTimeoutMs?: number;
  executionTimeoutMs?: number;
  runExpiresAt?: number;
  executionExpiresAt?: number;
  newExecutionRunId?: string;
  /** The workflow's own retry policy (a failed run is retried as a new run) and this run's attempt. */
  retryPolicy?: Msg;
  attempt: number;
  /** A start delay (workflowStartDelay) holds back the first workflow task until then. */
  startDelayUntil?: number;
  historySizeBytes: number;
  /** Counter behind task tokens. */
  tokenSeq: number;
}

export interface TaskToken {
  kind: 'wf' | 'act' | 'query';
  namespace: string;
  workflowId: string;
  runId: string;
  /** Workflow task: scheduled event id; activity: scheduled event id; query: query id. */
  id: number;
  token: number;
}

export function encodeToken(t: TaskToken): Buffer {
  return Buffer.from(JSON.stringify(t));
}

export function decodeToken(bytes: Uint8Array | undefined): TaskToken | undefined {
  if (!bytes || bytes.length === 0) return undefined;
  try {
    const t = JSON.parse(Buffer.from(bytes).toString('utf8')) as TaskToken;
    if (typeof t.workflowId === 'string' && typeof t.id === 'number') return t;
  } catch {
    // not one of ours
  }
  return undefined;
}

export function isClosed(s: ExecState): boolean {
  return s.status !== Status.RUNNING;
}

/** Request ids kept per execution for dedup; older ones are forgotten beyond this. */
const REMEMBERED_REQUEST_IDS = 1000;

export function rememberRequestId(list: string[], requestId: string): void {
  list.push(requestId);
  if (list.length > REMEMBERED_REQUEST_IDS) list.splice(0, list.length - REMEMBERED_REQUEST_IDS);
}

// Activity tasks: dispatch to pollers, completion by token or id, heartbeats, and the server-side
// retries and timeouts. ActivityTaskStarted is written just before the activity's close event, as the
// real server does for activities with a retry policy.
import { randomUUID } from 'node:crypto';
import { type Msg, tsFromMs } from '../proto';
import { invalidArgument, notFound, required } from '../grpc/status';
import type { ActivityTask, Engine } from './engine';
import type { Execution } from './execution';
import { executionKey } from './execution';
import { type ActivityState, RetryState, TimeoutType, decodeToken, encodeToken, event, eventAttributes } from './model';
import { decideRetry, timeoutFailure } from './retry';
import type { CancelSignal } from '../grpc/unary-server';
import { longPollUntil } from './matching';

export function enqueueActivity(engine: Engine, exec: Execution, act: ActivityState): void {
  const task: ActivityTask = { key: exec.key, scheduledEventId: act.scheduledEventId, attempt: act.attempt };
  engine.later(() => {
    // Already started: handed to the worker eagerly, in its workflow task completion.
    if (act.startedTime !== undefined && act.attempt === task.attempt) return;
    engine.activityQueues.get(exec.state.namespace, act.taskQueue).add(task);
  });
}

export async function pollActivityTask(engine: Engine, req: Msg, signal: CancelSignal): Promise<Msg> {
  const namespace = req.namespace as string;
  engine.namespaces.require(namespace);
  const queue = engine.activityQueues.get(namespace, required(req.taskQueue?.name as string, 'taskQueue.name'));
  const until = longPollUntil(signal, engine.pollTimeoutMs);
  while (!signal.aborted && Date.now() < until) {
    const task = await queue.poll(req.identity ?? '', until - Date.now(), signal, engine.now());
    if (!task) return {};
    if (signal.aborted) {
      queue.add(task);
      return {};
    }
    const res = engine.tx(() => startActivity(engine, task, req));
    if (res) return res;
  }
  return {};
}

export function startActivity(engine: Engine, task: ActivityTask, req: Msg): Msg | undefined {
  const exec = engine.executions.get(task.key);
  const act = exec?.state.activities[task.scheduledEventId];
  if (
    !exec ||
    exec.closed ||
    !act ||
    act.attempt !== task.attempt ||
    act.startedTime !== undefined ||
    act.retryAt !== undefined
  ) {
    return undefined;
  }
  const now = engine.now();
  act.startedTime = now;
  act.startedIdentity = req.identity;
  act.lastWorkerIdentity = req.identity;
  act.startedRequestId = randomUUID();
  act.lastHeartbeatTime = undefined;
  act.token = ++exec.state.tokenSeq;
  engine.touch(exec);
  const scheduled = eventAttributes(engine.historyOf(exec)[act.scheduledEventId - 1]);
  return {
    taskToken: encodeToken(engine.token(exec, 'act', act.scheduledEventId, act.token)),
    workflowNamespace: exec.state.namespace,
    workflowType: { name: exec.state.workflowType },
    workflowExecution: { workflowId: exec.state.workflowId, runId: exec.state.runId },
    activityType: scheduled.activityType,
    activityId: act.activityId,
    header: scheduled.header,
    input: scheduled.input,
    heartbeatDetails: act.heartbeatDetails,
    scheduledTime: tsFromMs(act.firstScheduledTime),
    currentAttemptScheduledTime: tsFromMs(act.attemptScheduledTime),
    startedTime: tsFromMs(now),
    attempt: act.attempt,
    scheduleToCloseTimeout: scheduled.scheduleToCloseTimeout,
    startToCloseTimeout: scheduled.startToCloseTimeout,
    heartbeatTimeout: scheduled.heartbeatTimeout,
    retryPolicy: scheduled.retryPolicy,
    priority: scheduled.priority,
  };
}

/** The started activity a token (or namespace + workflow + activity id) names. */
export function activityFor(engine: Engine, req: Msg, byId: boolean): { exec: Execution; act: ActivityState } {
  let exec: Execution | undefined;
  let act: ActivityState | undefined;
  if (byId) {
    exec = engine.findRunning(req.namespace, { workflowId: req.workflowId, runId: req.runId });
    const activityId = required(req.activityId as string, 'activityId');
    act = Object.values(exec.state.activities).find((a) => a.activityId === activityId);
  } else {
    const t = decodeToken(req.taskToken);
    if (!t || t.kind !== 'act') throw invalidArgument('taskToken is not an activity task token from this server');
    exec = engine.executions.get(executionKey(t.namespace, t.workflowId, t.runId));
    act = exec?.state.activities[t.id];
    if (act && act.token !== t.token) act = undefined;
  }
  if (!exec || exec.closed || !act || act.startedTime === undefined) {
    throw notFound('Activity task not found (it timed out, was retried, cancelled, or the workflow closed).');
  }
  return { exec, act };
}

/** Writes ActivityTaskStarted (if the attempt started) and the activity's close event. */
export function closeActivity(engine: Engine, exec: Execution, act: ActivityState, kind: string, attrs: Msg): void {
  delete exec.state.activities[act.scheduledEventId];
  const started = act.startedTime !== undefined;
  if (started) {
    engine.addEvent(
      exec,
      {
        $time: act.startedTime,
        ...event('activityTaskStarted', {
          scheduledEventId: act.scheduledEventId,
          identity: act.startedIdentity,
          requestId: act.startedRequestId,
          attempt: act.attempt,
          lastFailure: act.lastFailure,
        }),
      },
      { wake: false },
    );
  }
  engine.addEvent(exec, {
    ...(started ? { $linkStarted: true } : {}),
    ...event(kind, { scheduledEventId: act.scheduledEventId, startedEventId: 0, ...attrs }),
  });
}

export function completeActivity(engine: Engine, req: Msg, byId: boolean): Msg {
  const { exec, act } = activityFor(engine, req, byId);
  engine.tx(() =>
    closeActivity(engine, exec, act, 'activityTaskCompleted', { result: req.result, identity: req.identity }),
  );
  return {};
}

export function failActivity(engine: Engine, req: Msg, byId: boolean): Msg {
  const { exec, act } = activityFor(engine, req, byId);
  if (req.lastHeartbeatDetails) act.heartbeatDetails = req.lastHeartbeatDetails;
  const failure = required(req.failure as Msg, 'failure');
  engine.tx(() => activityAttemptFailed(engine, exec, act, failure, 'activityTaskFailed', req.identity));
  return {};
}

export function cancelActivity(engine: Engine, req: Msg, byId: boolean): Msg {
  const { exec, act } = activityFor(engine, req, byId);
  engine.tx(() =>
    closeActivity(engine, exec, act, 'activityTaskCanceled', {
      details: req.details,
      latestCancelRequestedEventId: act.cancelRequestedEventId,
      identity: req.identity,
    }),
  );
  return {};
}

export function heartbeat(engine: Engine, req: Msg, byId: boolean): Msg {
  const { exec, act } = activityFor(engine, req, byId);
  engine.tx(() => {
    act.lastHeartbeatTime = engine.now();
    if (req.details) act.heartbeatDetails = req.details;
    engine.touch(exec);
  });
  return { cancelRequested: act.cancelRequested, activityPaused: false, activityReset: false };
}

/** A failed or timed-out attempt: retry after backoff if the policy allows, else close the activity. */
function activityAttemptFailed(
  engine: Engine,
  exec: Execution,
  act: ActivityState,
  failure: Msg,
  kind: string,
  identity?: string,
): void {
  engine.touch(exec);
  const now = engine.now();
  const deadline = act.scheduleToCloseMs ? act.firstScheduledTime + act.scheduleToCloseMs : undefined;
  const decision = act.cancelRequested
    ? { retry: false as const, retryState: RetryState.CANCEL_REQUESTED }
    : decideRetry(act.retryPolicy, act.attempt, failure, now, deadline);
  if (decision.retry) {
    act.attempt++;
    act.lastFailure = failure;
    act.lastStartedTime = act.startedTime;
    act.lastAttemptCompleteTime = now;
    act.currentRetryIntervalMs = decision.delayMs;
    act.startedTime = undefined;
    act.lastHeartbeatTime = undefined;
    act.retryAt = now + decision.delayMs;
    return;
  }
  const attrs =
    kind === 'activityTaskFailed'
      ? { failure, identity, retryState: decision.retryState }
      : { failure, retryState: decision.retryState };
  closeActivity(engine, exec, act, kind, attrs);
}

export function activityTimedOut(engine: Engine, exec: Execution, act: ActivityState, timeoutType: number): void {
  const failure = timeoutFailure(timeoutType, act.heartbeatDetails, act.lastFailure);
  if (timeoutType === TimeoutType.START_TO_CLOSE || timeoutType === TimeoutType.HEARTBEAT) {
    activityAttemptFailed(engine, exec, act, failure, 'activityTaskTimedOut');
  } else {
    closeActivity(engine, exec, act, 'activityTaskTimedOut', { failure, retryState: RetryState.TIMEOUT });
  }
}

/** The deadlines of one activity, soonest first. */
export function activityDeadlines(a: ActivityState): { at: number; kind: 'retry' | number }[] {
  const out: { at: number; kind: 'retry' | number }[] = [];
  if (a.retryAt !== undefined) out.push({ at: a.retryAt, kind: 'retry' });
  if (a.scheduleToCloseMs)
    out.push({ at: a.firstScheduledTime + a.scheduleToCloseMs, kind: TimeoutType.SCHEDULE_TO_CLOSE });
  if (a.startedTime === undefined) {
    if (a.retryAt === undefined && a.scheduleToStartMs) {
      out.push({ at: a.attemptScheduledTime + a.scheduleToStartMs, kind: TimeoutType.SCHEDULE_TO_START });
    }
  } else {
    if (a.startToCloseMs) out.push({ at: a.startedTime + a.startToCloseMs, kind: TimeoutType.START_TO_CLOSE });
    if (a.heartbeatMs)
      out.push({ at: (a.lastHeartbeatTime ?? a.startedTime) + a.heartbeatMs, kind: TimeoutType.HEARTBEAT });
  }
  return out.sort((x, y) => x.at - y.at);
}

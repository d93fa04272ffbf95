// Read side: history (with long polling), describe and the execution info that listings return.
import { type Msg, durationFromMs, tsFromMs } from '../proto';
import { invalidArgument } from '../grpc/status';
import type { Engine } from './engine';
import { type Execution, executionKey } from './execution';
import type { ExecState } from './model';
import type { CancelSignal } from '../grpc/unary-server';
import { longPollUntil } from './matching';

/** A waiting history read returns what it has after this; the SDK asks again. */
const WAIT_SLICE_MS = 20_000;

export async function readHistory(engine: Engine, req: Msg, signal: CancelSignal): Promise<Msg> {
  const exec = engine.find(req.namespace, req.execution);
  const closeOnly = req.historyEventFilterType === 2;
  const pageSize = Number(req.maximumPageSize) || 1000;
  const token = req.nextPageToken?.length ? Number(Buffer.from(req.nextPageToken).toString()) : 1;
  if (!Number.isInteger(token) || token < 1) throw invalidArgument('nextPageToken is not one this server issued');
  const until = longPollUntil(signal, WAIT_SLICE_MS);
  for (;;) {
    const history = engine.historyOf(exec);
    if (closeOnly) {
      if (exec.closed) return { history: { events: [history.at(-1)] } };
    } else {
      const events = history.slice(token - 1, token - 1 + pageSize);
      const nextId = token + events.length;
      if (events.length > 0 || !req.waitNewEvent || exec.closed) {
        const more = nextId <= history.length || (req.waitNewEvent && !exec.closed);
        return { history: { events }, nextPageToken: more ? Buffer.from(String(nextId)) : undefined };
      }
    }
    if (!req.waitNewEvent || signal.aborted || Date.now() >= until) {
      return { history: { events: [] }, nextPageToken: Buffer.from(String(token)) };
    }
    await exec.waitForChange(signal, until - Date.now());
  }
}

/** Not part of the wire API: lets tests and the UI-facing reads see an execution's pending work. */
const optionalTs = (ms: number | undefined) => (ms !== undefined ? tsFromMs(ms) : undefined);

export function describeExecution(engine: Engine, req: Msg): Msg {
  const exec = engine.find(req.namespace, req.execution);
  const s = exec.state;
  const pendingActivities = Object.values(s.activities).map((a) => ({
    activityId: a.activityId,
    activityType: { name: a.activityType },
    state: a.cancelRequested ? 3 : a.startedTime !== undefined ? 2 : 1,
    heartbeatDetails: a.heartbeatDetails,
    lastHeartbeatTime: a.lastHeartbeatTime !== undefined ? tsFromMs(a.lastHeartbeatTime) : undefined,
    lastStartedTime: optionalTs(a.startedTime ?? a.lastStartedTime),
    lastAttemptCompleteTime: optionalTs(a.lastAttemptCompleteTime),
    currentRetryInterval: a.retryAt !== undefined ? durationFromMs(a.currentRetryIntervalMs ?? 0) : undefined,
    attempt: a.attempt,
    maximumAttempts: a.retryPolicy.maximumAttempts,
    scheduledTime: tsFromMs(a.retryAt ?? a.attemptScheduledTime),
    // Set only while the activity waits out a retry backoff (the proto: null when scheduled or started).
    nextAttemptScheduleTime: a.retryAt !== undefined ? tsFromMs(a.retryAt) : undefined,
    expirationTime: a.scheduleToCloseMs ? tsFromMs(a.firstScheduledTime + a.scheduleToCloseMs) : undefined,
    lastFailure: a.lastFailure,
    lastWorkerIdentity: a.lastWorkerIdentity,
  }));
  return {
    executionConfig: {
      taskQueue: { name: s.taskQueue, kind: 1 },
      workflowExecutionTimeout: s.executionTimeoutMs ? durationFromMs(s.executionTimeoutMs) : undefined,
      workflowRunTimeout: s.runTimeoutMs ? durationFromMs(s.runTimeoutMs) : undefined,
      defaultWorkflowTaskTimeout: durationFromMs(s.workflowTaskTimeoutMs),
      // The start's summary/details (the SDK's staticSummary/staticDetails), kept on the started event.
      userMetadata: engine.historyOf(exec)[0]?.userMetadata,
    },
    workflowExecutionInfo: executionInfo(engine, exec),
    pendingActivities,
    pendingChildren: Object.values(s.children).map((c) => ({
      workflowId: c.workflowId,
      runId: c.runId,
      workflowTypeName: c.workflowType,
      initiatedId: c.initiatedEventId,
      parentClosePolicy: c.parentClosePolicy,
    })),
    pendingWorkflowTask: s.wft
      ? {
          state: s.wft.startedTime !== undefined ? 2 : 1,
          scheduledTime: tsFromMs(s.wft.scheduledTime),
          originalScheduledTime: tsFromMs(s.wft.scheduledTime),
          startedTime: s.wft.startedTime !== undefined ? tsFromMs(s.wft.startedTime) : undefined,
          attempt: s.wft.attempt,
        }
      : undefined,
  };
}

/**
 * The run at the top of the execution's parent chain (the execution itself when it has no parent), as
 * real Temporal reports it (WorkflowExecutionInfo.rootExecution, RootWorkflowId/RootRunId); Temporal UI
 * builds its workflow relationship tree from it.
 */
export function rootExecutionOf(engine: Engine, exec: Execution): { workflowId: string; runId: string } {
  let root = exec.state;
  for (;;) {
    const p = root.parent;
    const parent = p && engine.executions.get(executionKey(p.namespace, p.workflowId, p.runId));
    if (!parent) return { workflowId: root.workflowId, runId: root.runId };
    root = parent.state;
  }
}

/** A closed run's duration: from its execution time (after any start delay) to its close. */
export function executionDurationMs(s: ExecState): number | undefined {
  return s.closeTime !== undefined ? s.closeTime - s.executionTime : undefined;
}

export function executionInfo(engine: Engine, exec: Execution): Msg {
  const s = exec.state;
  const durationMs = executionDurationMs(s);
  return {
    execution: { workflowId: s.workflowId, runId: s.runId },
    type: { name: s.workflowType },
    startTime: tsFromMs(s.startTime),
    closeTime: s.closeTime !== undefined ? tsFromMs(s.closeTime) : undefined,
    status: s.status,
    historyLength: s.nextEventId - 1,
    parentNamespaceId: s.parent ? engine.namespaces.id(s.parent.namespace) : undefined,
    parentExecution: s.parent ? { workflowId: s.parent.workflowId, runId: s.parent.runId } : undefined,
    executionTime: tsFromMs(s.executionTime),
    memo: { fields: s.memo },
    searchAttributes: { indexedFields: s.searchAttributes },
    taskQueue: s.taskQueue,
    stateTransitionCount: s.tokenSeq,
    historySizeBytes: s.historySizeBytes,
    firstRunId: s.firstExecutionRunId,
    executionDuration: durationMs !== undefined ? durationFromMs(durationMs) : undefined,
    rootExecution: rootExecutionOf(engine, exec),
  };
}

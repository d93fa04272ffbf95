// What a completed workflow task's commands and protocol messages (updates) do to an execution: each
// command writes its history event (with workflowTaskCompletedEventId) and updates the mutable state.
import { type Msg, decodeMessage, durationFromMs, msFromDuration, protoType, unpackAny } from '../proto';
import type { Engine } from './engine';
import { closeActivity, enqueueActivity } from './activities';
import type { Execution } from './execution';
import { ParentClosePolicy, Status, UpdateStage, event } from './model';
import { normalizeRetryPolicy } from './retry';

interface CommandContext {
  engine: Engine;
  exec: Execution;
  /** Id of the WorkflowTaskCompleted event the commands belong to. */
  completedEventId: number;
  identity?: string;
  /**
   * The command's summary/details (`Command.userMetadata`, e.g. an activity's or timer's `summary`):
   * real Temporal puts them on the first event the command writes, where the UI shows them.
   */
  userMetadata?: Msg;
}

type CommandHandler = (ctx: CommandContext, attrs: Msg) => void;

/** The first command the devserver cannot carry out, named, or undefined when all are supported. */
export function unsupportedCommand(commands: Msg[]): string | undefined {
  for (const command of commands) {
    if (command.protocolMessageCommandAttributes) continue;
    const key = Object.keys(command).find((k) => k.endsWith('CommandAttributes'));
    if (!key || !handlers[key]) return key ?? `commandType ${String(command.commandType)}`;
  }
  return undefined;
}

const closingCommands = [
  'completeWorkflowExecutionCommandAttributes',
  'failWorkflowExecutionCommandAttributes',
  'cancelWorkflowExecutionCommandAttributes',
  'continueAsNewWorkflowExecutionCommandAttributes',
];

/**
 * True when a command closes the run while events the workflow has not seen are buffered (the task
 * must then fail with UNHANDLED_COMMAND so the workflow sees them first). A TimerFired that an earlier
 * CancelTimer of the same task removes from the buffer does not count, as on real Temporal.
 */
export function closesOverUnseenEvents(exec: Execution, commands: Msg[]): boolean {
  const cancelledTimers = new Set<string>();
  for (const command of commands) {
    if (command.cancelTimerCommandAttributes) cancelledTimers.add(command.cancelTimerCommandAttributes.timerId);
    else if (closingCommands.some((k) => command[k])) {
      return exec.state.buffered.some((ev) => !cancelledTimers.has(ev.timerFiredEventAttributes?.timerId));
    }
  }
  return false;
}

export function applyCompletion(
  engine: Engine,
  exec: Execution,
  commands: Msg[],
  messages: Msg[],
  completedEventId: number,
  identity?: string,
): void {
  const ctx: CommandContext = { engine, exec, completedEventId, identity };
  const messagesById = new Map(messages.map((m) => [m.id as string, m]));
  const applied = new Set<string>();
  for (const command of commands) {
    if (exec.closed) break;
    const messageId = command.protocolMessageCommandAttributes?.messageId as string | undefined;
    if (messageId !== undefined) {
      const message = messagesById.get(messageId);
      if (message && !applied.has(messageId)) {
        applied.add(messageId);
        applyMessage(ctx, message);
      }
      continue;
    }
    const entry = Object.entries(command).find(([k]) => k.endsWith('CommandAttributes'));
    const handler = entry && handlers[entry[0]];
    if (!entry || !handler) {
      throw new Error(`command ${JSON.stringify(Object.keys(command))} is not supported by the devserver`);
    }
    ctx.userMetadata = command.userMetadata as Msg | undefined;
    handler(ctx, entry[1] as Msg);
  }
  // Messages without a command (update rejections) take effect after the commands.
  for (const message of messages) {
    if (!applied.has(message.id as string) && !exec.closed) applyMessage(ctx, message);
  }
}

function write(ctx: CommandContext, kind: string, attrs: Msg): number {
  const ev = event(kind, { ...attrs, workflowTaskCompletedEventId: ctx.completedEventId });
  if (ctx.userMetadata) ev.userMetadata = ctx.userMetadata;
  ctx.userMetadata = undefined; // only the command's first event
  return ctx.exec.write(ev, ctx.engine.now());
}

const handlers: Record<string, CommandHandler> = {
  scheduleActivityTaskCommandAttributes(ctx, a) {
    const { exec, engine } = ctx;
    const runTimeoutMs = exec.state.runTimeoutMs;
    const scheduleToCloseMs = msFromDuration(a.scheduleToCloseTimeout) ?? runTimeoutMs;
    const startToCloseMs = msFromDuration(a.startToCloseTimeout) ?? scheduleToCloseMs;
    const scheduleToStartMs = msFromDuration(a.scheduleToStartTimeout) ?? scheduleToCloseMs;
    const retryPolicy = normalizeRetryPolicy(a.retryPolicy);
    const taskQueue = (a.taskQueue?.name as string) || exec.state.taskQueue;
    const id = write(ctx, 'activityTaskScheduled', {
      activityId: a.activityId,
      activityType: a.activityType,
      taskQueue: { name: taskQueue, kind: 1 },
      header: a.header,
      input: a.input,
      // Always present (zero = unlimited), as real Temporal writes them and the SDK requires.
      scheduleToCloseTimeout: durationFromMs(scheduleToCloseMs ?? 0),
      scheduleToStartTimeout: durationFromMs(scheduleToStartMs ?? 0),
      startToCloseTimeout: durationFromMs(startToCloseMs ?? 0),
      heartbeatTimeout: durationFromMs(msFromDuration(a.heartbeatTimeout) ?? 0),
      retryPolicy,
      useWorkflowBuildId: a.useWorkflowBuildId,
      priority: a.priority,
    });
    const now = engine.now();
    const act = {
      scheduledEventId: id,
      activityId: a.activityId as string,
      activityType: a.activityType?.name as string,
      taskQueue,
      attempt: 1,
      firstScheduledTime: now,
      attemptScheduledTime: now,
      cancelRequested: false,
      scheduleToStartMs,
      startToCloseMs,
      scheduleToCloseMs,
      heartbeatMs: msFromDuration(a.heartbeatTimeout),
      retryPolicy,
      token: 0,
    };
    exec.state.activities[id] = act;
    enqueueActivity(engine, exec, act);
  },

  requestCancelActivityTaskCommandAttributes(ctx, a) {
    const act = ctx.exec.state.activities[Number(a.scheduledEventId)];
    const requestedId = write(ctx, 'activityTaskCancelRequested', { scheduledEventId: a.scheduledEventId });
    if (!act) return;
    if (act.startedTime === undefined) {
      // Not running anywhere: cancelled at once.
      closeActivity(ctx.engine, ctx.exec, act, 'activityTaskCanceled', { latestCancelRequestedEventId: requestedId });
    } else {
      // The worker learns it from its next heartbeat and answers RespondActivityTaskCanceled.
      act.cancelRequested = true;
      act.cancelRequestedEventId = requestedId;
    }
  },

  startTimerCommandAttributes(ctx, a) {
    const ms = msFromDuration(a.startToFireTimeout) ?? 0;
    const id = write(ctx, 'timerStarted', { timerId: a.timerId, startToFireTimeout: a.startToFireTimeout });
    ctx.exec.state.timers[a.timerId as string] = { startedEventId: id, fireAt: ctx.engine.now() + ms };
  },

  cancelTimerCommandAttributes(ctx, a) {
    const timerId = a.timerId as string;
    const timer = ctx.exec.state.timers[timerId];
    delete ctx.exec.state.timers[timerId];
    // A timer that fired while this task ran has its TimerFired still buffered: the cancel wins and the
    // buffered event is dropped (real Temporal's AddTimerCanceledEvent); the SDK cannot replay a
    // CancelTimer command followed by TimerFired.
    const startedEventId = timer?.startedEventId ?? takeBufferedTimerFired(ctx.exec, timerId);
    if (startedEventId === undefined) return;
    write(ctx, 'timerCanceled', { timerId, startedEventId, identity: ctx.identity });
  },

  completeWorkflowExecutionCommandAttributes(ctx, a) {
    close(ctx, Status.COMPLETED, 'workflowExecutionCompleted', { result: a.result });
  },

  failWorkflowExecutionCommandAttributes(ctx, a) {
    const retry = ctx.engine.retryWorkflow(ctx.exec, a.failure ?? {});
    close(ctx, Status.FAILED, 'workflowExecutionFailed', { failure: a.failure, ...retry });
  },

  cancelWorkflowExecutionCommandAttributes(ctx, a) {
    close(ctx, Status.CANCELED, 'workflowExecutionCanceled', { details: a.details });
  },

  continueAsNewWorkflowExecutionCommandAttributes(ctx, a) {
    const { exec, engine } = ctx;
    const s = exec.state;
    const next = engine.createExecution({
      namespace: s.namespace,
      workflowId: s.workflowId,
      workflowType: (a.workflowType?.name as string) || s.workflowType,
      taskQueue: (a.taskQueue?.name as string) || s.taskQueue,
      input: a.input,
      header: a.header,
      runTimeoutMs: msFromDuration(a.workflowRunTimeout) ?? s.runTimeoutMs,
      workflowTaskTimeoutMs: msFromDuration(a.workflowTaskTimeout) ?? s.workflowTaskTimeoutMs,
      executionTimeoutMs: s.executionTimeoutMs,
      executionExpiresAt: s.executionExpiresAt,
      memo: a.memo?.fields ?? s.memo,
      searchAttributes: a.searchAttributes?.indexedFields ?? s.searchAttributes,
      retryPolicy: a.retryPolicy,
      parent: s.parent,
      firstExecutionRunId: s.firstExecutionRunId,
      continuedExecutionRunId: s.runId,
      initiator: a.initiator || 1,
      lastCompletionResult: a.lastCompletionResult,
      continuedFailure: a.failure,
      startDelayMs: msFromDuration(a.backoffStartInterval),
    });
    s.newExecutionRunId = next.state.runId;
    close(ctx, Status.CONTINUED_AS_NEW, 'workflowExecutionContinuedAsNew', {
      newExecutionRunId: next.state.runId,
      workflowType: { name: next.state.workflowType },
      taskQueue: { name: next.state.taskQueue, kind: 1 },
      input: a.input,
      workflowRunTimeout: next.state.runTimeoutMs ? durationFromMs(next.state.runTimeoutMs) : undefined,
      workflowTaskTimeout: durationFromMs(next.state.workflowTaskTimeoutMs),
      backoffStartInterval: a.backoffStartInterval,
      initiator: a.initiator || 1,
      header: a.header,
      memo: a.memo,
      searchAttributes: a.searchAttributes,
    });
  },

  recordMarkerCommandAttributes(ctx, a) {
    write(ctx, 'markerRecorded', {
      markerName: a.markerName,
      details: a.details,
      header: a.header,
      failure: a.failure,
    });
  },

  upsertWorkflowSearchAttributesCommandAttributes(ctx, a) {
    const fields = (a.searchAttributes?.indexedFields ?? {}) as Record<string, Msg>;
    write(ctx, 'upsertWorkflowSearchAttributes', { searchAttributes: a.searchAttributes });
    for (const [name, value] of Object.entries(fields)) {
      // An empty payload removes the attribute.
      if (!value?.data || value.data.length === 0) delete ctx.exec.state.searchAttributes[name];
      else ctx.exec.state.searchAttributes[name] = value;
    }
  },

  modifyWorkflowPropertiesCommandAttributes(ctx, a) {
    write(ctx, 'workflowPropertiesModified', { upsertedMemo: a.upsertedMemo });
    for (const [name, value] of Object.entries((a.upsertedMemo?.fields ?? {}) as Record<string, Msg>)) {
      if (!value?.data || value.data.length === 0) delete ctx.exec.state.memo[name];
      else ctx.exec.state.memo[name] = value;
    }
  },

  startChildWorkflowExecutionCommandAttributes(ctx, a) {
    const { exec, engine } = ctx;
    const namespace = (a.namespace as string) || exec.state.namespace;
    const taskQueue = (a.taskQueue?.name as string) || exec.state.taskQueue;
    const initiatedEventId = write(ctx, 'startChildWorkflowExecutionInitiated', {
      namespace,
      workflowId: a.workflowId,
      workflowType: a.workflowType,
      taskQueue: { name: taskQueue, kind: 1 },
      input: a.input,
      workflowExecutionTimeout: a.workflowExecutionTimeout,
      workflowRunTimeout: a.workflowRunTimeout,
      workflowTaskTimeout: a.workflowTaskTimeout,
      parentClosePolicy: a.parentClosePolicy,
      control: a.control,
      workflowIdReusePolicy: a.workflowIdReusePolicy,
      retryPolicy: a.retryPolicy,
      cronSchedule: a.cronSchedule,
      header: a.header,
      memo: a.memo,
      searchAttributes: a.searchAttributes,
      priority: a.priority,
    });
    exec.state.children[initiatedEventId] = {
      initiatedEventId,
      namespace,
      workflowId: a.workflowId as string,
      workflowType: a.workflowType?.name as string,
      parentClosePolicy: (a.parentClosePolicy as number) || ParentClosePolicy.TERMINATE,
    };
    // The child starts after this task is recorded, like the real server's transfer task.
    engine.later(() => engine.tx(() => startChild(engine, exec, initiatedEventId, a, namespace, taskQueue)));
  },

  signalExternalWorkflowExecutionCommandAttributes(ctx, a) {
    const { exec, engine } = ctx;
    const namespace = (a.namespace as string) || exec.state.namespace;
    const initiatedEventId = write(ctx, 'signalExternalWorkflowExecutionInitiated', {
      namespace,
      workflowExecution: a.execution,
      signalName: a.signalName,
      input: a.input,
      control: a.control,
      childWorkflowOnly: a.childWorkflowOnly,
      header: a.header,
    });
    engine.later(() =>
      engine.tx(() => {
        if (exec.closed) return;
        const target = findOpen(engine, namespace, a.execution);
        if (target) {
          engine.signalExecution(target, {
            signalName: a.signalName,
            input: a.input,
            header: a.header,
            identity: `workflow ${exec.state.workflowId}`,
          });
          engine.addEvent(
            exec,
            event('externalWorkflowExecutionSignaled', {
              initiatedEventId,
              namespace,
              workflowExecution: { workflowId: target.state.workflowId, runId: target.state.runId },
              control: a.control,
            }),
          );
        } else {
          engine.addEvent(
            exec,
            event('signalExternalWorkflowExecutionFailed', {
              cause: 1,
              initiatedEventId,
              namespace,
              workflowExecution: a.execution,
              control: a.control,
              workflowTaskCompletedEventId: ctx.completedEventId,
            }),
          );
        }
      }),
    );
  },

  requestCancelExternalWorkflowExecutionCommandAttributes(ctx, a) {
    const { exec, engine } = ctx;
    const namespace = (a.namespace as string) || exec.state.namespace;
    const execution = { workflowId: a.workflowId, runId: a.runId };
    const initiatedEventId = write(ctx, 'requestCancelExternalWorkflowExecutionInitiated', {
      namespace,
      workflowExecution: execution,
      control: a.control,
      childWorkflowOnly: a.childWorkflowOnly,
      reason: a.reason,
    });
    engine.later(() =>
      engine.tx(() => {
        if (exec.closed) return;
        const target = findOpen(engine, namespace, execution);
        if (target) {
          engine.requestCancel(target, a.reason, `workflow ${exec.state.workflowId}`, {
            initiatedEventId,
            execution: { workflowId: exec.state.workflowId, runId: exec.state.runId },
          });
          engine.addEvent(
            exec,
            event('externalWorkflowExecutionCancelRequested', {
              initiatedEventId,
              namespace,
              workflowExecution: { workflowId: target.state.workflowId, runId: target.state.runId },
            }),
          );
        } else {
          engine.addEvent(
            exec,
            event('requestCancelExternalWorkflowExecutionFailed', {
              cause: 1,
              initiatedEventId,
              namespace,
              workflowExecution: execution,
              control: a.control,
              workflowTaskCompletedEventId: ctx.completedEventId,
            }),
          );
        }
      }),
    );
  },
};

function close(ctx: CommandContext, status: number, kind: string, attrs: Msg): void {
  ctx.engine.closeExecution(
    ctx.exec,
    status,
    event(kind, { ...attrs, workflowTaskCompletedEventId: ctx.completedEventId }),
  );
}

/** Removes a buffered TimerFired of `timerId`, returning its timer's started event id. */
function takeBufferedTimerFired(exec: Execution, timerId: string): number | undefined {
  const i = exec.state.buffered.findIndex((ev) => ev.timerFiredEventAttributes?.timerId === timerId);
  if (i < 0) return undefined;
  const [fired] = exec.state.buffered.splice(i, 1);
  return Number(fired.timerFiredEventAttributes.startedEventId);
}

function findOpen(engine: Engine, namespace: string, execution: Msg | undefined): Execution | undefined {
  try {
    const target = engine.find(namespace, execution);
    return target.closed ? undefined : target;
  } catch {
    return undefined;
  }
}

function startChild(
  engine: Engine,
  parent: Execution,
  initiatedEventId: number,
  a: Msg,
  namespace: string,
  taskQueue: string,
): void {
  const record = parent.state.children[initiatedEventId];
  if (parent.closed || !record) return;
  const existing = engine.latest(namespace, a.workflowId as string);
  const reuse = a.workflowIdReusePolicy as number | undefined;
  const blocked =
    !engine.namespaces.has(namespace) ||
    (existing && (!existing.closed || reuse === 3 || (reuse === 2 && existing.state.status === Status.COMPLETED)));
  if (blocked) {
    delete parent.state.children[initiatedEventId];
    engine.addEvent(
      parent,
      event('startChildWorkflowExecutionFailed', {
        namespace,
        workflowId: a.workflowId,
        workflowType: a.workflowType,
        cause: engine.namespaces.has(namespace) ? 1 : 2,
        control: a.control,
        initiatedEventId,
        workflowTaskCompletedEventId: initiatedEventId - 1,
      }),
    );
    return;
  }
  const child = engine.createExecution({
    namespace,
    workflowId: a.workflowId as string,
    workflowType: a.workflowType?.name as string,
    taskQueue,
    input: a.input,
    header: a.header,
    executionTimeoutMs: msFromDuration(a.workflowExecutionTimeout),
    runTimeoutMs: msFromDuration(a.workflowRunTimeout),
    workflowTaskTimeoutMs: msFromDuration(a.workflowTaskTimeout),
    memo: a.memo?.fields,
    searchAttributes: a.searchAttributes?.indexedFields,
    retryPolicy: a.retryPolicy,
    identity: `workflow ${parent.state.workflowId}`,
    parent: {
      namespace: parent.state.namespace,
      workflowId: parent.state.workflowId,
      runId: parent.state.runId,
      initiatedEventId,
    },
  });
  record.runId = child.state.runId;
  engine.addEvent(
    parent,
    event('childWorkflowExecutionStarted', {
      namespace,
      initiatedEventId,
      workflowExecution: { workflowId: child.state.workflowId, runId: child.state.runId },
      workflowType: a.workflowType,
      header: a.header,
    }),
  );
}

// ---- updates (protocol messages) ----------------------------------------------------------------

function applyMessage(ctx: CommandContext, message: Msg): void {
  const body = unpackAny(message.body);
  const updateId = message.protocolInstanceId as string;
  const u = ctx.exec.state.updates[updateId];
  if (!body || !u) return;
  const { exec, engine } = ctx;
  engine.touch(exec);
  switch (body.name) {
    case 'temporal.api.update.v1.Acceptance':
      u.acceptedEventId = exec.write(
        event('workflowExecutionUpdateAccepted', {
          protocolInstanceId: updateId,
          acceptedRequestMessageId: body.value.acceptedRequestMessageId,
          acceptedRequestSequencingEventId: body.value.acceptedRequestSequencingEventId,
          acceptedRequest:
            body.value.acceptedRequest ?? decodeMessage(protoType('temporal.api.update.v1.Request'), u.request),
        }),
        engine.now(),
      );
      u.stage = UpdateStage.ACCEPTED;
      // The request now lives in the Accepted event; the journaled state need not repeat it.
      u.request = Buffer.alloc(0);
      break;
    case 'temporal.api.update.v1.Rejection':
      u.stage = UpdateStage.COMPLETED;
      u.outcome = { failure: body.value.failure };
      u.request = Buffer.alloc(0);
      break;
    case 'temporal.api.update.v1.Response':
      exec.write(
        event('workflowExecutionUpdateCompleted', {
          meta: body.value.meta,
          acceptedEventId: u.acceptedEventId,
          outcome: body.value.outcome,
        }),
        engine.now(),
      );
      u.stage = UpdateStage.COMPLETED;
      u.outcome = body.value.outcome;
      break;
    default:
      throw new Error(`protocol message ${body.name} is not supported by the devserver`);
  }
}

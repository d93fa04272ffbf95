// The workflow engine: executions, their histories, workflow/activity task dispatch, timers and
// timeouts. Every state change happens inside `tx`, which journals the changed executions (new events
// plus a state snapshot) before anything becomes visible, so replaying the journal rebuilds the server.
import { randomUUID } from 'node:crypto';
import type { DevClock } from '../clock';
import { type Msg, durationFromMs, msFromDuration, packAny, tsFromMs } from '../proto';
import {
  type ServiceError,
  alreadyExists,
  cancelled,
  deadlineExceeded,
  invalidArgument,
  notFound,
  required,
  unavailable,
} from '../grpc/status';
import { Execution, executionKey, type PendingQuery } from './execution';
import { TaskQueues, longPollUntil } from './matching';
import {
  type ExecState,
  type ParentInfo,
  type TaskToken,
  ParentClosePolicy,
  RetryState,
  Status,
  TimeoutType,
  UpdateStage,
  decodeToken,
  encodeToken,
  event,
  rememberRequestId,
  eventAttributes,
} from './model';
import { decideRetry, normalizeRetryPolicy } from './retry';
import { activityDeadlines, activityTimedOut, enqueueActivity, startActivity } from './activities';
import { applyCompletion, closesOverUnseenEvents, unsupportedCommand } from './commands';
import { Namespaces } from './namespaces';
import type { CancelSignal } from '../grpc/unary-server';

/** A queued workflow task names the scheduling (`token`) it was queued for; stale ones are skipped. */
export type WorkflowTask = { kind: 'wf'; key: string; token: number } | { kind: 'query'; key: string; queryId: number };
export interface ActivityTask {
  key: string;
  scheduledEventId: number;
  attempt: number;
}

/**
 * Where the engine journals its changes (devserver/journal.ts). Records are written at once (they
 * survive a process crash); the server makes them durable with `sync()` before any RPC answers.
 */
export interface EngineStore {
  appendUnsynced(records: unknown[]): number[];
  readAt(offset: number): unknown;
}

export interface ExecRecord {
  t: 'exec';
  state: ExecState;
  events: Msg[];
}

const DEFAULT_WFT_TIMEOUT_MS = 10_000;
/** A query nobody answers fails with DEADLINE_EXCEEDED after this (default). */
const DEFAULT_QUERY_TIMEOUT_MS = 60_000;
/** A query task handed out on its own and not answered within this goes out again (default). */
const DEFAULT_QUERY_REDELIVERY_MS = 5_000;
const WFT_FAILED_BAD_SEARCH_ATTRIBUTES = 23;
/** Long polls answer empty after this (the SDK's own poll deadline is ~70 s). */
export const DEFAULT_POLL_TIMEOUT_MS = 55_000;

const ReusePolicy = {
  ALLOW_DUPLICATE: 1,
  ALLOW_DUPLICATE_FAILED_ONLY: 2,
  REJECT_DUPLICATE: 3,
  TERMINATE_IF_RUNNING: 4,
};
const ConflictPolicy = { FAIL: 1, USE_EXISTING: 2, TERMINATE_EXISTING: 3 };

export interface StartParams {
  namespace: string;
  workflowId: string;
  workflowType: string;
  taskQueue: string;
  input?: Msg;
  header?: Msg;
  identity?: string;
  requestId?: string;
  executionTimeoutMs?: number;
  runTimeoutMs?: number;
  workflowTaskTimeoutMs?: number;
  memo?: Record<string, Msg>;
  searchAttributes?: Record<string, Msg>;
  retryPolicy?: Msg;
  parent?: ParentInfo;
  firstExecutionRunId?: string;
  continuedExecutionRunId?: string;
  initiator?: number;
  lastCompletionResult?: Msg;
  continuedFailure?: Msg;
  executionExpiresAt?: number;
  startDelayMs?: number;
  attempt?: number;
  userMetadata?: Msg;
  signal?: { name: string; input?: Msg; header?: Msg };
}

export interface EngineOptions {
  clock: DevClock;
  namespaces: Namespaces;
  store?: EngineStore;
  pollTimeoutMs?: number;
  queryTimeoutMs?: number;
  queryRedeliveryMs?: number;
  log?: (msg: string) => void;
}

export class Engine {
  readonly clock: DevClock;
  readonly namespaces: Namespaces;
  readonly executions = new Map<string, Execution>();
  /** Latest run per (namespace, workflow id). */
  private readonly latestRun = new Map<string, string>();
  readonly workflowQueues = new TaskQueues<WorkflowTask>();
  readonly activityQueues = new TaskQueues<ActivityTask>();
  private readonly store?: EngineStore;
  readonly pollTimeoutMs: number;
  private readonly queryTimeoutMs: number;
  private readonly queryRedeliveryMs: number;
  /** Redelivered queries that got their answer: a straggling copy's answer is acknowledged and ignored. */
  private readonly answeredRedeliveredQueries = new Set<number>();
  private readonly touched = new Set<Execution>();
  private readonly afterCommit: (() => void)[] = [];
  private depth = 0;
  private querySeq = 0;
  private readonly applyingCommands = new Set<Execution>();
  private readonly wakeAfterCommands = new Set<Execution>();
  /** Journal offsets of each execution's records, to reload an evicted history. */
  private readonly recordOffsets = new Map<string, number[]>();
  readonly log: (msg: string) => void;

  constructor(opts: EngineOptions) {
    this.clock = opts.clock;
    this.namespaces = opts.namespaces;
    this.store = opts.store;
    this.pollTimeoutMs = opts.pollTimeoutMs ?? DEFAULT_POLL_TIMEOUT_MS;
    this.queryTimeoutMs = opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.queryRedeliveryMs = opts.queryRedeliveryMs ?? DEFAULT_QUERY_REDELIVERY_MS;
    if (!(this.queryRedeliveryMs > 0) || !Number.isFinite(this.queryRedeliveryMs)) {
      throw new TypeError(`queryRedeliveryMs must be a positive number of ms, got ${opts.queryRedeliveryMs}`);
    }
    this.log = opts.log ?? (() => undefined);
    this.clock.attach({
      workflowTasksIdle: () => ![...this.running()].some((e) => e.state.wft),
      // An activity waiting out its retry backoff is not work in progress: the backoff is skippable.
      activitiesIdle: () =>
        ![...this.running()].some((e) => Object.values(e.state.activities).some((a) => a.retryAt === undefined)),
    });
  }

  now(): number {
    return this.clock.now();
  }

  private *running(): Iterable<Execution> {
    for (const e of this.executions.values()) if (!e.closed) yield e;
  }

  // ---- transactions and recovery ----------------------------------------------------------------

  /** Runs `fn` as one atomic change: touched executions are journaled before side effects happen. */
  tx<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
      if (this.depth === 0) this.commit();
    }
  }

  touch(exec: Execution): void {
    this.touched.add(exec);
  }

  /** Defers `fn` until the current transaction is journaled (enqueueing tasks, waking waiters). */
  later(fn: () => void): void {
    this.afterCommit.push(fn);
  }

  private commit(): void {
    const execs = [...this.touched];
    this.touched.clear();
    if (this.store && execs.length > 0) {
      const records: ExecRecord[] = execs.map((exec) => ({ t: 'exec', state: exec.state, events: exec.unjournaled }));
      const offsets = this.store.appendUnsynced(records);
      execs.forEach((exec, i) => {
        if (exec.unjournaled.length === 0) return;
        const list = this.recordOffsets.get(exec.key) ?? [];
        list.push(offsets[i]);
        this.recordOffsets.set(exec.key, list);
      });
    }
    for (const exec of execs) exec.unjournaled = [];
    const actions = this.afterCommit.splice(0);
    this.depth++;
    try {
      for (const action of actions) {
        try {
          action();
        } catch (err) {
          this.log(`after-commit action failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        }
      }
      for (const exec of execs) {
        this.armDeadline(exec);
        exec.notifyChange();
      }
    } finally {
      this.depth--;
      if (this.touched.size > 0 || this.afterCommit.length > 0) this.commit();
    }
    this.clock.poke();
  }

  /** Rebuilds one execution from a journal record (start-up replay). */
  replayRecord(record: ExecRecord, offset: number): void {
    const key = executionKey(record.state.namespace, record.state.workflowId, record.state.runId);
    let exec = this.executions.get(key);
    if (!exec) {
      exec = new Execution(record.state, []);
      this.executions.set(key, exec);
    }
    exec.state = record.state;
    exec.history!.push(...record.events);
    if (record.events.length > 0) {
      const list = this.recordOffsets.get(key) ?? [];
      list.push(offset);
      this.recordOffsets.set(key, list);
    }
    this.noteLatest(exec);
  }

  /** After replay: re-queue outstanding work and re-arm every deadline. */
  resumeAfterReplay(): void {
    this.tx(() => {
      for (const exec of this.running()) {
        const wft = exec.state.wft;
        // The worker that had this task belonged to the old process's era: hand the task out again
        // (with a new token, so a late answer to the old one is refused).
        if (wft?.startedEventId !== undefined) {
          this.touch(exec);
          wft.startedEventId = undefined;
          wft.startedTime = undefined;
          wft.token = ++exec.state.tokenSeq;
          this.flushBuffered(exec);
        }
        if (wft) this.enqueueWorkflowTask(exec);
        for (const act of Object.values(exec.state.activities)) {
          if (act.startedTime === undefined && act.retryAt === undefined) enqueueActivity(this, exec, act);
        }
        this.armDeadline(exec);
      }
    });
  }

  /** Where an execution's events now live in the journal (after compaction rewrote it). */
  setRecordOffsets(exec: Execution, offsets: number[]): void {
    this.recordOffsets.set(exec.key, offsets);
  }

  /** Frees histories of runs closed for at least `minAgeMs`; they are re-read from the journal on demand. */
  evictClosedHistories(minAgeMs = 0): number {
    if (!this.store) return 0;
    let n = 0;
    const cutoff = this.now() - minAgeMs;
    for (const exec of this.executions.values()) {
      if (exec.closed && exec.history && exec.queries.size === 0 && (exec.state.closeTime ?? 0) <= cutoff) {
        exec.history = undefined;
        n++;
      }
    }
    return n;
  }

  historyOf(exec: Execution): Msg[] {
    if (!exec.history) {
      const events: Msg[] = [];
      for (const offset of this.recordOffsets.get(exec.key) ?? []) {
        events.push(...(this.store!.readAt(offset) as ExecRecord).events);
      }
      exec.history = events;
    }
    return exec.history;
  }

  // ---- lookups ----------------------------------------------------------------------------------

  private noteLatest(exec: Execution): void {
    const idKey = `${exec.state.namespace}\u0000${exec.state.workflowId}`;
    const current = this.latestRun.get(idKey);
    const currentExec =
      current && this.executions.get(executionKey(exec.state.namespace, exec.state.workflowId, current));
    if (!currentExec || currentExec === exec || currentExec.state.startTime <= exec.state.startTime) {
      this.latestRun.set(idKey, exec.state.runId);
    }
  }

  latest(namespace: string, workflowId: string): Execution | undefined {
    const runId = this.latestRun.get(`${namespace}\u0000${workflowId}`);
    return runId ? this.executions.get(executionKey(namespace, workflowId, runId)) : undefined;
  }

  /** The run a request names (latest run when runId is empty); NOT_FOUND otherwise. */
  find(namespace: string, execution: Msg | undefined): Execution {
    this.namespaces.require(namespace);
    const workflowId = required(execution?.workflowId as string, 'workflowExecution.workflowId');
    const runId = execution?.runId as string | undefined;
    const exec = runId
      ? this.executions.get(executionKey(namespace, workflowId, runId))
      : this.latest(namespace, workflowId);
    if (!exec) throw notFound(`workflow not found for ID: ${workflowId}${runId ? `, run ID: ${runId}` : ''}`);
    return exec;
  }

  findRunning(namespace: string, execution: Msg | undefined): Execution {
    const exec = this.find(namespace, execution);
    if (exec.closed) throw notFound('workflow execution already completed');
    return exec;
  }

  // ---- events -----------------------------------------------------------------------------------

  /**
   * Adds an event caused by something outside the workflow (signal, timer, activity result...). While
   * a workflow task runs it is buffered and written after the task completes, as real Temporal does.
   */
  addEvent(exec: Execution, ev: Msg, opts: { wake?: boolean } = {}): void {
    this.touch(exec);
    if (exec.wftInFlight) {
      exec.state.buffered.push({ $time: this.now(), ...ev });
    } else {
      exec.write(ev, this.now());
    }
    if (opts.wake !== false) this.ensureWorkflowTask(exec);
  }

  /** Writes the events buffered during a workflow task; true when there were any. */
  flushBuffered(exec: Execution): boolean {
    const buffered = exec.state.buffered;
    exec.state.buffered = [];
    for (const ev of buffered) exec.write(ev, this.now());
    return buffered.length > 0;
  }

  // ---- starting workflows -----------------------------------------------------------------------

  /** Start (or signal-with-start) honouring request-id dedup and the id reuse/conflict policies. */
  start(req: Msg, signal?: StartParams['signal']): { runId: string; started: boolean } {
    const namespace = req.namespace as string;
    this.namespaces.require(namespace);
    const workflowId = required(req.workflowId as string, 'workflowId');
    const workflowType = required(req.workflowType?.name as string, 'workflowType.name');
    const taskQueue = required(req.taskQueue?.name as string, 'taskQueue.name');
    const searchAttributes = (req.searchAttributes?.indexedFields ?? {}) as Record<string, Msg>;
    this.namespaces.validateSearchAttributes(namespace, searchAttributes);
    const requestId = (req.requestId as string) || undefined;
    return this.tx(() => {
      const prev = this.latest(namespace, workflowId);
      if (prev && requestId && prev.state.requestIds.includes(requestId))
        return { runId: prev.state.runId, started: true };
      if (prev && !prev.closed) {
        if (signal) {
          this.signalExecution(prev, {
            signalName: signal.name,
            input: signal.input,
            header: signal.header,
            identity: req.identity,
          });
          // A retried signal-with-start must not signal twice.
          if (requestId) rememberRequestId(prev.state.requestIds, requestId);
          return { runId: prev.state.runId, started: false };
        }
        const conflict =
          req.workflowIdConflictPolicy ||
          (req.workflowIdReusePolicy === ReusePolicy.TERMINATE_IF_RUNNING
            ? ConflictPolicy.TERMINATE_EXISTING
            : ConflictPolicy.FAIL);
        if (conflict === ConflictPolicy.USE_EXISTING) {
          if (requestId) rememberRequestId(prev.state.requestIds, requestId);
          this.touch(prev);
          return { runId: prev.state.runId, started: false };
        }
        if (conflict === ConflictPolicy.FAIL) {
          throw alreadyExists(
            `Workflow execution is already running. WorkflowId: ${workflowId}, RunId: ${prev.state.runId}.`,
          );
        }
        this.terminate(
          prev,
          'terminated by a new start (workflow id conflict policy TERMINATE_EXISTING)',
          undefined,
          req.identity,
        );
      } else if (prev) {
        const reuse = req.workflowIdReusePolicy || ReusePolicy.ALLOW_DUPLICATE;
        if (reuse === ReusePolicy.REJECT_DUPLICATE) {
          throw alreadyExists(
            `Workflow execution already finished and its id reuse policy is REJECT_DUPLICATE. WorkflowId: ${workflowId}, RunId: ${prev.state.runId}.`,
          );
        }
        if (reuse === ReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY && prev.state.status === Status.COMPLETED) {
          throw alreadyExists(
            `Workflow execution already finished successfully and its id reuse policy only allows a new run after failure. WorkflowId: ${workflowId}, RunId: ${prev.state.runId}.`,
          );
        }
      }
      const exec = this.createExecution({
        namespace,
        workflowId,
        workflowType,
        taskQueue,
        input: req.input,
        header: req.header,
        identity: req.identity,
        requestId,
        executionTimeoutMs: msFromDuration(req.workflowExecutionTimeout),
        runTimeoutMs: msFromDuration(req.workflowRunTimeout),
        workflowTaskTimeoutMs: msFromDuration(req.workflowTaskTimeout),
        memo: req.memo?.fields,
        searchAttributes,
        retryPolicy: req.retryPolicy,
        startDelayMs: msFromDuration(req.workflowStartDelay),
        userMetadata: req.userMetadata,
        signal,
      });
      return { runId: exec.state.runId, started: true };
    });
  }

  createExecution(p: StartParams): Execution {
    const now = this.now();
    const runId = randomUUID();
    const executionExpiresAt = p.executionExpiresAt ?? (p.executionTimeoutMs ? now + p.executionTimeoutMs : undefined);
    const runTimeoutMs = p.runTimeoutMs ?? p.executionTimeoutMs;
    const state: ExecState = {
      namespace: p.namespace,
      workflowId: p.workflowId,
      runId,
      firstExecutionRunId: p.firstExecutionRunId ?? runId,
      workflowType: p.workflowType,
      taskQueue: p.taskQueue,
      status: Status.RUNNING,
      startTime: now,
      executionTime: now + (p.startDelayMs ?? 0),
      nextEventId: 1,
      lastWftStartedEventId: 0,
      buffered: [],
      activities: {},
      timers: {},
      children: {},
      updates: {},
      cancelRequested: false,
      searchAttributes: { ...(p.searchAttributes ?? {}) },
      memo: { ...(p.memo ?? {}) },
      parent: p.parent,
      requestIds: p.requestId ? [p.requestId] : [],
      signalRequestIds: [],
      workflowTaskTimeoutMs: p.workflowTaskTimeoutMs ?? DEFAULT_WFT_TIMEOUT_MS,
      runTimeoutMs,
      executionTimeoutMs: p.executionTimeoutMs,
      runExpiresAt: runTimeoutMs ? now + runTimeoutMs : undefined,
      executionExpiresAt,
      historySizeBytes: 0,
      tokenSeq: 0,
      retryPolicy: p.retryPolicy,
      attempt: p.attempt ?? 1,
      startDelayUntil: p.startDelayMs ? now + p.startDelayMs : undefined,
    };
    const exec = new Execution(state, []);
    this.executions.set(exec.key, exec);
    this.noteLatest(exec);
    this.touch(exec);
    exec.write(
      {
        // The start's summary/details live on the event itself, where real Temporal keeps them
        // (DescribeWorkflowExecution reports them as executionConfig.userMetadata).
        userMetadata: p.userMetadata,
        ...event('workflowExecutionStarted', {
          workflowType: { name: p.workflowType },
          parentWorkflowNamespace: p.parent?.namespace,
          parentWorkflowNamespaceId: p.parent ? this.namespaces.id(p.parent.namespace) : undefined,
          parentWorkflowExecution: p.parent ? { workflowId: p.parent.workflowId, runId: p.parent.runId } : undefined,
          parentInitiatedEventId: p.parent?.initiatedEventId,
          taskQueue: { name: p.taskQueue, kind: 1 },
          input: p.input,
          workflowExecutionTimeout: p.executionTimeoutMs ? durationFromMs(p.executionTimeoutMs) : undefined,
          workflowRunTimeout: runTimeoutMs ? durationFromMs(runTimeoutMs) : undefined,
          workflowTaskTimeout: durationFromMs(state.workflowTaskTimeoutMs),
          continuedExecutionRunId: p.continuedExecutionRunId,
          initiator: p.initiator,
          continuedFailure: p.continuedFailure,
          lastCompletionResult: p.lastCompletionResult,
          originalExecutionRunId: runId,
          identity: p.identity,
          firstExecutionRunId: state.firstExecutionRunId,
          retryPolicy: p.retryPolicy,
          attempt: state.attempt,
          workflowExecutionExpirationTime: executionExpiresAt ? tsFromMs(executionExpiresAt) : undefined,
          firstWorkflowTaskBackoff: p.startDelayMs ? durationFromMs(p.startDelayMs) : undefined,
          memo: Object.keys(state.memo).length ? { fields: state.memo } : undefined,
          searchAttributes: Object.keys(state.searchAttributes).length
            ? { indexedFields: state.searchAttributes }
            : undefined,
          header: p.header,
          workflowId: p.workflowId,
        }),
      },
      now,
    );
    if (p.signal) {
      exec.write(
        event('workflowExecutionSignaled', {
          signalName: p.signal.name,
          input: p.signal.input,
          header: p.signal.header,
          identity: p.identity,
        }),
        now,
      );
    }
    if (!state.startDelayUntil) this.ensureWorkflowTask(exec);
    return exec;
  }

  // ---- workflow tasks ---------------------------------------------------------------------------

  ensureWorkflowTask(exec: Execution): void {
    if (exec.closed || exec.state.wft || exec.state.startDelayUntil) return;
    if (this.applyingCommands.has(exec)) {
      // Events caused by a command (an activity cancelled before it started) go with the command's
      // events; the next workflow task is scheduled after all of them.
      this.wakeAfterCommands.add(exec);
      return;
    }
    this.scheduleWorkflowTask(exec, 1);
  }

  private scheduleWorkflowTask(exec: Execution, attempt: number): void {
    const now = this.now();
    const transient = attempt > 1;
    let scheduledEventId = exec.state.nextEventId;
    if (!transient) {
      scheduledEventId = exec.write(
        event('workflowTaskScheduled', {
          taskQueue: { name: exec.state.taskQueue, kind: 1 },
          startToCloseTimeout: durationFromMs(exec.state.workflowTaskTimeoutMs),
          attempt,
        }),
        now,
      );
    }
    const token = ++exec.state.tokenSeq;
    exec.state.wft = {
      scheduledEventId,
      attempt,
      scheduledTime: now,
      taskQueue: exec.state.taskQueue,
      token,
      transient,
    };
    this.touch(exec);
    this.enqueueWorkflowTask(exec);
  }

  private enqueueWorkflowTask(exec: Execution): void {
    const wft = exec.state.wft!;
    const task: WorkflowTask = { kind: 'wf', key: exec.key, token: wft.token };
    this.later(() => {
      // Already started (handed back inline to the worker that completed the previous task)?
      if (exec.state.wft?.token !== task.token || exec.state.wft.startedEventId !== undefined) return;
      this.workflowQueues.get(exec.state.namespace, wft.taskQueue).add(task);
    });
  }

  async pollWorkflowTask(req: Msg, signal: CancelSignal): Promise<Msg> {
    const namespace = req.namespace as string;
    this.namespaces.require(namespace);
    const queueName = required(req.taskQueue?.name as string, 'taskQueue.name');
    const queue = this.workflowQueues.get(namespace, queueName);
    const until = longPollUntil(signal, this.pollTimeoutMs);
    while (!signal.aborted && Date.now() < until) {
      const task = await queue.poll(req.identity ?? '', until - Date.now(), signal, this.now());
      if (!task) return {};
      if (signal.aborted) {
        queue.add(task);
        return {};
      }
      const res = this.tx(() => this.startWorkflowTask(task, req));
      if (res) return res;
    }
    return {};
  }

  private startWorkflowTask(task: WorkflowTask, req: Msg): Msg | undefined {
    const exec = this.executions.get(task.key);
    if (!exec) return undefined;
    if (task.kind === 'query') return this.startQueryTask(exec, task.queryId, req);
    const wft = exec.state.wft;
    if (exec.closed || !wft || wft.token !== task.token || wft.startedEventId !== undefined) {
      return undefined;
    }
    const now = this.now();
    // Nothing is written while the task runs, so the ids it will get are known now.
    if (wft.transient) wft.scheduledEventId = exec.state.nextEventId;
    wft.startedEventId = exec.state.nextEventId + (wft.transient ? 1 : 0);
    wft.startedTime = now;
    wft.identity = req.identity;
    wft.requestId = randomUUID();
    wft.token = ++exec.state.tokenSeq;
    this.touch(exec);

    const history = [...this.historyOf(exec)];
    if (wft.transient) {
      history.push({
        eventId: wft.scheduledEventId,
        eventTime: tsFromMs(wft.scheduledTime),
        ...this.wftScheduledEvent(exec, wft.attempt),
      });
    }
    history.push({ eventId: wft.startedEventId, eventTime: tsFromMs(now), ...this.wftStartedEvent(exec) });

    const messages: Msg[] = [];
    for (const u of Object.values(exec.state.updates)) {
      if (u.stage !== UpdateStage.ADMITTED) continue;
      u.deliveredInTask = wft.scheduledEventId;
      messages.push({
        id: `${u.updateId}/request`,
        protocolInstanceId: u.updateId,
        eventId: wft.startedEventId - 1,
        body: packAny('temporal.api.update.v1.Request', u.request),
      });
    }
    const queries: Record<string, Msg> = {};
    for (const q of exec.queries.values()) {
      if (q.dispatched) continue;
      q.dispatched = true;
      q.inWorkflowTask = true;
      queries[String(q.id)] = q.query;
    }
    return {
      taskToken: encodeToken(this.token(exec, 'wf', wft.scheduledEventId, wft.token)),
      workflowExecution: { workflowId: exec.state.workflowId, runId: exec.state.runId },
      workflowType: { name: exec.state.workflowType },
      previousStartedEventId: exec.state.lastWftStartedEventId,
      startedEventId: wft.startedEventId,
      attempt: wft.attempt,
      backlogCountHint: 0,
      history: { events: history },
      workflowExecutionTaskQueue: { name: exec.state.taskQueue, kind: 1 },
      scheduledTime: tsFromMs(wft.scheduledTime),
      startedTime: tsFromMs(now),
      queries,
      messages,
    };
  }

  private wftScheduledEvent(exec: Execution, attempt: number): Msg {
    return event('workflowTaskScheduled', {
      taskQueue: { name: exec.state.taskQueue, kind: 1 },
      startToCloseTimeout: durationFromMs(exec.state.workflowTaskTimeoutMs),
      attempt,
    });
  }

  private wftStartedEvent(exec: Execution): Msg {
    const wft = exec.state.wft!;
    return event('workflowTaskStarted', {
      scheduledEventId: wft.scheduledEventId,
      identity: wft.identity,
      requestId: wft.requestId,
      historySizeBytes: exec.state.historySizeBytes,
    });
  }

  token(exec: Execution, kind: TaskToken['kind'], id: number, token: number): TaskToken {
    return {
      kind,
      namespace: exec.state.namespace,
      workflowId: exec.state.workflowId,
      runId: exec.state.runId,
      id,
      token,
    };
  }

  /** Writes the Scheduled (for a transient attempt) and Started events of the running task. */
  private writeWftStart(exec: Execution): void {
    const wft = exec.state.wft!;
    if (wft.transient) exec.write(this.wftScheduledEvent(exec, wft.attempt), this.now(), wft.scheduledTime);
    exec.write(this.wftStartedEvent(exec), this.now(), wft.startedTime);
  }

  private runningWorkflowTask(taskToken: Uint8Array | undefined): Execution {
    const t = decodeToken(taskToken);
    if (!t || t.kind !== 'wf') throw invalidArgument('taskToken is not a workflow task token from this server');
    const exec = this.executions.get(executionKey(t.namespace, t.workflowId, t.runId));
    const wft = exec?.state.wft;
    if (!exec || exec.closed || !wft || wft.token !== t.token || wft.startedEventId === undefined) {
      throw notFound('Workflow task not found (it timed out, was already completed, or the workflow closed).');
    }
    return exec;
  }

  completeWorkflowTask(req: Msg): Msg {
    const exec = this.runningWorkflowTask(req.taskToken);
    const outcome = this.tx((): { error?: string; response?: Msg } => {
      this.touch(exec);
      const wft = exec.state.wft!;
      for (const [id, result] of Object.entries((req.queryResults ?? {}) as Record<string, Msg>)) {
        this.answerQuery(exec, Number(id), result);
      }
      const commands = (req.commands ?? []) as Msg[];
      const rejection = this.rejectCommands(exec, commands);
      if (rejection) {
        this.failWorkflowTask(exec, rejection.cause, { message: rejection.message, source: 'Server' }, req.identity);
        return { error: rejection.message };
      }
      if (closesOverUnseenEvents(exec, commands)) {
        // New events arrived while the workflow decided to close: it must see them first.
        this.failWorkflowTask(
          exec,
          1,
          { message: 'Workflow completed with unhandled new events', source: 'Server' },
          req.identity,
        );
        // The exact message real Temporal answers: the SDK then evicts its cached (completed) run.
        return { error: 'UnhandledCommand' };
      }
      this.writeWftStart(exec);
      const completedEventId = exec.write(
        event('workflowTaskCompleted', {
          scheduledEventId: wft.scheduledEventId,
          startedEventId: wft.startedEventId,
          identity: req.identity,
          binaryChecksum: req.binaryChecksum,
          sdkMetadata: req.sdkMetadata,
          meteringMetadata: req.meteringMetadata,
          workerVersion: req.workerVersionStamp,
        }),
        this.now(),
      );
      exec.state.lastWftStartedEventId = wft.startedEventId!;
      exec.state.wft = undefined;
      this.applyingCommands.add(exec);
      try {
        applyCompletion(this, exec, commands, (req.messages ?? []) as Msg[], completedEventId, req.identity);
      } finally {
        this.applyingCommands.delete(exec);
      }
      const woken = this.wakeAfterCommands.delete(exec);
      if (!exec.closed) {
        const hadNews = this.flushBuffered(exec) || woken;
        const undelivered = Object.values(exec.state.updates).some(
          (u) => u.stage === UpdateStage.ADMITTED && u.deliveredInTask !== wft.scheduledEventId,
        );
        if (hadNews || undelivered || req.forceCreateNewWorkflowTask) this.ensureWorkflowTask(exec);
        this.redispatchUnansweredQueries(exec);
      }
      return { response: this.handBackToCompletingWorker(exec, commands, completedEventId, req) };
    });
    if (outcome.error) throw invalidArgument(outcome.error);
    return outcome.response ?? {};
  }

  /**
   * What real Temporal hands straight back to the worker that completed a workflow task, saving it a
   * poll each: the next workflow task when one is already due (`returnNewWorkflowTask`: a signal came
   * in meanwhile), and the activities it asked to run eagerly on the workflow's own task queue. Both
   * are started here, in the completion's transaction; the copies queued for pollers are then stale
   * and never handed out (see `enqueueWorkflowTask`, `enqueueActivity`).
   */
  private handBackToCompletingWorker(exec: Execution, commands: Msg[], completedEventId: number, req: Msg): Msg {
    if (exec.closed) return {};
    const response: Msg = {};
    const wft = exec.state.wft;
    if (req.returnNewWorkflowTask && wft && !wft.transient && wft.startedEventId === undefined) {
      response.workflowTask = this.startWorkflowTask({ kind: 'wf', key: exec.key, token: wft.token }, req);
    }
    const eagerIds = new Set(
      commands
        .map((c) => c.scheduleActivityTaskCommandAttributes as Msg | undefined)
        .filter((a) => a?.requestEagerExecution)
        .map((a) => a!.activityId as string),
    );
    if (eagerIds.size > 0) {
      const activityTasks: Msg[] = [];
      for (const act of Object.values(exec.state.activities)) {
        const scheduledHere = act.scheduledEventId > completedEventId && eagerIds.has(act.activityId);
        if (!scheduledHere || act.taskQueue !== exec.state.taskQueue) continue;
        const started = startActivity(
          this,
          { key: exec.key, scheduledEventId: act.scheduledEventId, attempt: act.attempt },
          req,
        );
        if (started) activityTasks.push(started);
      }
      if (activityTasks.length > 0) response.activityTasks = activityTasks;
    }
    return response;
  }

  /** Commands the server refuses before applying any (the task then fails with `cause`). */
  private rejectCommands(exec: Execution, commands: Msg[]): { cause: number; message: string } | undefined {
    const unsupported = unsupportedCommand(commands);
    if (unsupported) return { cause: 0, message: `the devserver does not implement ${unsupported}` };
    for (const c of commands) {
      const fields = c.upsertWorkflowSearchAttributesCommandAttributes?.searchAttributes?.indexedFields;
      if (!fields) continue;
      try {
        this.namespaces.validateSearchAttributes(exec.state.namespace, fields);
      } catch (err) {
        return { cause: WFT_FAILED_BAD_SEARCH_ATTRIBUTES, message: (err as Error).message };
      }
    }
    return undefined;
  }

  /** RespondWorkflowTaskFailed and server-side task failures: the task is retried (attempt + 1). */
  failWorkflowTask(exec: Execution, cause: number, failure: Msg | undefined, identity?: string): void {
    this.touch(exec);
    const wft = exec.state.wft!;
    if (!wft.transient) {
      this.writeWftStart(exec);
      exec.write(
        event('workflowTaskFailed', {
          scheduledEventId: wft.scheduledEventId,
          startedEventId: wft.startedEventId,
          cause,
          failure,
          identity,
        }),
        this.now(),
      );
    }
    exec.state.wft = undefined;
    this.rescheduleWorkflowTask(exec, wft.attempt);
  }

  /**
   * After a failed or timed-out task: events that arrived meanwhile make the next task a normal first
   * attempt (as on real Temporal); with nothing new it is a transient retry (attempt + 1).
   */
  private rescheduleWorkflowTask(exec: Execution, failedAttempt: number): void {
    const hadNews = this.flushBuffered(exec);
    this.redispatchUnansweredQueries(exec);
    this.scheduleWorkflowTask(exec, hadNews ? 1 : failedAttempt + 1);
  }

  respondWorkflowTaskFailed(req: Msg): Msg {
    const exec = this.runningWorkflowTask(req.taskToken);
    this.tx(() => this.failWorkflowTask(exec, req.cause ?? 0, req.failure, req.identity));
    return {};
  }

  private timeoutWorkflowTask(exec: Execution): void {
    const wft = exec.state.wft!;
    this.touch(exec);
    if (!wft.transient) {
      this.writeWftStart(exec);
      exec.write(
        event('workflowTaskTimedOut', {
          scheduledEventId: wft.scheduledEventId,
          startedEventId: wft.startedEventId,
          timeoutType: TimeoutType.START_TO_CLOSE,
        }),
        this.now(),
      );
    }
    exec.state.wft = undefined;
    this.rescheduleWorkflowTask(exec, wft.attempt);
  }

  // ---- signals, cancel, terminate -----------------------------------------------------------------

  signalExecution(
    exec: Execution,
    s: { signalName: string; input?: Msg; header?: Msg; identity?: string; requestId?: string },
  ): void {
    if (s.requestId) {
      if (exec.state.signalRequestIds.includes(s.requestId)) return;
      rememberRequestId(exec.state.signalRequestIds, s.requestId);
    }
    this.addEvent(
      exec,
      event('workflowExecutionSignaled', {
        signalName: s.signalName,
        input: s.input,
        header: s.header,
        identity: s.identity,
      }),
    );
  }

  signal(req: Msg): Msg {
    const exec = this.findRunning(req.namespace, req.workflowExecution);
    const signalName = required(req.signalName as string, 'signalName');
    this.tx(() =>
      this.signalExecution(exec, {
        signalName,
        input: req.input,
        header: req.header,
        identity: req.identity,
        requestId: req.requestId,
      }),
    );
    return {};
  }

  requestCancel(exec: Execution, cause: string | undefined, identity: string | undefined, external?: Msg): void {
    if (exec.closed) throw notFound('workflow execution already completed');
    if (exec.state.cancelRequested) return;
    exec.state.cancelRequested = true;
    this.addEvent(
      exec,
      event('workflowExecutionCancelRequested', {
        cause,
        identity,
        externalInitiatedEventId: external?.initiatedEventId,
        externalWorkflowExecution: external?.execution,
      }),
    );
  }

  terminate(exec: Execution, reason: string | undefined, details: Msg | undefined, identity: string | undefined): void {
    if (exec.closed) throw notFound('workflow execution already completed');
    this.closeExecution(exec, Status.TERMINATED, event('workflowExecutionTerminated', { reason, details, identity }));
  }

  /**
   * A run failed: when the workflow has a retry policy that allows another attempt, the next run starts
   * after the backoff (as real Temporal does). Returns what the Failed event records.
   */
  retryWorkflow(exec: Execution, failure: Msg): { retryState: number; newExecutionRunId?: string } {
    const s = exec.state;
    if (!s.retryPolicy) return { retryState: RetryState.RETRY_POLICY_NOT_SET };
    const decision = decideRetry(
      normalizeRetryPolicy(s.retryPolicy),
      s.attempt,
      failure,
      this.now(),
      s.executionExpiresAt,
    );
    if (!decision.retry) return { retryState: decision.retryState };
    const started = eventAttributes(this.historyOf(exec)[0]);
    const next = this.createExecution({
      namespace: s.namespace,
      workflowId: s.workflowId,
      workflowType: s.workflowType,
      taskQueue: s.taskQueue,
      input: started.input,
      header: started.header,
      runTimeoutMs: s.runTimeoutMs,
      workflowTaskTimeoutMs: s.workflowTaskTimeoutMs,
      executionTimeoutMs: s.executionTimeoutMs,
      executionExpiresAt: s.executionExpiresAt,
      memo: s.memo,
      searchAttributes: s.searchAttributes,
      retryPolicy: s.retryPolicy,
      parent: s.parent,
      firstExecutionRunId: s.firstExecutionRunId,
      continuedExecutionRunId: s.runId,
      initiator: 2,
      continuedFailure: failure,
      startDelayMs: decision.delayMs,
      attempt: s.attempt + 1,
    });
    s.newExecutionRunId = next.state.runId;
    return { retryState: RetryState.IN_PROGRESS, newExecutionRunId: next.state.runId };
  }

  // ---- closing ------------------------------------------------------------------------------------

  /** Writes the close event and settles everything that depended on the run being open. */
  closeExecution(exec: Execution, status: number, closeEvent: Msg): void {
    this.touch(exec);
    const now = this.now();
    // A task in flight is abandoned (its Started event was never written); buffered events still count.
    if (exec.wftInFlight) exec.state.wft = undefined;
    this.flushBuffered(exec);
    exec.write(closeEvent, now);
    exec.state.status = status;
    exec.state.closeTime = now;
    exec.state.wft = undefined;
    exec.state.activities = {};
    exec.state.timers = {};
    exec.state.startDelayUntil = undefined;
    const openChildren = Object.values(exec.state.children);
    exec.state.children = {};
    for (const u of Object.values(exec.state.updates)) {
      if (u.stage !== UpdateStage.COMPLETED) delete exec.state.updates[u.updateId];
    }
    this.redispatchUnansweredQueries(exec);
    const chainContinues = status === Status.CONTINUED_AS_NEW || exec.state.newExecutionRunId !== undefined;
    if (exec.state.parent && !chainContinues) this.later(() => this.notifyParent(exec));
    this.later(() => this.applyParentClosePolicy(exec, openChildren));
  }

  private notifyParent(child: Execution): void {
    const p = child.state.parent!;
    const parent = this.executions.get(executionKey(p.namespace, p.workflowId, p.runId));
    const record = parent?.state.children[p.initiatedEventId];
    if (!parent || parent.closed || !record) return;
    const closeAttrs = eventAttributes(this.historyOf(child).at(-1)!);
    const startedEvent = this.historyOf(parent).find(
      (ev) => ev.childWorkflowExecutionStartedEventAttributes?.initiatedEventId === p.initiatedEventId,
    );
    const common = {
      namespace: child.state.namespace,
      workflowExecution: { workflowId: child.state.workflowId, runId: child.state.runId },
      workflowType: { name: child.state.workflowType },
      initiatedEventId: p.initiatedEventId,
      startedEventId: startedEvent?.eventId ?? 0,
    };
    const byStatus: Record<number, [string, Msg]> = {
      [Status.COMPLETED]: ['childWorkflowExecutionCompleted', { result: closeAttrs.result }],
      [Status.FAILED]: [
        'childWorkflowExecutionFailed',
        { failure: closeAttrs.failure, retryState: closeAttrs.retryState },
      ],
      [Status.CANCELED]: ['childWorkflowExecutionCanceled', { details: closeAttrs.details }],
      [Status.TERMINATED]: ['childWorkflowExecutionTerminated', {}],
      [Status.TIMED_OUT]: ['childWorkflowExecutionTimedOut', { retryState: closeAttrs.retryState }],
    };
    const [kind, attrs] = byStatus[child.state.status];
    delete parent.state.children[p.initiatedEventId];
    this.addEvent(parent, event(kind, { ...common, ...attrs }));
  }

  private applyParentClosePolicy(parent: Execution, children: ExecState['children'][number][]): void {
    for (const c of children) {
      if (!c.runId || c.parentClosePolicy === ParentClosePolicy.ABANDON) continue;
      const child = this.executions.get(executionKey(c.namespace, c.workflowId, c.runId));
      const current = child && !child.closed ? child : this.latest(c.namespace, c.workflowId);
      if (!current || current.closed || current.state.firstExecutionRunId !== child?.state.firstExecutionRunId)
        continue;
      if (c.parentClosePolicy === ParentClosePolicy.REQUEST_CANCEL) {
        this.requestCancel(current, 'parent closed (parent close policy REQUEST_CANCEL)', undefined);
      } else {
        this.terminate(current, 'parent closed (parent close policy TERMINATE)', undefined, undefined);
      }
    }
    void parent;
  }

  // ---- deadlines ----------------------------------------------------------------------------------

  private nextDeadline(s: ExecState): number | undefined {
    if (s.status !== Status.RUNNING) return undefined;
    const times: (number | undefined)[] = [s.runExpiresAt, s.executionExpiresAt, s.startDelayUntil];
    for (const t of Object.values(s.timers)) times.push(t.fireAt);
    for (const a of Object.values(s.activities)) times.push(...activityDeadlines(a).map((d) => d.at));
    if (s.wft?.startedTime !== undefined) times.push(s.wft.startedTime + s.workflowTaskTimeoutMs);
    const defined = times.filter((t): t is number => t !== undefined);
    return defined.length ? Math.min(...defined) : undefined;
  }

  private armDeadline(exec: Execution): void {
    const at = this.nextDeadline(exec.state);
    const key = `deadline:${exec.key}`;
    if (at === undefined) this.clock.cancel(key);
    else this.clock.schedule(key, at, () => this.onDeadline(exec));
  }

  private onDeadline(exec: Execution): void {
    this.tx(() => {
      this.touch(exec);
      const now = this.now();
      const s = exec.state;
      if (s.status !== Status.RUNNING) return;
      if (
        (s.executionExpiresAt !== undefined && s.executionExpiresAt <= now) ||
        (s.runExpiresAt !== undefined && s.runExpiresAt <= now)
      ) {
        this.closeExecution(
          exec,
          Status.TIMED_OUT,
          event('workflowExecutionTimedOut', { retryState: RetryState.RETRY_POLICY_NOT_SET }),
        );
        return;
      }
      if (s.startDelayUntil !== undefined && s.startDelayUntil <= now) {
        s.startDelayUntil = undefined;
        this.ensureWorkflowTask(exec);
      }
      const dueTimers = Object.entries(s.timers)
        .filter(([, t]) => t.fireAt <= now)
        .sort((a, b) => a[1].fireAt - b[1].fireAt);
      for (const [timerId, t] of dueTimers) {
        delete s.timers[timerId];
        this.addEvent(exec, event('timerFired', { timerId, startedEventId: t.startedEventId }));
      }
      for (const act of Object.values(s.activities)) {
        const due = activityDeadlines(act).find((d) => d.at <= now);
        if (!due) continue;
        if (due.kind === 'retry') {
          act.retryAt = undefined;
          act.attemptScheduledTime = now;
          enqueueActivity(this, exec, act);
        } else {
          activityTimedOut(this, exec, act, due.kind);
        }
      }
      if (s.wft?.startedTime !== undefined && s.wft.startedTime + s.workflowTaskTimeoutMs <= now)
        this.timeoutWorkflowTask(exec);
    });
  }

  // ---- queries ------------------------------------------------------------------------------------

  query(req: Msg, signal: CancelSignal): Promise<Msg> {
    const exec = this.find(req.namespace, req.execution);
    const query = required(req.query as Msg, 'query');
    required(query.queryType as string, 'query.queryType');
    if (req.queryRejectCondition === 2 && exec.closed)
      return Promise.resolve({ queryRejected: { status: exec.state.status } });
    if (req.queryRejectCondition === 3 && exec.closed && exec.state.status !== Status.COMPLETED) {
      return Promise.resolve({ queryRejected: { status: exec.state.status } });
    }
    return new Promise<Msg>((resolve, reject) => {
      const id = ++this.querySeq;
      const timer = setTimeout(
        () =>
          finish({
            abort: deadlineExceeded(
              `query ${query.queryType} got no answer within ${this.queryTimeoutMs / 1000} s: is a worker polling task queue ${exec.state.taskQueue}?`,
            ),
          }),
        this.queryTimeoutMs,
      );
      const onAbort = () => finish({ abort: cancelled('query cancelled by the caller') });
      const finish = (r: { answer?: Msg; error?: string; abort?: ServiceError }) => {
        clearTimeout(timer);
        clearTimeout(pending.redeliveryTimer);
        signal.removeEventListener('abort', onAbort);
        exec.queries.delete(id);
        if (r.abort) reject(r.abort);
        else if (r.error !== undefined) reject(invalidArgument(r.error));
        else resolve({ queryResult: r.answer });
      };
      const pending: PendingQuery = {
        id,
        query,
        resolve: finish,
        dispatched: false,
        inWorkflowTask: false,
        redelivered: false,
      };
      signal.addEventListener('abort', onAbort);
      exec.queries.set(id, pending);
      this.dispatchQueries(exec);
    });
  }

  /** Queries go with the next workflow task, or as a query-only task when none is pending. */
  private dispatchQueries(exec: Execution): void {
    if (exec.state.wft) return;
    for (const q of exec.queries.values()) {
      if (q.dispatched) continue;
      q.dispatched = true;
      const task: WorkflowTask = { kind: 'query', key: exec.key, queryId: q.id };
      this.workflowQueues.get(exec.state.namespace, exec.state.taskQueue).add(task);
    }
  }

  /** Queries a workflow task carried but did not answer (it failed or timed out) go out again. */
  private redispatchUnansweredQueries(exec: Execution): void {
    for (const q of exec.queries.values()) {
      // A query task of its own is still the worker's to answer: sending it again would duplicate it.
      if (!q.inWorkflowTask) continue;
      q.dispatched = false;
      q.inWorkflowTask = false;
    }
    this.later(() => this.dispatchQueries(exec));
  }

  private startQueryTask(exec: Execution, queryId: number, req: Msg): Msg | undefined {
    const q = exec.queries.get(queryId);
    if (!q) return undefined;
    if (exec.state.wft) {
      // A workflow task was scheduled after this query task was queued. The query task's history would
      // carry events the worker has not processed yet (the SDK then applies them as a workflow task of
      // its own and fails the real one as nondeterministic). As on real Temporal the query waits: it
      // rides that task if it has not started yet, else goes out when it completes.
      q.dispatched = false;
      return undefined;
    }
    const history = this.historyOf(exec);
    clearTimeout(q.redeliveryTimer);
    q.redeliveryTimer = setTimeout(() => this.redeliverQueryTask(exec, q), this.queryRedeliveryMs);
    return {
      taskToken: encodeToken(this.token(exec, 'query', queryId, 0)),
      workflowExecution: { workflowId: exec.state.workflowId, runId: exec.state.runId },
      workflowType: { name: exec.state.workflowType },
      previousStartedEventId: exec.state.lastWftStartedEventId,
      // No started event, as on real Temporal: that is how the SDK tells a query-only task from a
      // workflow task. With one it queues the query as a workflow task, and a later task replaces it
      // unanswered (the caller then waits for the query timeout).
      attempt: 1,
      history: { events: history },
      query: q.query,
      workflowExecutionTaskQueue: { name: exec.state.taskQueue, kind: 1 },
      scheduledTime: tsFromMs(this.now()),
      startedTime: tsFromMs(this.now()),
      identity: req.identity,
    };
  }

  /**
   * A query task of its own that got no answer in time goes out again (until the query times out):
   * the SDK drops query tasks for a run it is evicting (just completed), without answering them.
   */
  private redeliverQueryTask(exec: Execution, q: PendingQuery): void {
    if (exec.queries.get(q.id) !== q || !q.dispatched || q.inWorkflowTask) return;
    q.dispatched = false;
    q.redelivered = true;
    this.dispatchQueries(exec);
  }

  answerQuery(exec: Execution, queryId: number, result: Msg): void {
    const q = exec.queries.get(queryId);
    if (!q) return;
    if (q.redelivered) this.rememberAnswered(queryId);
    if (result.resultType === 1) q.resolve({ answer: result.answer });
    else q.resolve({ error: result.errorMessage || result.failure?.message || 'query failed' });
  }

  /** Remembered as long as the query could have lived, so the memory stays bounded. */
  private rememberAnswered(queryId: number): void {
    this.answeredRedeliveredQueries.add(queryId);
    setTimeout(() => this.answeredRedeliveredQueries.delete(queryId), this.queryTimeoutMs).unref();
  }

  respondQueryTaskCompleted(req: Msg): Msg {
    const t = decodeToken(req.taskToken);
    if (!t || t.kind !== 'query') throw invalidArgument('taskToken is not a query task token from this server');
    // The first answer won; this one comes from another copy of the same redelivered query task.
    if (this.answeredRedeliveredQueries.has(t.id)) return {};
    const exec = this.executions.get(executionKey(t.namespace, t.workflowId, t.runId));
    if (!exec || !exec.queries.has(t.id)) throw notFound('Query not found (it timed out or was cancelled).');
    this.answerQuery(exec, t.id, {
      resultType: req.completedType,
      answer: req.queryResult,
      errorMessage: req.errorMessage,
      failure: req.failure,
    });
    return {};
  }

  /** Ends every outstanding long poll (server shutdown). */
  shutdown(): void {
    this.workflowQueues.drainAll();
    this.activityQueues.drainAll();
    for (const exec of this.executions.values()) {
      exec.notifyChange();
      for (const q of exec.queries.values()) q.resolve({ abort: unavailable('the devserver is shutting down') });
    }
  }
}

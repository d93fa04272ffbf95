// The pages of a stock Temporal UI (github.com/temporalio/ui), issued as the exact WorkflowService /
// OperatorService calls its server makes — its HTTP routes map one to one onto these RPCs through
// grpc-gateway (see devserver/README.md, "Temporal UI") — with the UI's request shapes, against
// completed, running (pending activity retry, pending timer) and failed workflows. Each assertion is
// on a field the UI reads.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { startHarness, uniqueId, type Harness } from './helpers';
import { counter, failing, goSignal, greet, hourlyRetry, parent, signalFlow, summarized } from './fixtures/workflows';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payload = temporal.api.common.v1.IPayload;

const NAMESPACE = 'default';
const Status = { RUNNING: 1, COMPLETED: 2, FAILED: 3, CONTINUED_AS_NEW: 6 } as const;
const EventType = {
  WORKFLOW_EXECUTION_STARTED: 1,
  WORKFLOW_EXECUTION_COMPLETED: 2,
  WORKFLOW_EXECUTION_FAILED: 3,
  TIMER_STARTED: 17,
  WORKFLOW_EXECUTION_SIGNALED: 26,
} as const;
const TaskQueueType = { WORKFLOW: 1, ACTIVITY: 2, NEXUS: 3 } as const;

const num = (v: unknown): number => Number(v ?? 0);
const ms = (ts: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  num(ts?.seconds) * 1000 + (ts?.nanos ?? 0) / 1e6;
const eventIds = (events: HistoryEvent[]) => events.map((e) => num(e.eventId));
const json = (p: Payload | null | undefined): unknown => JSON.parse(Buffer.from(p?.data ?? []).toString('utf8'));
const hasToken = (t: Uint8Array | null | undefined) => (t?.length ?? 0) > 0;

/** The UI's version check (utilities/version-check.ts): dotted numbers compared one by one. */
function uiMinimumVersionRequired(minimum: string, current: string): boolean {
  const [a, b] = [minimum, current].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return b[i] > a[i];
  return true;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const got = await probe();
    if (got !== undefined) return got;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('Temporal UI pages against the devserver', () => {
  let h: Harness;
  let completed: WorkflowHandle;
  let failed: WorkflowHandle;
  let retrying: WorkflowHandle; // a pending activity waiting out its retry backoff
  let waiting: WorkflowHandle; // a pending timer (condition with timeout), until signalled
  let family: WorkflowHandle; // parent with one child
  let continued: WorkflowHandle; // three runs through continue-as-new
  let raising: WorkflowHandle; // parent whose child is still running (its activity has no worker)
  let raisingChild: WorkflowHandle;
  let workflowsOnly: { queue: string; worker: Worker; running: Promise<void> };
  let all: WorkflowHandle[];
  let startedAfter: Date;

  const svc = () => h.connection.workflowService;
  const execution = (wf: WorkflowHandle, runId?: string) => ({ workflowId: wf.workflowId, runId: runId ?? '' });
  const describeRun = async (wf: WorkflowHandle) =>
    svc().describeWorkflowExecution({ namespace: NAMESPACE, execution: execution(wf) });
  const runIdOf = async (wf: WorkflowHandle) => (await wf.describe()).runId;
  const fullHistory = async (wf: WorkflowHandle) => (await wf.fetchHistory()).events ?? [];

  /** Pages through GetWorkflowExecutionHistory(Reverse) as the UI's paginated() helper does. */
  async function allPages(
    rpc: 'getWorkflowExecutionHistory' | 'getWorkflowExecutionHistoryReverse',
    wf: WorkflowHandle,
    maximumPageSize?: number,
  ): Promise<{ pages: HistoryEvent[][]; events: HistoryEvent[] }> {
    const pages: HistoryEvent[][] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const res = await svc()[rpc]({
        namespace: NAMESPACE,
        execution: execution(wf, await runIdOf(wf)),
        maximumPageSize,
        nextPageToken,
        waitNewEvent: false,
      });
      pages.push(res.history?.events ?? []);
      nextPageToken = hasToken(res.nextPageToken) ? res.nextPageToken! : undefined;
    } while (nextPageToken && pages.length < 1000);
    return { pages, events: pages.flat() };
  }

  before(async () => {
    h = await startHarness();
    startedAfter = new Date(Date.now() - 1000);
    // A worker without activities polls workflow tasks only: a child's activity there never runs.
    const queue = uniqueId('ui-workflows-only');
    const worker = await Worker.create({
      connection: h.nativeConnection,
      taskQueue: queue,
      workflowBundle: h.workflowBundle,
    });
    workflowsOnly = { queue, worker, running: worker.run() };
    const start = <A extends unknown[]>(
      fn: (...args: A) => Promise<unknown>,
      prefix: string,
      args: A,
      taskQueue = h.taskQueue,
    ) => h.client.workflow.start(fn, { taskQueue, workflowId: uniqueId(prefix), args });
    completed = await h.client.workflow.start(greet, {
      taskQueue: h.taskQueue,
      workflowId: uniqueId('ui-done'),
      args: ['ui'],
      staticSummary: 'UI summary',
      staticDetails: 'UI **details**',
    });
    failed = await start(failing, 'ui-failed', ['boom']);
    retrying = await start(hourlyRetry, 'ui-retrying', []);
    waiting = await start(signalFlow, 'ui-waiting', [3_600_000]);
    family = await start(parent, 'ui-parent', ['kid']);
    continued = await start(counter, 'ui-can', [0, 2]);
    raising = await start(parent, 'ui-raising', ['pending'], queue);
    raisingChild = h.client.workflow.getHandle(`${raising.workflowId}-child`);
    all = [completed, failed, retrying, waiting, family, continued, raising, raisingChild];
    await completed.result();
    await assert.rejects(failed.result(), (err: Error) => (err.cause as Error | undefined)?.message === 'boom');
    await family.result();
    await continued.result();
    await until('the activity retry backoff', async () => {
      const pending = (await describeRun(retrying)).pendingActivities ?? [];
      return pending[0]?.attempt === 2 ? true : undefined;
    });
    await until('the running child', async () => {
      const [child] = (await describeRun(raising)).pendingChildren ?? [];
      return child?.runId ? true : undefined;
    });
    await until('the condition timer', async () => {
      const events = await fullHistory(waiting);
      return events.some((e) => e.eventType === EventType.TIMER_STARTED) ? true : undefined;
    });
  });

  after(async () => {
    workflowsOnly?.worker.shutdown();
    await workflowsOnly?.running;
    await h?.close();
  });

  it('app shell: GetClusterInfo, GetSystemInfo, ListNamespaces, DescribeNamespace, ListSearchAttributes', async () => {
    const cluster = await svc().getClusterInfo({});
    // The UI gates features on serverVersion with numeric comparisons (>= 1.23 lists child workflows).
    assert.match(cluster.serverVersion ?? '', /^\d+\.\d+\.\d+$/);
    assert.ok(uiMinimumVersionRequired('1.23.0', cluster.serverVersion!));
    assert.ok(cluster.visibilityStore);
    const system = await svc().getSystemInfo({});
    assert.equal(system.serverVersion, cluster.serverVersion);
    assert.equal(system.capabilities?.nexus, false, 'no Nexus pages');
    assert.equal(system.capabilities?.countGroupByExecutionStatus, true);

    const list = await svc().listNamespaces({});
    assert.ok(!hasToken(list.nextPageToken));
    const fromList = list.namespaces?.find((n) => n.namespaceInfo?.name === NAMESPACE);
    const described = await svc().describeNamespace({ namespace: NAMESPACE });
    for (const ns of [fromList, described]) {
      assert.equal(ns?.namespaceInfo?.state, 1, 'REGISTERED');
      assert.ok(ns?.namespaceInfo?.id);
      assert.ok(num(ns?.config?.workflowExecutionRetentionTtl?.seconds) > 0);
      // Archival is not implemented: DISABLED makes the UI's Archive page say so instead of listing.
      assert.equal(ns?.config?.historyArchivalState, 1);
      assert.equal(ns?.config?.visibilityArchivalState, 1);
      // The UI calls worker-heartbeat and task-failure RPCs only for namespaces that advertise them.
      assert.ok(!ns?.namespaceInfo?.capabilities?.workerHeartbeats);
      assert.ok(!ns?.namespaceInfo?.capabilities?.reportedProblemsSearchAttribute);
    }

    const attrs = await h.connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
    const Keyword = 2;
    const Datetime = 6;
    assert.equal(attrs.systemAttributes?.WorkflowType, Keyword);
    assert.equal(attrs.systemAttributes?.ExecutionStatus, Keyword);
    assert.equal(attrs.systemAttributes?.StartTime, Datetime);
    assert.equal(attrs.customAttributes?.ScenarioName, Keyword);
  });

  it('workflows page: ListWorkflowExecutions (no query, pageSize 100) and status counts (GROUP BY ExecutionStatus)', async () => {
    const page = await svc().listWorkflowExecutions({ namespace: NAMESPACE, pageSize: 100, nextPageToken: undefined });
    const rows = page.executions ?? [];
    assert.ok(!hasToken(page.nextPageToken));
    // 7 started + 2 children + 2 earlier runs of the continue-as-new chain.
    assert.equal(rows.length, 11);
    // Open runs first, then the most recently closed (Temporal's default order).
    const statuses = rows.map((r) => r.status);
    assert.deepEqual(statuses.slice(0, 4), Array(4).fill(Status.RUNNING));
    const closeTimes = rows.slice(4).map((r) => ms(r.closeTime));
    assert.deepEqual(
      closeTimes,
      [...closeTimes].sort((a, b) => b - a),
    );
    for (const wf of all) {
      const row = rows.find((r) => r.execution?.workflowId === wf.workflowId && r.status !== Status.CONTINUED_AS_NEW);
      const d = await wf.describe();
      assert.ok(row, `${wf.workflowId} is listed`);
      assert.equal(row.execution?.runId, d.runId);
      assert.equal(row.type?.name, d.type);
      assert.equal(row.taskQueue, d.taskQueue);
      assert.equal(ms(row.startTime), d.startTime.getTime());
      assert.equal(num(row.historyLength), d.historyLength);
      assert.ok(num(row.historySizeBytes) > 0);
      if (d.status.name === 'RUNNING') assert.equal(row.closeTime, null);
      else assert.ok(ms(row.closeTime) >= ms(row.startTime));
    }

    // The UI's per-page pagination: every run exactly once.
    const seen: string[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const res = await svc().listWorkflowExecutions({ namespace: NAMESPACE, pageSize: 4, nextPageToken });
      assert.ok((res.executions?.length ?? 0) <= 4);
      seen.push(...(res.executions ?? []).map((e) => e.execution!.runId!));
      nextPageToken = hasToken(res.nextPageToken) ? res.nextPageToken! : undefined;
    } while (nextPageToken);
    assert.deepEqual(
      seen,
      rows.map((r) => r.execution!.runId!),
    );

    // status-counts.svelte: "GROUP BY ExecutionStatus" alone when there is no filter, else appended.
    const countsBy = async (query: string) => {
      const res = await svc().countWorkflowExecutions({ namespace: NAMESPACE, query });
      const groups = Object.fromEntries((res.groups ?? []).map((g) => [json(g.groupValues?.[0]), num(g.count)]));
      return { count: num(res.count), groups };
    };
    assert.deepEqual(await countsBy('GROUP BY ExecutionStatus'), {
      count: 11,
      groups: { Running: 4, Completed: 4, Failed: 1, ContinuedAsNew: 2 },
    });
    assert.deepEqual(await countsBy('`WorkflowType` STARTS_WITH "gre" GROUP BY ExecutionStatus'), {
      count: 3,
      groups: { Completed: 2, Running: 1 },
    });
    assert.equal(num((await svc().countWorkflowExecutions({ namespace: NAMESPACE, query: '' })).count), 11);
    await assert.rejects(
      svc().listWorkflowExecutions({ namespace: NAMESPACE, query: 'GROUP BY ExecutionStatus' }),
      /GROUP BY is only supported by CountWorkflowExecutions/,
    );
  });

  it('workflows page filters: the query forms the UI builds', async () => {
    const idsFor = async (query: string) =>
      ((await svc().listWorkflowExecutions({ namespace: NAMESPACE, pageSize: 100, query })).executions ?? [])
        .map((e) => e.execution!.workflowId!)
        .sort();
    const running = [retrying.workflowId, waiting.workflowId, raising.workflowId, raisingChild.workflowId].sort();
    assert.deepEqual(await idsFor('`ExecutionStatus`="Running"'), running);
    assert.deepEqual(await idsFor('`CloseTime` is null'), running);
    assert.deepEqual(await idsFor('`ExecutionStatus`="Failed"'), [failed.workflowId]);
    assert.deepEqual(await idsFor(`\`WorkflowType\`="greet" AND \`WorkflowId\`="${completed.workflowId}"`), [
      completed.workflowId,
    ]);
    assert.equal((await idsFor(`StartTime > "${startedAfter.toISOString()}"`)).length, 11);
    assert.deepEqual(await idsFor(`StartTime > "${new Date(Date.now() + 60_000).toISOString()}"`), []);
    // ExecutionDuration, as the UI writes it: a duration string or integer nanoseconds.
    assert.equal((await idsFor('`ExecutionDuration`<"1h"')).length, 7);
    assert.equal((await idsFor('`ExecutionDuration`>0')).length, 7);
    assert.deepEqual(await idsFor('`ExecutionDuration`>"1h"'), []);
  });

  it('filter builder: every search attribute the UI offers can be filtered on', async () => {
    const attrs = await h.connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
    const names = [...Object.keys(attrs.systemAttributes ?? {}), ...Object.keys(attrs.customAttributes ?? {})];
    assert.ok(names.length > 10);
    for (const name of names) {
      // The UI's null check works for every type ("`Name` is not null").
      const res = await svc().countWorkflowExecutions({ namespace: NAMESPACE, query: `\`${name}\` is not null` });
      assert.ok(num(res.count) <= 11, name);
    }
  });

  it('workflow page by id: the latest run comes first (WorkflowId="…", pageSize 1)', async () => {
    const res = await svc().listWorkflowExecutions({
      namespace: NAMESPACE,
      query: `WorkflowId="${continued.workflowId}"`,
      pageSize: 1,
    });
    assert.equal(res.executions?.length, 1);
    assert.equal(res.executions?.[0].execution?.runId, await runIdOf(continued));
    assert.equal(res.executions?.[0].status, Status.COMPLETED);
    assert.ok(hasToken(res.nextPageToken), 'two earlier runs follow');
  });

  it('relationships: rootExecution, children by ParentWorkflowId/ParentRunId, the tree by RootWorkflowId/RootRunId', async () => {
    const parentRunId = await runIdOf(family);
    const childId = `${family.workflowId}-child`;
    const children = await svc().listWorkflowExecutions({
      namespace: NAMESPACE,
      query: `ParentWorkflowId = "${family.workflowId}" AND ParentRunId = "${parentRunId}"`,
    });
    assert.deepEqual(
      children.executions?.map((e) => e.execution?.workflowId),
      [childId],
    );
    const child = await svc().describeWorkflowExecution({ namespace: NAMESPACE, execution: { workflowId: childId } });
    const info = child.workflowExecutionInfo;
    assert.deepEqual(
      { workflowId: info?.parentExecution?.workflowId, runId: info?.parentExecution?.runId },
      { workflowId: family.workflowId, runId: parentRunId },
    );
    assert.ok(info?.parentNamespaceId);
    assert.deepEqual(
      { workflowId: info?.rootExecution?.workflowId, runId: info?.rootExecution?.runId },
      { workflowId: family.workflowId, runId: parentRunId },
    );
    const root = (await describeRun(family)).workflowExecutionInfo?.rootExecution;
    assert.deepEqual(
      { workflowId: root?.workflowId, runId: root?.runId },
      { workflowId: family.workflowId, runId: parentRunId },
    );

    const tree = `RootWorkflowId = "${family.workflowId}" AND RootRunId = "${parentRunId}"`;
    const count = await svc().countWorkflowExecutions({
      namespace: NAMESPACE,
      query: `${tree} GROUP BY ExecutionStatus`,
    });
    assert.equal(num(count.count), 2);
    const members = await svc().listWorkflowExecutions({ namespace: NAMESPACE, query: tree });
    assert.deepEqual(
      members.executions?.map((e) => e.execution?.workflowId).sort(),
      [family.workflowId, childId].sort(),
    );
    // A top-level workflow is its own root, and has no parent.
    const top = await svc().listWorkflowExecutions({
      namespace: NAMESPACE,
      query: `RootWorkflowId = "${completed.workflowId}" AND ParentWorkflowId is null`,
    });
    assert.deepEqual(
      top.executions?.map((e) => e.execution?.workflowId),
      [completed.workflowId],
    );
  });

  it('workflow page header: DescribeWorkflowExecution of completed, failed and running runs', async () => {
    for (const [wf, status, type] of [
      [completed, Status.COMPLETED, 'greet'],
      [failed, Status.FAILED, 'failing'],
      [waiting, Status.RUNNING, 'signalFlow'],
    ] as const) {
      const d = await svc().describeWorkflowExecution({
        namespace: NAMESPACE,
        execution: execution(wf, await runIdOf(wf)),
      });
      const info = d.workflowExecutionInfo;
      assert.equal(info?.status, status);
      assert.equal(info?.type?.name, type);
      assert.equal(info?.execution?.workflowId, wf.workflowId);
      assert.equal(d.executionConfig?.taskQueue?.name, h.taskQueue);
      assert.ok(d.executionConfig?.defaultWorkflowTaskTimeout);
      assert.equal(num(info?.historyLength), (await fullHistory(wf)).length);
      assert.ok(ms(info?.executionTime) >= ms(info?.startTime));
      assert.ok(num(info?.stateTransitionCount) > 0);
      if (wf === completed) {
        // The header's summary and details (the SDK's staticSummary / staticDetails).
        assert.equal(json(d.executionConfig?.userMetadata?.summary), 'UI summary');
        assert.equal(json(d.executionConfig?.userMetadata?.details), 'UI **details**');
        assert.equal(await (await completed.describe()).staticSummary(), 'UI summary');
      } else {
        assert.equal(d.executionConfig?.userMetadata?.summary ?? undefined, undefined);
      }
      if (status === Status.RUNNING) {
        assert.equal(info?.closeTime, null);
        assert.deepEqual(d.pendingActivities, []);
        assert.equal(d.pendingWorkflowTask, null, 'the worker is idle: no workflow task pending');
      } else {
        assert.ok(ms(info?.closeTime) >= ms(info?.startTime));
        assert.ok(info?.executionDuration);
      }
    }
  });

  it('pending activities tab: an activity waiting out its retry backoff', async () => {
    const d = await describeRun(retrying);
    assert.equal(d.workflowExecutionInfo?.status, Status.RUNNING);
    assert.equal(d.pendingActivities?.length, 1);
    const [act] = d.pendingActivities!;
    assert.equal(act.activityType?.name, 'flaky');
    assert.ok(act.activityId);
    assert.equal(act.state, 1, 'SCHEDULED (waiting for its next attempt)');
    assert.equal(act.attempt, 2);
    assert.equal(act.maximumAttempts, 3);
    assert.match(act.lastFailure?.message ?? '', /attempt 1 failed/);
    assert.ok(act.lastWorkerIdentity);
    const history = await fullHistory(retrying);
    const now = Date.now();
    assert.ok(ms(act.nextAttemptScheduleTime) > now + 30 * 60_000, 'the next attempt is about an hour away');
    // The failed attempt: when it started and ended, and the backoff chosen then (an hour).
    assert.ok(act.lastStartedTime && act.lastAttemptCompleteTime && act.currentRetryInterval);
    assert.ok(ms(act.lastStartedTime) <= ms(act.lastAttemptCompleteTime));
    assert.ok(ms(act.lastAttemptCompleteTime) <= now);
    assert.equal(ms(act.currentRetryInterval), 3_600_000);
    // The UI pairs a pending activity with its ActivityTaskScheduled event by activityId.
    const scheduled = history.find((e) => e.activityTaskScheduledEventAttributes?.activityId === act.activityId);
    assert.ok(scheduled, 'its ActivityTaskScheduled event is in the history');
  });

  it('pending children: the parent lists its running child, the child points back at its parent and root', async () => {
    const d = await describeRun(raising);
    assert.equal(d.workflowExecutionInfo?.status, Status.RUNNING);
    assert.equal(d.pendingChildren?.length, 1);
    const [child] = d.pendingChildren!;
    assert.equal(child.workflowId, raisingChild.workflowId);
    assert.equal(child.runId, await runIdOf(raisingChild));
    assert.equal(child.workflowTypeName, 'greet');
    assert.equal(child.parentClosePolicy, 1, 'TERMINATE');
    const initiated = (await fullHistory(raising)).find((e) => num(e.eventId) === num(child.initiatedId));
    assert.equal(initiated?.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId, child.workflowId);
    const c = await describeRun(raisingChild);
    assert.equal(c.workflowExecutionInfo?.parentExecution?.workflowId, raising.workflowId);
    assert.equal(c.workflowExecutionInfo?.rootExecution?.workflowId, raising.workflowId);
    assert.equal(c.pendingActivities?.[0]?.activityType?.name, 'echo');
    assert.equal(c.pendingActivities?.[0]?.state, 1, 'SCHEDULED: no activity worker on that queue');
    assert.equal(c.pendingActivities?.[0]?.nextAttemptScheduleTime, null, 'not in a retry backoff');
    // The workers tab of that queue: a workflow poller only.
    const byType = await Promise.all(
      [TaskQueueType.WORKFLOW, TaskQueueType.ACTIVITY].map((taskQueueType) =>
        svc().describeTaskQueue({ namespace: NAMESPACE, taskQueue: { name: workflowsOnly.queue }, taskQueueType }),
      ),
    );
    assert.ok((byType[0].pollers?.length ?? 0) > 0);
    assert.deepEqual(byType[1].pollers, []);
  });

  it('workers tab: DescribeTaskQueue per task queue type, merged by poller identity', async () => {
    const describeQueue = (taskQueueType: number) =>
      svc().describeTaskQueue({ namespace: NAMESPACE, taskQueue: { name: h.taskQueue, kind: 1 }, taskQueueType });
    const [wf, act, nexus] = await Promise.all(
      [TaskQueueType.WORKFLOW, TaskQueueType.ACTIVITY, TaskQueueType.NEXUS].map(describeQueue),
    );
    for (const res of [wf, act]) {
      assert.ok((res.pollers?.length ?? 0) > 0);
      for (const p of res.pollers ?? []) {
        assert.ok(p.identity);
        assert.ok(ms(p.lastAccessTime) > 0);
      }
    }
    assert.deepEqual(nexus.pollers, [], 'no Nexus pollers');
    // reducePollerTypes: the one worker shows up once, polling workflow and activity tasks.
    const types = new Map<string, string[]>();
    for (const [res, type] of [
      [wf, 'WORKFLOW'],
      [act, 'ACTIVITY'],
      [nexus, 'NEXUS'],
    ] as const) {
      for (const p of res.pollers ?? []) types.set(p.identity!, [...(types.get(p.identity!) ?? []), type]);
    }
    assert.deepEqual([...types.values()], [['WORKFLOW', 'ACTIVITY']]);
    const unpolled = await svc().describeTaskQueue({
      namespace: NAMESPACE,
      taskQueue: { name: uniqueId('nobody') },
      taskQueueType: TaskQueueType.ACTIVITY,
    });
    assert.deepEqual(unpolled.pollers, []);
  });

  it('history: first event, bidirectional pages, history.json, all in event order', async () => {
    for (const [wf, lastType] of [
      [completed, EventType.WORKFLOW_EXECUTION_COMPLETED],
      [failed, EventType.WORKFLOW_EXECUTION_FAILED],
      [retrying, undefined],
      [waiting, EventType.TIMER_STARTED],
    ] as const) {
      const expected = await fullHistory(wf);
      const n = expected.length;
      const ids = Array.from({ length: n }, (_, i) => i + 1);

      // fetchInitialEvent: ascending, maximumPageSize 1.
      const first = await svc().getWorkflowExecutionHistory({
        namespace: NAMESPACE,
        execution: execution(wf, await runIdOf(wf)),
        maximumPageSize: 1,
      });
      assert.deepEqual(eventIds(first.history?.events ?? []), [1]);
      assert.equal(first.history?.events?.[0].eventType, EventType.WORKFLOW_EXECUTION_STARTED);
      assert.equal(
        first.history?.events?.[0].workflowExecutionStartedEventAttributes?.workflowType?.name,
        (await wf.describe()).type,
      );
      assert.ok(hasToken(first.nextPageToken));

      // fetchBidirectional: ascending and descending cursors (small pages to cross page boundaries).
      const forward = await allPages('getWorkflowExecutionHistory', wf, 3);
      assert.deepEqual(eventIds(forward.events), ids);
      assert.ok(forward.pages.slice(0, -1).every((p) => p.length === 3));
      assert.deepEqual(forward.events, expected);
      const reverse = await allPages('getWorkflowExecutionHistoryReverse', wf, 3);
      assert.deepEqual(eventIds(reverse.events), [...ids].reverse());
      assert.deepEqual([...reverse.events].reverse(), expected);
      if (lastType !== undefined) assert.equal(reverse.events[0].eventType, lastType);

      // history.json (the UI server's raw history): no page size, follow tokens to the end.
      assert.deepEqual((await allPages('getWorkflowExecutionHistory', wf)).events, expected);
      const onePage = await allPages('getWorkflowExecutionHistory', wf, 1000);
      assert.equal(onePage.pages.length, 1);
      const newestFirst = await allPages('getWorkflowExecutionHistoryReverse', wf, 1000);
      assert.equal(newestFirst.pages.length, 1);
    }
    const failure = (await fullHistory(failed)).at(-1)?.workflowExecutionFailedEventAttributes?.failure;
    assert.equal(failure?.message, 'boom');
  });

  it('workflow metadata and stack trace: the UI queries __temporal_workflow_metadata and __stack_trace', async () => {
    const query = (queryType: string) =>
      svc().queryWorkflow({ namespace: NAMESPACE, execution: execution(waiting, ''), query: { queryType } });
    const metadata = json((await query('__temporal_workflow_metadata')).queryResult?.payloads?.[0]) as {
      definition?: { type?: string; queryDefinitions?: { name: string }[]; signalDefinitions?: { name: string }[] };
    };
    assert.equal(metadata.definition?.type, 'signalFlow');
    assert.ok(metadata.definition?.queryDefinitions?.some((q) => q.name === 'state'));
    assert.ok(metadata.definition?.signalDefinitions?.some((s) => s.name === 'go'));
    const stack = json((await query('__stack_trace')).queryResult?.payloads?.[0]);
    assert.equal(typeof stack, 'string');
    assert.match(stack as string, /\S/);

    // The Queries tab also works on a closed run (a worker replays it); an unknown query type's error
    // lists the registered ones in brackets, which the UI parses (getQueryTypesFromError).
    const closed = await svc().queryWorkflow({
      namespace: NAMESPACE,
      execution: execution(completed, await runIdOf(completed)),
      query: { queryType: '__temporal_workflow_metadata' },
    });
    assert.equal((json(closed.queryResult?.payloads?.[0]) as typeof metadata).definition?.type, 'greet');
    await assert.rejects(
      svc().queryWorkflow({ namespace: NAMESPACE, execution: execution(waiting), query: { queryType: 'nope' } }),
      (err: Error & { code?: number }) => {
        assert.equal(err.code, 3, 'INVALID_ARGUMENT');
        const listed = err.message.slice(err.message.indexOf('[') + 1, err.message.indexOf(']')).split(' ');
        assert.ok(listed.includes('state') && listed.includes('__temporal_workflow_metadata'), err.message);
        return true;
      },
    );
  });

  it('live updates: GetWorkflowExecutionHistory with waitNewEvent follows a running workflow to its close', async () => {
    const runId = await runIdOf(waiting);
    const poll = (nextPageToken?: Uint8Array) =>
      svc().getWorkflowExecutionHistory({
        namespace: NAMESPACE,
        execution: { workflowId: waiting.workflowId, runId },
        waitNewEvent: true,
        nextPageToken,
      });
    const initial = await poll();
    const seen = [...(initial.history?.events ?? [])];
    assert.equal(seen.length, (await fullHistory(waiting)).length);
    assert.ok(hasToken(initial.nextPageToken), 'a running workflow keeps the long poll going');
    // The next poll waits for new events; the signal is sent while it is outstanding.
    const waitingForMore = poll(initial.nextPageToken!);
    await waiting.signal(goSignal, 'from the UI test');
    let res = await waitingForMore;
    assert.equal(res.history?.events?.[0]?.eventType, EventType.WORKFLOW_EXECUTION_SIGNALED);
    seen.push(...(res.history?.events ?? []));
    while (hasToken(res.nextPageToken)) {
      res = await poll(res.nextPageToken!);
      seen.push(...(res.history?.events ?? []));
    }
    assert.equal(seen.at(-1)?.eventType, EventType.WORKFLOW_EXECUTION_COMPLETED);
    assert.deepEqual(seen, await fullHistory(waiting));
    assert.match(await waiting.result(), /got from the UI test/);
  });

  it('schedules and batch pages render empty: ListSchedules, CountSchedules, ListBatchOperations', async () => {
    const schedules = await svc().listSchedules({ namespace: NAMESPACE, maximumPageSize: 100 });
    assert.deepEqual(schedules.schedules, []);
    assert.ok(!hasToken(schedules.nextPageToken));
    assert.equal(num((await svc().countSchedules({ namespace: NAMESPACE })).count), 0);
    assert.deepEqual((await svc().listBatchOperations({ namespace: NAMESPACE, pageSize: 20 })).operationInfo, []);
  });

  it('timeline summaries: the summary of an activity and of a timer rides on the event its command wrote', async () => {
    const wf = await h.client.workflow.start(summarized, {
      taskQueue: h.taskQueue,
      workflowId: uniqueId('ui-summaries'),
    });
    assert.equal(await wf.result(), 'done');
    const events = await fullHistory(wf);
    const summaryOf = (kind: keyof HistoryEvent) => json(events.find((e) => e[kind])?.userMetadata?.summary);
    assert.equal(summaryOf('timerStartedEventAttributes'), 'short nap');
    assert.equal(summaryOf('activityTaskScheduledEventAttributes'), 'echo step');
    const others = events.filter((e) => !e.timerStartedEventAttributes && !e.activityTaskScheduledEventAttributes);
    assert.ok(
      others.every((e) => !e.userMetadata?.summary),
      'no other event carries a summary',
    );
    all.push(wf);
  });

  it('every workflow this file ran replays with the SDK', async () => {
    await retrying.terminate('test done');
    await raising.terminate('test done'); // its child goes with it (parent close policy TERMINATE)
    assert.equal((await raisingChild.describe()).status.name, 'TERMINATED');
    const child = h.client.workflow.getHandle(`${family.workflowId}-child`);
    await h.replay(...all, child);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  QueryNotRegisteredError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  WithStartWorkflowOperation,
} from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { startHarness, uniqueId, type Harness } from './helpers';
import {
  badSearchAttribute,
  blockForever,
  brokenTask,
  counter,
  externalCaller,
  goSignal,
  greet,
  parent,
  retriedWorkflow,
  setTicketUpdate,
  signalFlow,
  stateQuery,
  tagged,
  ticketFlow,
} from './fixtures/workflows';

describe('devserver workflow features with the real SDK', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });
  const opts = (prefix: string) => ({ taskQueue: h.taskQueue, workflowId: uniqueId(prefix) });

  it('runs child workflows', async () => {
    const handle = await h.client.workflow.start(parent, { ...opts('parent'), args: ['kid'] });
    assert.equal(await handle.result(), 'parent(hello kid)');
    await h.replay(handle, h.client.workflow.getHandle(`${handle.workflowId}-child`));
  });

  it('signals and cancels other workflows through external handles', async () => {
    const signalled = await h.client.workflow.start(signalFlow, { ...opts('ext-sig'), args: [30_000] });
    const cancelled = await h.client.workflow.start(blockForever, opts('ext-cancel'));
    const caller = await h.client.workflow.start(externalCaller, {
      ...opts('ext-caller'),
      args: [signalled.workflowId, cancelled.workflowId],
    });
    assert.match(await caller.result(), /^done; missing: /);
    assert.equal(await signalled.result(), 'start/got from-external');
    await assert.rejects(cancelled.result(), WorkflowFailedError);
    assert.equal((await cancelled.describe()).status.name, 'CANCELLED');
    await h.replay(caller, signalled, cancelled);
  });

  it('follows continue-as-new to the last run', async () => {
    const handle = await h.client.workflow.start(counter, { ...opts('can'), args: [0, 3] });
    assert.equal(await handle.result(), 3);
    const latest = await h.client.workflow.getHandle(handle.workflowId).describe();
    assert.notEqual(latest.runId, handle.firstExecutionRunId);
    assert.equal(latest.status.name, 'COMPLETED');
    const first = h.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    assert.equal((await first.describe()).status.name, 'CONTINUED_AS_NEW');
    await h.replay(first, h.client.workflow.getHandle(handle.workflowId));
  });

  it('retries a failing workflow task and counts its attempts', async () => {
    // Core reports only the first failure and lets later attempts time out, so use a short task timeout.
    const handle = await h.client.workflow.start(brokenTask, { ...opts('broken'), workflowTaskTimeout: '100ms' });
    let attempt = 0;
    for (let i = 0; i < 200 && attempt < 3; i++) {
      attempt = (await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(attempt >= 3, `workflow task attempt reached ${attempt}`);
    await handle.terminate('enough');
    const events = (await handle.fetchHistory()).events ?? [];
    // The first attempt either fails or (on a cold worker) outlives the 100 ms task timeout.
    assert.ok(events.some((e) => e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes));
    assert.ok(events.at(-1)?.workflowExecutionTerminatedEventAttributes);
    await h.replay(handle);
  });

  it('fails the workflow task that upserts an unregistered search attribute', async () => {
    const handle = await h.client.workflow.start(badSearchAttribute, opts('badsa'));
    let failed: { cause?: unknown; failure?: { message?: string | null } | null } | undefined;
    for (let i = 0; i < 200 && !failed; i++) {
      const events = (await handle.fetchHistory()).events ?? [];
      failed = events.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes ?? undefined;
      if (!failed) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(failed?.cause, 23); // WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES
    assert.match(String(failed?.failure?.message), /NotRegistered/);
    await handle.terminate('done');
    await h.replay(handle);
  });

  it('validates and runs updates, rejecting invalid ones', async () => {
    const handle = await h.client.workflow.start(ticketFlow, opts('update'));
    await assert.rejects(handle.executeUpdate(setTicketUpdate, { args: ['nope'] }), WorkflowUpdateFailedError);
    assert.equal(await handle.executeUpdate(setTicketUpdate, { args: ['t-42'] }).catch(() => 'rejected'), 'rejected');
    const result = await handle.executeUpdate(setTicketUpdate, { args: ['T-42'], updateId: 'ticket-1' });
    assert.equal(result, 'T-42');
    assert.equal(await handle.result(), 'ticket T-42');
    // Same update id again: the recorded outcome, not a second run.
    assert.equal(await handle.executeUpdate(setTicketUpdate, { args: ['T-43'], updateId: 'ticket-1' }), 'T-42');
    await h.replay(handle);
  });

  it('runs update-with-start', async () => {
    const workflowId = uniqueId('uws');
    const startWorkflowOperation = new WithStartWorkflowOperation(ticketFlow, {
      taskQueue: h.taskQueue,
      workflowId,
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    assert.equal(
      await h.client.workflow.executeUpdateWithStart(setTicketUpdate, { args: ['T-7'], startWorkflowOperation }),
      'T-7',
    );
    const handle = await startWorkflowOperation.workflowHandle();
    assert.equal(await handle.result(), 'ticket T-7');
    await h.replay(handle);
  });

  it('starts with signal-with-start and reports unknown queries', async () => {
    const workflowId = uniqueId('sws');
    const handle = await h.client.workflow.signalWithStart(signalFlow, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [30_000],
      signal: goSignal,
      signalArgs: ['early'],
    });
    assert.equal(await handle.result(), 'start/got early');
    await assert.rejects(handle.query('nope'), QueryNotRegisteredError);
    assert.equal(await handle.query(stateQuery), 'got early');
    await h.replay(handle);
  });

  it('applies id reuse policy and terminates running workflows', async () => {
    const o = opts('reuse');
    const first = await h.client.workflow.start(greet, { ...o, args: ['a'] });
    await first.result();
    await assert.rejects(
      h.client.workflow.start(greet, {
        ...o,
        args: ['b'],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      }),
      WorkflowExecutionAlreadyStartedError,
    );
    const second = await h.client.workflow.start(greet, { ...o, args: ['c'] });
    assert.equal(await second.result(), 'hello c');
    const blocked = await h.client.workflow.start(blockForever, opts('block'));
    await blocked.terminate('stop');
    await assert.rejects(blocked.result(), WorkflowFailedError);
    assert.equal((await blocked.describe()).status.name, 'TERMINATED');
    await assert.rejects(blocked.signal(goSignal, 'x'), /not found|completed/i);
    await h.replay(first, second, blocked);
  });

  it('retries a failed workflow as new runs under its retry policy', async () => {
    const handle = await h.client.workflow.start(retriedWorkflow, {
      ...opts('retried'),
      retry: { initialInterval: '10ms', maximumAttempts: 5 },
    });
    assert.equal(await handle.result(), 3);
    const first = h.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    assert.equal((await first.describe()).status.name, 'FAILED');
    await h.replay(first, h.client.workflow.getHandle(handle.workflowId));
  });

  it('times out a run after its execution timeout and after its run timeout', async () => {
    for (const timeout of ['workflowExecutionTimeout', 'workflowRunTimeout'] as const) {
      const handle = await h.client.workflow.start(blockForever, { ...opts(timeout), [timeout]: '300ms' });
      await assert.rejects(handle.result(), WorkflowFailedError);
      assert.equal((await handle.describe()).status.name, 'TIMED_OUT');
      const events = (await handle.fetchHistory()).events ?? [];
      assert.ok(events.at(-1)?.workflowExecutionTimedOutEventAttributes, `${timeout}: last event is TimedOut`);
      await h.replay(handle);
    }
  });

  it('applies id reuse policies ALLOW_DUPLICATE_FAILED_ONLY and TERMINATE_IF_RUNNING', async () => {
    const completed = opts('reuse-failed-only');
    await (await h.client.workflow.start(greet, { ...completed, args: ['done'] })).result();
    await assert.rejects(
      h.client.workflow.start(greet, {
        ...completed,
        args: ['again'],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      }),
      WorkflowExecutionAlreadyStartedError,
    );
    const failed = opts('reuse-after-failure');
    const failedRun = await h.client.workflow.start('failing', { ...failed, args: ['first run fails'] });
    await assert.rejects(failedRun.result(), WorkflowFailedError);
    const rerun = await h.client.workflow.start(greet, {
      ...failed,
      args: ['after failure'],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    });
    assert.equal(await rerun.result(), 'hello after failure');

    const running = opts('reuse-terminate');
    const old = await h.client.workflow.start(blockForever, running);
    const replacement = await h.client.workflow.start(greet, {
      ...running,
      args: ['replacement'],
      workflowIdReusePolicy: WorkflowIdReusePolicy.TERMINATE_IF_RUNNING,
    });
    assert.equal(await replacement.result(), 'hello replacement');
    const oldRun = h.client.workflow.getHandle(old.workflowId, old.firstExecutionRunId);
    assert.equal((await oldRun.describe()).status.name, 'TERMINATED');
    const firstRun = h.client.workflow.getHandle(failed.workflowId, failedRun.firstExecutionRunId);
    await h.replay(h.client.workflow.getHandle(completed.workflowId), firstRun, rerun, oldRun, replacement);
  });

  it('applies id conflict policies FAIL, USE_EXISTING and TERMINATE_EXISTING to a running id', async () => {
    const o = opts('conflict');
    const running = await h.client.workflow.start(blockForever, o);
    await assert.rejects(
      h.client.workflow.start(blockForever, { ...o, workflowIdConflictPolicy: 'FAIL' }),
      WorkflowExecutionAlreadyStartedError,
    );
    const existing = await h.client.workflow.start(blockForever, { ...o, workflowIdConflictPolicy: 'USE_EXISTING' });
    assert.equal(existing.firstExecutionRunId, running.firstExecutionRunId);
    const replacement = await h.client.workflow.start(greet, {
      ...o,
      args: ['replacement'],
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
    });
    assert.notEqual(replacement.firstExecutionRunId, running.firstExecutionRunId);
    assert.equal(await replacement.result(), 'hello replacement');
    const old = h.client.workflow.getHandle(o.workflowId, running.firstExecutionRunId);
    assert.equal((await old.describe()).status.name, 'TERMINATED');
    await h.replay(old, replacement);
  });

  it('lists and counts with a visibility query over search attributes', async () => {
    const phase = uniqueId('phase');
    const startedAfter = new Date(Date.now() - 1000).toISOString();
    const handles = await Promise.all(
      ['provision', phase].map((p) => h.client.workflow.start(tagged, { ...opts('tagged'), args: [p] })),
    );
    await Promise.all(handles.map((x) => x.result()));
    const found: string[] = [];
    for await (const w of h.client.workflow.list({
      query: `DeploymentPhase = '${phase}' AND ExecutionStatus = 'Completed'`,
    })) {
      found.push(w.workflowId);
      assert.deepEqual(w.searchAttributes.ScenarioName, ['same-region']);
      assert.deepEqual(w.memo, { note: phase });
    }
    assert.deepEqual(found, [handles[1].workflowId]);
    // CloseTime and ExecutionStatus: the completed runs closed after `startedAfter`, none closed before it.
    const ids = handles.map((x) => `'${x.workflowId}'`).join(', ');
    const closedAfter = await h.client.workflow.count(
      `WorkflowId IN (${ids}) AND ExecutionStatus = 'Completed' AND CloseTime > '${startedAfter}'`,
    );
    assert.equal(closedAfter.count, 2);
    const closedBefore = await h.client.workflow.count(`WorkflowId IN (${ids}) AND CloseTime < '${startedAfter}'`);
    assert.equal(closedBefore.count, 0);
    const running = await h.client.workflow.count(`WorkflowId IN (${ids}) AND ExecutionStatus = 'Running'`);
    assert.equal(running.count, 0);
    const startedLater = await h.client.workflow.count(`WorkflowId IN (${ids}) AND StartTime > '${startedAfter}'`);
    assert.equal(startedLater.count, 2);
    const startedEarlier = await h.client.workflow.count(`WorkflowId IN (${ids}) AND StartTime < '${startedAfter}'`);
    assert.equal(startedEarlier.count, 0);
    const count = await h.client.workflow.count(`WorkflowType = 'tagged' AND ScenarioName = 'same-region'`);
    assert.ok(count.count >= 2);
    await assert.rejects(h.client.workflow.count(`NoSuchAttribute = 'x'`), (err: Error) => {
      const cause = err.cause as { code?: number; details?: string } | undefined;
      return cause?.code === 3 && /NoSuchAttribute/.test(String(cause.details));
    });
    const reverse = await h.connection.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: 'default',
      execution: { workflowId: handles[0].workflowId },
    });
    assert.ok(reverse.history?.events?.[0]?.workflowExecutionCompletedEventAttributes);
    await h.replay(...handles);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ActivityFailure,
  ActivityNotFoundError,
  ApplicationFailure,
  TimeoutFailure,
  WorkflowFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { startHarness, uniqueId, type Harness } from './helpers';
import { asyncTokens, cancelledActivities } from './fixtures/activities';
import {
  activityTimeout,
  asyncCompletion,
  cancellable,
  cancelUnstarted,
  fatalActivity,
  flakyActivity,
} from './fixtures/workflows';

/** Waits for the workflow to fail and returns the ActivityFailure that failed it. */
async function activityFailureOf(handle: WorkflowHandle): Promise<ActivityFailure> {
  const err = await handle.result().then(
    () => assert.fail(`${handle.workflowId} should fail`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof WorkflowFailedError, `expected WorkflowFailedError, got ${String(err)}`);
  assert.ok(err.cause instanceof ActivityFailure, `expected ActivityFailure cause, got ${String(err.cause)}`);
  return err.cause;
}

describe('devserver activities with the real SDK', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('retries on the server with backoff and carries heartbeat details to the next attempt', async () => {
    const handle = await h.client.workflow.start(flakyActivity, {
      taskQueue: h.taskQueue,
      workflowId: uniqueId('flaky'),
      args: [2],
    });
    assert.equal(await handle.result(), 'attempt 3 (previous heartbeat 2)');
    const events = (await handle.fetchHistory()).events ?? [];
    const started = events.find((e) => e.activityTaskStartedEventAttributes)?.activityTaskStartedEventAttributes;
    assert.equal(started?.attempt, 3);
    assert.match(String(started?.lastFailure?.message), /attempt 2 failed/);
    await h.replay(handle);
  });

  it('does not retry non-retryable error types', async () => {
    const handle = await h.client.workflow.start(fatalActivity, {
      taskQueue: h.taskQueue,
      workflowId: uniqueId('fatal'),
    });
    const failure = await activityFailureOf(handle);
    assert.equal(failure.retryState, 'NON_RETRYABLE_FAILURE');
    assert.ok(failure.cause instanceof ApplicationFailure);
    assert.equal(failure.cause.type, 'Fatal');
    await h.replay(handle);
  });

  it('times out attempts (start-to-close and heartbeat) and gives up after maximum attempts', async () => {
    for (const kind of ['startToClose', 'heartbeat'] as const) {
      const handle = await h.client.workflow.start(activityTimeout, {
        taskQueue: h.taskQueue,
        workflowId: uniqueId(kind),
        args: [kind],
      });
      const failure = await activityFailureOf(handle);
      assert.equal(failure.retryState, 'MAXIMUM_ATTEMPTS_REACHED');
      assert.ok(failure.cause instanceof TimeoutFailure);
      assert.equal(failure.cause.timeoutType, kind === 'startToClose' ? 'START_TO_CLOSE' : 'HEARTBEAT');
      await h.replay(handle);
    }
  });

  it('times out schedule-to-start (nobody polls) and schedule-to-close without retrying', async () => {
    for (const [kind, timeoutType] of [
      ['scheduleToStart', 'SCHEDULE_TO_START'],
      ['scheduleToClose', 'SCHEDULE_TO_CLOSE'],
    ] as const) {
      const handle = await h.client.workflow.start(activityTimeout, {
        taskQueue: h.taskQueue,
        workflowId: uniqueId(kind),
        args: [kind],
      });
      const failure = await activityFailureOf(handle);
      assert.ok(failure.cause instanceof TimeoutFailure, `${kind}: ${String(failure.cause)}`);
      assert.equal(failure.cause.timeoutType, timeoutType);
      // Neither timeout is retried (retrying cannot help); which of these two states real Temporal
      // reports has not been checked against a real server here.
      assert.ok(['TIMEOUT', 'NON_RETRYABLE_FAILURE'].includes(String(failure.retryState)), String(failure.retryState));
      const events = (await handle.fetchHistory()).events ?? [];
      const started = events.filter((e) => e.activityTaskStartedEventAttributes);
      // Schedule-to-start: no attempt ever started; schedule-to-close: the one attempt is not retried.
      assert.equal(started.length, kind === 'scheduleToStart' ? 0 : 1);
      await h.replay(handle);
    }
  });

  it('cancels a workflow and its heartbeating activity', async () => {
    const handle = await h.client.workflow.start(cancellable, {
      taskQueue: h.taskQueue,
      workflowId: uniqueId('cancel'),
    });
    // Wait until the activity runs, then cancel the workflow.
    for (let i = 0; i < 100; i++) {
      const d = await handle.describe();
      if (d.raw.pendingActivities?.some((a) => a.state === 2)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await handle.cancel();
    assert.equal(await handle.result(), 'cancelled');
    const events = (await handle.fetchHistory()).events ?? [];
    assert.ok(events.some((e) => e.activityTaskCanceledEventAttributes));
    assert.ok(events.some((e) => e.workflowExecutionCancelRequestedEventAttributes));
    assert.ok(cancelledActivities.includes(handle.workflowId), 'the activity saw the cancellation');
    await h.replay(handle);
  });

  it('cancels an activity that never started right away', async () => {
    const handle = await h.client.workflow.start(cancelUnstarted, {
      taskQueue: h.taskQueue,
      workflowId: uniqueId('unstarted'),
    });
    assert.equal(await handle.result(), 'cancelled');
    await h.replay(handle);
  });

  it('completes an activity asynchronously by task token', async () => {
    const before = asyncTokens.length;
    const handle = await h.client.workflow.start(asyncCompletion, {
      taskQueue: h.taskQueue,
      workflowId: uniqueId('async'),
    });
    for (let i = 0; i < 200 && asyncTokens.length === before; i++) await new Promise((r) => setTimeout(r, 10));
    const token = asyncTokens[before];
    assert.ok(token, 'activity never ran');
    await h.client.activity.heartbeat(token, 'still going');
    await h.client.activity.complete(token, 'done later');
    assert.equal(await handle.result(), 'done later');
    await assert.rejects(h.client.activity.complete(token, 'twice'), ActivityNotFoundError);
    await h.replay(handle);
  });
});

// Events that race a running workflow task: the devserver must write what real Temporal writes, and
// the SDK must be able to replay the result. Each race is made deterministic by holding the workflow
// task's completion (RespondWorkflowTaskCompleted carrying the command under test) inside the server
// until the racing event is buffered.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { WorkflowBundle } from '@temporalio/worker';
import type { DevServer } from '../../devserver';
import type { Execution } from '../../devserver/engine/execution';
import { decodeToken } from '../../devserver/engine/model';
import type { Msg } from '../../devserver/proto';
import { replayHistory, startHarness, uniqueId, type Harness } from './helpers';
import {
  type RaceActivities,
  cancelActivityOnSignal,
  cancelTimerOnSignal,
  completeOnFirstNote,
  noteSignal,
  noteUpdate,
  proceedSignal,
} from './fixtures/races-workflows';

const WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND = 1;

/** A completion is held while its race runs; keyed by workflow id, used once. */
interface Race {
  command: string;
  run: (exec: Execution) => Promise<void>;
  ran: () => void;
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function events(exec: Execution, kind: string): Msg[] {
  return exec.state.buffered.filter((ev) => ev[`${kind}EventAttributes`] !== undefined);
}

describe('devserver: events racing a running workflow task', () => {
  let h: Harness;
  let server: DevServer;
  let client: Client;
  let workflowBundle: WorkflowBundle;
  let taskQueue: string;
  const races = new Map<string, Race>();
  let releaseActivity: (() => void) | undefined;

  const activities: RaceActivities = {
    waitForRelease: () =>
      new Promise<string>((resolve) => {
        releaseActivity = () => resolve('released');
      }),
  };

  before(async () => {
    h = await startHarness({}, { workflowsPath: require.resolve('./fixtures/races-workflows'), activities });
    ({ server, client, workflowBundle, taskQueue } = h);
    // Hold completions that carry a race's command until the race has happened.
    const engine = server.engine as unknown as { completeWorkflowTask(req: Msg): Msg | Promise<Msg> };
    const complete = engine.completeWorkflowTask.bind(server.engine);
    engine.completeWorkflowTask = async (req: Msg) => {
      const workflowId = decodeToken(req.taskToken)?.workflowId ?? '';
      const race = races.get(workflowId);
      if (race && ((req.commands ?? []) as Msg[]).some((c) => c[race.command] !== undefined)) {
        races.delete(workflowId);
        const exec = server.engine.find('default', { workflowId });
        assert.ok(exec.wftInFlight, 'the racing workflow task is still running');
        await race.run(exec);
        race.ran();
      }
      return complete(req);
    };
  });

  after(async () => {
    await h?.close();
  });

  /** Registers a race for the completion of `workflowId` that carries `command`; resolves once it ran. */
  function raceCompletion(workflowId: string, command: string, run: Race['run']): Promise<void> {
    return new Promise((ran) => races.set(workflowId, { command, run, ran }));
  }

  function execOf(handle: WorkflowHandle): Execution {
    return server.engine.find('default', { workflowId: handle.workflowId });
  }

  async function history(handle: WorkflowHandle): Promise<Msg[]> {
    const h = await handle.fetchHistory();
    await replayHistory(h, handle.workflowId, workflowBundle);
    return (h.events ?? []) as Msg[];
  }

  const has = (evs: Msg[], kind: string) => evs.filter((ev) => ev[`${kind}EventAttributes`] != null);

  it('a timer that fires while the task cancelling it runs is cancelled (TimerFired is dropped)', async () => {
    const workflowId = uniqueId('timer-race');
    const raced = raceCompletion(workflowId, 'cancelTimerCommandAttributes', async (exec) => {
      // The timer comes due now, while the task that cancels it is running.
      server.engine.tx(() => {
        for (const timer of Object.values(exec.state.timers)) timer.fireAt = server.engine.now();
        server.engine.touch(exec);
      });
      await waitFor(() => events(exec, 'timerFired').length === 1, 'TimerFired to be buffered');
    });
    const handle = await client.workflow.start(cancelTimerOnSignal, { taskQueue, workflowId });
    await waitFor(() => Object.keys(execOf(handle).state.timers).length === 1, 'the timer to start');
    await handle.signal(proceedSignal);
    await raced;
    assert.equal(await handle.result(), 'cancelled');
    const evs = await history(handle);
    assert.equal(has(evs, 'timerCanceled').length, 1);
    assert.equal(has(evs, 'timerFired').length, 0);
  });

  for (const waitForCancellation of [false, true]) {
    const mode = waitForCancellation ? 'WAIT_CANCELLATION_COMPLETED' : 'TRY_CANCEL';
    it(`an activity that completes while the task cancelling it runs (${mode}): CancelRequested, then its result`, async () => {
      const workflowId = uniqueId('activity-race');
      const raced = raceCompletion(workflowId, 'requestCancelActivityTaskCommandAttributes', async (exec) => {
        releaseActivity!();
        await waitFor(() => events(exec, 'activityTaskCompleted').length === 1, 'ActivityTaskCompleted to be buffered');
      });
      const handle = await client.workflow.start(cancelActivityOnSignal, {
        taskQueue,
        workflowId,
        args: [waitForCancellation],
      });
      await waitFor(
        () => Object.values(execOf(handle).state.activities).some((a) => a.startedTime !== undefined),
        'the activity to start',
      );
      await handle.signal(proceedSignal);
      await raced;
      assert.equal(await handle.result(), waitForCancellation ? 'completed: released' : 'cancelled');
      const evs = await history(handle);
      const kinds = evs
        .map((ev) => Object.keys(ev).find((k) => k.endsWith('EventAttributes')))
        .filter((k) => k?.startsWith('activityTask'));
      assert.deepEqual(kinds, [
        'activityTaskScheduledEventAttributes',
        'activityTaskCancelRequestedEventAttributes',
        'activityTaskStartedEventAttributes',
        'activityTaskCompletedEventAttributes',
      ]);
    });
  }

  it('a signal that arrives while the task completing the workflow runs is seen before it completes', async () => {
    const workflowId = uniqueId('signal-race');
    const handle = client.workflow.getHandle(workflowId);
    const raced = raceCompletion(workflowId, 'completeWorkflowExecutionCommandAttributes', async (exec) => {
      await handle.signal(noteSignal, 'second');
      assert.equal(events(exec, 'workflowExecutionSignaled').length, 1);
    });
    await client.workflow.start(completeOnFirstNote, { taskQueue, workflowId });
    await handle.signal(noteSignal, 'first');
    await raced;
    assert.deepEqual(await handle.result(), ['first', 'second']);
    const evs = await history(handle);
    const failed = has(evs, 'workflowTaskFailed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].workflowTaskFailedEventAttributes.cause, WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND);
    // New events after a failed task make the next task a normal first attempt, as on real Temporal.
    const scheduled = has(evs, 'workflowTaskScheduled').at(-1)!;
    assert.equal(scheduled.workflowTaskScheduledEventAttributes.attempt, 1);
  });

  it('an update completed in a task rejected for an unseen signal is delivered again and completes', async () => {
    const workflowId = uniqueId('update-signal-race');
    const handle = client.workflow.getHandle(workflowId);
    const raced = raceCompletion(workflowId, 'completeWorkflowExecutionCommandAttributes', async () => {
      await handle.signal(noteSignal, 'second');
    });
    await client.workflow.start(completeOnFirstNote, { taskQueue, workflowId });
    const update = handle.executeUpdate(noteUpdate, { args: ['first'] });
    await raced;
    assert.equal(await update, 'noted first');
    assert.deepEqual((await handle.result()).sort(), ['first', 'second']);
    const evs = await history(handle);
    assert.equal(has(evs, 'workflowTaskFailed').length, 1);
    assert.equal(has(evs, 'workflowExecutionUpdateCompleted').length, 1);
  });

  it('an update admitted while the task completing the workflow runs is aborted; the workflow completes', async () => {
    const workflowId = uniqueId('update-race');
    const handle = client.workflow.getHandle(workflowId);
    let update: Promise<string> | undefined;
    const raced = raceCompletion(workflowId, 'completeWorkflowExecutionCommandAttributes', async (exec) => {
      update = handle.executeUpdate(noteUpdate, { args: ['late'] });
      update.catch(() => undefined);
      await waitFor(() => Object.keys(exec.state.updates).length === 1, 'the update to be admitted');
    });
    await client.workflow.start(completeOnFirstNote, { taskQueue, workflowId });
    await handle.signal(noteSignal, 'first');
    await raced;
    // Real Temporal does not hold a close for admitted updates: the update fails with NOT_FOUND.
    await assert.rejects(update!, /aborted|already completed|not found/i);
    assert.deepEqual(await handle.result(), ['first']);
    await history(handle);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { startHarness, uniqueId, type Harness } from './helpers';
import { greet, signalFlow, goSignal, stateQuery } from './fixtures/workflows';

describe('devserver core with the real SDK', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('runs a workflow with an activity to completion', async () => {
    const taskQueue = uniqueId('tq');
    await h.withWorker(taskQueue, async () => {
      const handle = await h.client.workflow.start(greet, {
        taskQueue,
        workflowId: uniqueId('greet'),
        args: ['world'],
      });
      assert.equal(await handle.result(), 'hello world');
      await h.replay(handle);
    });
  });

  it('delivers signals, answers queries, fires condition timeouts and timers', async () => {
    const taskQueue = h.taskQueue;
    {
      const signalled = await h.client.workflow.start(signalFlow, {
        taskQueue,
        workflowId: uniqueId('sig'),
        args: [30_000],
      });
      assert.equal(await signalled.query(stateQuery), 'waiting');
      await signalled.signal(goSignal, 'now');
      assert.equal(await signalled.result(), 'start/got now');
      assert.equal(await signalled.query(stateQuery), 'got now');
      const timedOut = await h.client.workflow.start(signalFlow, {
        taskQueue,
        workflowId: uniqueId('sig'),
        args: [100],
      });
      assert.equal(await timedOut.result(), 'start/timed out');
      await h.replay(signalled, timedOut);
    }
  });

  it('rejects a second start of a running id and dedups by request id', async () => {
    const taskQueue = uniqueId('tq');
    const workflowId = uniqueId('dup');
    const handle = await h.client.workflow.start(signalFlow, { taskQueue, workflowId, args: [60_000] });
    await assert.rejects(
      h.client.workflow.start(signalFlow, { taskQueue, workflowId, args: [60_000] }),
      WorkflowExecutionAlreadyStartedError,
    );
    const req = {
      namespace: 'default',
      workflowId: uniqueId('req'),
      workflowType: { name: 'signalFlow' },
      taskQueue: { name: taskQueue },
      requestId: 'same-request',
    };
    const first = await h.connection.workflowService.startWorkflowExecution(req);
    const second = await h.connection.workflowService.startWorkflowExecution(req);
    assert.equal(first.runId, second.runId);
    // A retried signal-with-start onto the running workflow signals once.
    const sws = { ...req, requestId: 'sws-request', signalName: 'go', identity: 'test' };
    await h.connection.workflowService.signalWithStartWorkflowExecution(sws);
    await h.connection.workflowService.signalWithStartWorkflowExecution(sws);
    const events = (await h.client.workflow.getHandle(req.workflowId).fetchHistory()).events ?? [];
    assert.equal(events.filter((e) => e.workflowExecutionSignaledEventAttributes).length, 1);
    await handle.terminate('test done');
    const deduped = h.client.workflow.getHandle(req.workflowId);
    await deduped.terminate('test done');
    await h.replay(handle, deduped);
  });

  it('surfaces workflow failure (and runs an extra worker on its own task queue)', async () => {
    const taskQueue = uniqueId('tq');
    await h.withWorker(taskQueue, async () => {
      const handle = await h.client.workflow.start('failing', {
        taskQueue,
        workflowId: uniqueId('fail'),
        args: ['nope'],
      });
      await assert.rejects(
        handle.result(),
        (err: unknown) => err instanceof WorkflowFailedError && /nope/.test(String(err.cause?.message)),
      );
      await h.replay(handle);
    });
  });
});

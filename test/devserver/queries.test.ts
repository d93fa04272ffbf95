// Concurrent queries against a workflow that keeps changing: every query must be answered while
// signals and updates keep the workflow's tasks flowing (a lost query or a stalled workflow task
// shows up as the client deadline expiring, not as a hang).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { startHarness, uniqueId, type Harness } from './helpers';
import {
  addItemUpdate,
  bumpSignal,
  finishSignal,
  inventoryQuery,
  progressQuery,
  queriedCounter,
} from './fixtures/queries-workflows';

/** Generous: a healthy round takes well under a second; a stall waits for a long-poll timeout (55 s). */
const ROUND_DEADLINE_MS = 15_000;

describe('devserver: concurrent queries', () => {
  let h: Harness;

  before(async () => {
    // Quick redelivery: the redelivery test waits it out once.
    h = await startHarness(
      { queryRedeliveryMs: 200 },
      { workflowsPath: require.resolve('./fixtures/queries-workflows'), activities: {} },
    );
  });

  after(async () => {
    await h?.close();
  });

  /** Runs `fn` with every RPC it makes bounded by the round deadline. */
  function withinDeadline<T>(fn: () => Promise<T>): Promise<T> {
    return h.connection.withDeadline(Date.now() + ROUND_DEADLINE_MS, fn);
  }

  it('answers many concurrent queries while signals and updates arrive, and the workflow keeps going', async () => {
    const handle = await h.client.workflow.start(queriedCounter, {
      taskQueue: h.taskQueue,
      workflowId: uniqueId('queried'),
    });
    const rounds = 6;
    const queriesPerRound = 30;
    for (let round = 0; round < rounds; round++) {
      const [answers, , counts] = await withinDeadline(() =>
        Promise.all([
          Promise.all(
            Array.from({ length: queriesPerRound }, (_, i) =>
              i % 2 === 0 ? handle.query(progressQuery) : handle.query(inventoryQuery),
            ),
          ),
          Promise.all([1, 2, 3].map((by) => handle.signal(bumpSignal, by))),
          Promise.all(['a', 'b'].map((item) => handle.executeUpdate(addItemUpdate, { args: [`${round}${item}`] }))),
        ]),
      );
      assert.equal(answers.length, queriesPerRound);
      for (const [i, answer] of answers.entries()) {
        if (i % 2 === 0) assert.equal(typeof answer, 'number');
        else assert.ok(Array.isArray(answer));
      }
      assert.deepEqual(
        [...counts].sort((a, b) => a - b),
        [2 * round + 1, 2 * round + 2],
      );
      // Progress is visible to the next query once the signals were accepted.
      assert.equal(await withinDeadline(() => handle.query(progressQuery)), 6 * (round + 1));
    }
    await handle.signal(finishSignal);
    const result = await withinDeadline(() => handle.result());
    assert.equal(result.progress, 6 * rounds);
    assert.equal(result.items.length, 2 * rounds);
    await h.replay(handle);
  });

  it('hands a query task nobody answers out again, so a query right after completion still answers', async () => {
    // Its own task queue: the only pollers are the ones this test starts, in the order it starts them.
    const lonelyQueue = uniqueId('redelivery');
    const create = () =>
      Worker.create({ connection: h.nativeConnection, taskQueue: lonelyQueue, workflowBundle: h.workflowBundle });
    const handle = await h.client.workflow.start(queriedCounter, {
      taskQueue: lonelyQueue,
      workflowId: uniqueId('late'),
    });
    await handle.signal(bumpSignal, 5);
    await handle.signal(finishSignal);
    await (await create()).runUntil(withinDeadline(() => handle.result()));

    // The query task goes to a poller that drops it, as the SDK does while evicting a completed run.
    const answer = withinDeadline(() => handle.query(progressQuery));
    const dropped = await withinDeadline(() =>
      h.connection.workflowService.pollWorkflowTaskQueue({
        namespace: 'default',
        taskQueue: { name: lonelyQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        identity: 'dropping-poller',
      }),
    );
    assert.equal(dropped.query?.queryType, progressQuery.name);

    const answeringWorker = await create();
    assert.equal(await answeringWorker.runUntil(answer), 5);

    // The dropped copy answering late is acknowledged and ignored: the first answer won.
    await withinDeadline(() =>
      h.connection.workflowService.respondQueryTaskCompleted({
        namespace: 'default',
        taskToken: dropped.taskToken,
        completedType: temporal.api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED,
        queryResult: { payloads: [] },
      }),
    );
    await h.replay(handle);
  });
});

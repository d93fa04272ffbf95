// The SDK's own test environments run against bin/temporal-devserver: createTimeSkipping() (Java test
// server argument shape, TestService time skipping) and createLocal() (`server start-dev` shape).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { fixtureBundle, quietRuntime, replayHistory, uniqueId } from './helpers';
import * as activities from './fixtures/activities';
import { greet, longTimer, sleeper, virtualActivityTimeout } from './fixtures/workflows';
import { ActivityFailure, TimeoutFailure, WorkflowFailedError } from '@temporalio/client';

const executable = { type: 'existing-path' as const, path: path.resolve(__dirname, '../../bin/temporal-devserver') };
const DAY = 86_400_000;

/** Runs `fn` while a worker with the fixture workflows and `acts` polls a fresh task queue of `env`. */
async function withWorker(
  env: TestWorkflowEnvironment,
  prefix: string,
  acts: object,
  fn: (taskQueue: string) => Promise<void>,
): Promise<void> {
  const taskQueue = uniqueId(prefix);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await fixtureBundle(),
    activities: acts,
  });
  await worker.runUntil(() => fn(taskQueue));
}

describe('SDK TestWorkflowEnvironment.createTimeSkipping against the devserver', () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    quietRuntime();
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
  });
  after(async () => {
    await env?.teardown();
  });

  it('fires a 30-day timer at once while activities run in real time', async () => {
    await withWorker(env, 'skip', activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(longTimer, { taskQueue, workflowId: uniqueId('long') });
      assert.equal(await handle.result(), 'before-after');
      const history = await handle.fetchHistory();
      const events = history.events ?? [];
      const time = (i: number) => Number(events[i].eventTime?.seconds) * 1000;
      assert.ok(time(events.length - 1) - time(0) >= 30 * DAY, 'workflow time advanced by 30 days');
      await replayHistory(history, handle.workflowId);
    });
  });

  it('advances time with env.sleep and reports it via GetCurrentTime', async () => {
    await withWorker(env, 'sleep', activities, async (taskQueue) => {
      const before = await env.currentTimeMs();
      const handle = await env.client.workflow.start(sleeper, {
        taskQueue,
        workflowId: uniqueId('sleeper'),
        args: [2 * DAY],
      });
      await env.sleep(2 * DAY + 1000);
      assert.ok((await env.currentTimeMs()) - before >= 2 * DAY);
      const { status } = await handle.describe();
      assert.equal(status.name, 'COMPLETED');
      assert.ok((await handle.result()) >= 2 * DAY);
      await replayHistory(await handle.fetchHistory(), handle.workflowId);
    });
  });

  it('lets an activity call env.sleep to provoke its own start-to-close timeout', async () => {
    const sleepVirtually = async () => {
      await env.sleep(2 * 60_000);
      return 'slept';
    };
    await withWorker(env, 'activity-sleep', { sleepVirtually }, async (taskQueue) => {
      const handle = await env.client.workflow.start(virtualActivityTimeout, { taskQueue, workflowId: uniqueId('vt') });
      const err = await handle.result().then(
        () => assert.fail('the activity should time out'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof ActivityFailure);
      assert.ok(err.cause.cause instanceof TimeoutFailure);
      assert.equal(err.cause.cause.timeoutType, 'START_TO_CLOSE');
      await replayHistory(await handle.fetchHistory(), handle.workflowId);
    });
  });
});

describe('SDK TestWorkflowEnvironment.createLocal against the devserver', () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    quietRuntime();
    env = await TestWorkflowEnvironment.createLocal({ server: { executable } });
  });
  after(async () => {
    await env?.teardown();
  });

  it('runs a workflow', async () => {
    await withWorker(env, 'local', activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(greet, { taskQueue, workflowId: uniqueId('g'), args: ['local'] });
      assert.equal(await handle.result(), 'hello local');
      await replayHistory(await handle.fetchHistory(), handle.workflowId);
    });
  });
});

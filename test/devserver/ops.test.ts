// Error codes, the read RPCs a Temporal UI server calls, history eviction, and the in-process clock.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { DevClock, startDevServer } from '../../devserver';
import { startHarness, uniqueId, type Harness } from './helpers';
import { greet, hourlyRetry, sleeper } from './fixtures/workflows';

const codeOf = (err: unknown) => (err as { code?: number }).code;

describe('devserver ops: errors, UI read RPCs, eviction', () => {
  let h: Harness;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'devserver-ops-'));
    h = await startHarness({ dbFile: path.join(dir, 'journal.db'), queryTimeoutMs: 300 });
  });
  after(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers with real gRPC status codes and names unimplemented RPCs', async () => {
    const svc = h.connection.workflowService;
    await assert.rejects(h.client.workflow.getHandle('no-such-workflow').describe(), WorkflowNotFoundError);
    await assert.rejects(
      svc.startWorkflowExecution({ namespace: 'default', workflowId: 'x', taskQueue: { name: 'q' } }),
      (err) => codeOf(err) === status.INVALID_ARGUMENT && /workflowType.name is required/.test(String(err)),
    );
    await assert.rejects(
      svc.describeNamespace({ namespace: 'missing' }),
      (err) => codeOf(err) === status.NOT_FOUND && /missing/.test(String(err)),
    );
    await assert.rejects(
      svc.createSchedule({ namespace: 'default', scheduleId: 's' }),
      (err) => codeOf(err) === status.UNIMPLEMENTED && /CreateSchedule/.test(String(err)),
    );
    await assert.rejects(
      svc.respondWorkflowTaskCompleted({ taskToken: Buffer.from('garbage') }),
      (err) => codeOf(err) === status.INVALID_ARGUMENT,
    );
    // Nobody polls this task queue, so nobody answers the query.
    const orphan = await h.client.workflow.start(greet, {
      taskQueue: uniqueId('nobody'),
      workflowId: uniqueId('q'),
      args: ['x'],
    });
    await assert.rejects(orphan.query('anything'), (err: Error) => {
      const cause = err.cause as { code?: number; details?: string } | undefined;
      return (codeOf(err) ?? cause?.code) === status.DEADLINE_EXCEEDED;
    });
    await orphan.terminate('test done');
    await h.replay(orphan);
    // Still serving after all that.
    assert.ok((await svc.getSystemInfo({})).capabilities?.signalAndQueryHeader);
  });

  it('serves ListNamespaces, GetClusterInfo, DescribeTaskQueue and search attributes', async () => {
    const svc = h.connection.workflowService;
    const namespaces = await svc.listNamespaces({});
    assert.deepEqual(
      namespaces.namespaces?.map((n) => n.namespaceInfo?.name),
      ['default'],
    );
    const cluster = await svc.getClusterInfo({});
    assert.ok(cluster.serverVersion);
    const ran = await h.client.workflow.start(greet, {
      taskQueue: h.taskQueue,
      workflowId: uniqueId('ui'),
      args: ['ui'],
    });
    await ran.result();
    await h.replay(ran);
    const tq = await svc.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: h.taskQueue },
      taskQueueType: 1,
    });
    assert.ok((tq.pollers?.length ?? 0) > 0, 'the worker shows up as a poller');
    const attrs = await h.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    assert.equal(attrs.customAttributes?.ScenarioName, 2);
    assert.equal(attrs.customAttributes?.DeploymentPhase, 2);
    await h.connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes: { Region: 2 } });
    assert.equal((await h.client.workflow.count(`Region = 'cn-shanghai'`)).count, 0);
  });

  it('evicts closed histories from memory and re-reads them from the journal', async () => {
    const handle = await h.client.workflow.start(greet, {
      taskQueue: h.taskQueue,
      workflowId: uniqueId('evict'),
      args: ['x'],
    });
    await handle.result();
    const before = await handle.fetchHistory();
    assert.ok(h.server.engine.evictClosedHistories() > 0);
    const after = await handle.fetchHistory();
    assert.deepEqual(after, before);
    await h.replay(handle);
  });
});

describe('devserver in-process clock', () => {
  let h: Harness;
  const clock = new DevClock({ timeSkipping: true });
  before(async () => {
    h = await startHarness({ clock });
  });
  after(async () => {
    await h?.close();
  });

  it('skips an activity retry backoff when unlocked', async () => {
    const handle = await h.client.workflow.start(hourlyRetry, {
      taskQueue: h.taskQueue,
      workflowId: uniqueId('backoff'),
    });
    const before = clock.now();
    clock.unlock();
    try {
      assert.match(await handle.result(), /^attempt 2/);
    } finally {
      clock.lock();
    }
    assert.ok(clock.now() - before >= 3_600_000, 'an hour of virtual time passed');
    await h.replay(handle);
  });

  it('skips a multi-day timer when unlocked', async () => {
    const handle = await h.client.workflow.start(sleeper, {
      taskQueue: h.taskQueue,
      workflowId: uniqueId('clock'),
      args: [3 * 86_400_000],
    });
    clock.unlock();
    try {
      assert.ok((await handle.result()) >= 3 * 86_400_000);
    } finally {
      clock.lock();
    }
    await h.replay(handle);
  });
});

describe('devserver journal compaction on restart', () => {
  it('rewrites the journal as one record per execution and keeps every history', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'devserver-compact-'));
    const dbFile = path.join(dir, 'journal.db');
    try {
      let h = await startHarness({ dbFile });
      const handle = await h.client.workflow.start(greet, {
        taskQueue: h.taskQueue,
        workflowId: uniqueId('c'),
        args: ['c'],
      });
      await handle.result();
      const before = await handle.fetchHistory();
      await h.close();
      const grownSize = statSync(dbFile).size;
      h = await startHarness({ dbFile });
      try {
        assert.ok(statSync(dbFile).size < grownSize, 'the journal shrank');
        const again = h.client.workflow.getHandle(handle.workflowId);
        assert.deepEqual(await again.fetchHistory(), before);
        assert.equal((await again.describe()).status.name, 'COMPLETED');
        await h.replay(again);
      } finally {
        await h.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('devserver time-skipping clock across a restart', () => {
  it('resumes virtual time from the journal instead of going back to real time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'devserver-clock-'));
    const dbFile = path.join(dir, 'journal.db');
    try {
      const clock = new DevClock({ timeSkipping: true });
      let h = await startHarness({ dbFile, clock });
      const handle = await h.client.workflow.start(sleeper, {
        taskQueue: h.taskQueue,
        workflowId: uniqueId('clock'),
        args: [5 * 86_400_000],
      });
      clock.unlock();
      await handle.result();
      clock.lock();
      await h.replay(handle);
      const skippedTo = clock.now();
      await h.close();
      const restarted = new DevClock({ timeSkipping: true });
      h = await startHarness({ dbFile, clock: restarted });
      try {
        assert.ok(restarted.now() >= skippedTo - 1000, 'virtual time did not go back');
        assert.ok(restarted.now() > Date.now() + 4 * 86_400_000);
      } finally {
        await h.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('devserver extra namespaces', () => {
  it('registers every namespace it is given and keeps their workflows apart', async () => {
    const server = await startDevServer({ port: 0, namespaces: ['default', 'tenant-a'], log: () => undefined });
    const connection = await Connection.connect({ address: server.address });
    try {
      const tenant = new Client({ connection, namespace: 'tenant-a' });
      const handle = await tenant.workflow.start('blockForever', { taskQueue: 'nobody', workflowId: uniqueId('ns') });
      const query = `WorkflowId = '${handle.workflowId}'`;
      assert.equal((await tenant.workflow.count(query)).count, 1);
      assert.equal((await new Client({ connection }).workflow.count(query)).count, 0);
      await assert.rejects(
        new Client({ connection }).workflow.getHandle(handle.workflowId).describe(),
        WorkflowNotFoundError,
      );
      await handle.terminate('test done');
    } finally {
      await connection.close();
      await server.close();
    }
  });
});

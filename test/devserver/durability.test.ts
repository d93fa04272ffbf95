// Kill -9 the devserver (a child process) mid-run and restart it on the same journal: running
// workflows continue, timers fire, and no start, signal or activity result is lost or duplicated.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { fixtureBundle, quietRuntime, replayHistory, uniqueId } from './helpers';
import * as activities from './fixtures/activities';
import { goSignal, greet, restartFlow } from './fixtures/workflows';

const launcher = path.resolve(__dirname, '../../bin/temporal-devserver');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function startServerProcess(port: number, dbFile: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [launcher, 'server', 'start-dev', '--port', String(port), '--db-filename', dbFile],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`devserver exited early (${code}): ${out}`)));
  });
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('devserver durability (kill -9 and restart on the same journal)', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  before(() => {
    quietRuntime();
    dir = mkdtempSync(path.join(tmpdir(), 'devserver-durability-'));
  });
  after(async () => {
    if (server && server.exitCode === null) await kill9(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('continues workflows, fires timers and loses or duplicates nothing', async () => {
    const port = await freePort();
    const dbFile = path.join(dir, 'journal.db');
    const address = `127.0.0.1:${port}`;
    server = await startServerProcess(port, dbFile);
    const connection = await Connection.connect({ address });
    const client = new Client({ connection });
    const taskQueue = uniqueId('durable');
    const nativeConnection = await NativeConnection.connect({ address });
    const workflowBundle = await fixtureBundle();
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle, activities });
    const running = worker.run();
    try {
      const done = await client.workflow.start(greet, { taskQueue, workflowId: uniqueId('done'), args: ['before'] });
      assert.equal(await done.result(), 'hello before');
      // One workflow waits in a 1.5 s timer across the crash, the other gets its signal just before it.
      const timed = await client.workflow.start(restartFlow, {
        taskQueue,
        workflowId: uniqueId('timed'),
        args: [1500],
      });
      await timed.signal(goSignal, 'timer');
      for (let i = 0; i < 200; i++) {
        const events = (await timed.fetchHistory()).events ?? [];
        if (events.some((e) => e.timerStartedEventAttributes)) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const signalled = await client.workflow.start(restartFlow, {
        taskQueue,
        workflowId: uniqueId('sig'),
        args: [10],
      });
      await signalled.signal(goSignal, 'signal');

      await kill9(server);
      server = await startServerProcess(port, dbFile);

      assert.equal(await timed.result(), 'timer');
      assert.equal(await signalled.result(), 'signal');
      assert.equal((await done.describe()).status.name, 'COMPLETED');
      await replayHistory(await done.fetchHistory(), done.workflowId);
      for (const handle of [timed, signalled]) {
        const history = await handle.fetchHistory();
        const events = history.events ?? [];
        const count = (key: string) => events.filter((e) => (e as Record<string, unknown>)[key]).length;
        assert.equal(count('workflowExecutionStartedEventAttributes'), 1);
        assert.equal(count('workflowExecutionSignaledEventAttributes'), 1);
        assert.equal(count('activityTaskCompletedEventAttributes'), 1);
        assert.equal(count('timerFiredEventAttributes'), 1);
        events.forEach((e, i) => assert.equal(Number(e.eventId), i + 1, 'event ids are contiguous'));
        await replayHistory(history, handle.workflowId);
      }
      const list = await client.workflow.count(`TaskQueue = '${taskQueue}'`);
      assert.equal(list.count, 3);
    } finally {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    }
  });
});

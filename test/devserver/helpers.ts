// Shared harness for devserver tests: an in-process devserver, a client, one workflow bundle per test
// file, a worker per test, and a replay check of every history the test produced.
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import {
  NativeConnection,
  Runtime,
  Worker,
  bundleWorkflowCode,
  DefaultLogger,
  type WorkflowBundle,
} from '@temporalio/worker';
import { startDevServer, type DevServer, type DevServerOptions } from '../../devserver';
import * as fixtureActivities from './fixtures/activities';

let runtimeInstalled = false;
/** Keep the SDK's own logging quiet (warnings only) so test output stays readable. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
}

let bundlePromise: Promise<WorkflowBundle> | undefined;
export function fixtureBundle(): Promise<WorkflowBundle> {
  bundlePromise ??= bundleWorkflowCode({
    workflowsPath: require.resolve('./fixtures/workflows'),
    logger: new DefaultLogger('ERROR'),
  });
  return bundlePromise;
}

export interface Harness {
  server: DevServer;
  connection: Connection;
  client: Client;
  nativeConnection: NativeConnection;
  /** The workflow code the harness's workers run (and `replay` replays against). */
  workflowBundle: WorkflowBundle;
  /** Task queue of the worker that runs for the whole harness lifetime (Worker.create is slow). */
  taskQueue: string;
  /** Runs `fn` with an extra worker on `taskQueue` polling this server. */
  withWorker<T>(taskQueue: string, fn: () => Promise<T>): Promise<T>;
  /** Checks event ids and replays each handle's full history with the SDK's replayer (throws if it fails). */
  replay(...handles: WorkflowHandle[]): Promise<void>;
  close(): Promise<void>;
}

/** Workflow code and activities the harness's workers run; default: the shared fixtures. */
export interface HarnessApp {
  /** Bundled once per call; omit to share the fixture bundle. */
  workflowsPath?: string;
  activities?: object;
}

export async function startHarness(opts: DevServerOptions = {}, app: HarnessApp = {}): Promise<Harness> {
  quietRuntime();
  const server = await startDevServer({ port: 0, log: () => undefined, ...opts });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const workflowBundle = app.workflowsPath
    ? await bundleWorkflowCode({ workflowsPath: app.workflowsPath, logger: new DefaultLogger('ERROR') })
    : await fixtureBundle();
  const activities = app.activities ?? fixtureActivities;
  const taskQueue = uniqueId('shared');
  const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle, activities });
  const running = worker.run();
  return {
    server,
    connection,
    client,
    nativeConnection,
    workflowBundle,
    taskQueue,
    async withWorker(taskQueue, fn) {
      const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle, activities });
      return worker.runUntil(fn);
    },
    async replay(...handles) {
      for (const h of handles) await replayHistory(await h.fetchHistory(), h.workflowId, workflowBundle);
    },
    async close() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await server.close();
    },
  };
}

type History = Parameters<typeof Worker.runReplayHistory>[1];

/**
 * Checks that event ids run 1, 2, 3... and replays the history with the SDK's replayer against
 * `workflowBundle` (default: the fixture workflows); throws if either fails.
 */
export async function replayHistory(
  history: History,
  workflowId: string,
  workflowBundle?: WorkflowBundle,
): Promise<void> {
  const events = (history as { events?: { eventId?: unknown }[] | null }).events ?? [];
  events.forEach((e, i) => {
    if (Number(e.eventId) !== i + 1)
      throw new Error(`${workflowId}: event #${i + 1} has id ${String(e.eventId)}; ids must be contiguous from 1`);
  });
  await Worker.runReplayHistory(
    { workflowBundle: workflowBundle ?? (await fixtureBundle()), replayName: workflowId },
    history,
    workflowId,
  );
}

let seq = 0;
export function uniqueId(prefix: string): string {
  return `${prefix}-${process.pid}-${++seq}-${Date.now()}`;
}

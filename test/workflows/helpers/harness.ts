/**
 * Runs the real workflows with a real Worker against the in-process devserver. One workflow bundle per
 * test file; one worker per test (own task queue), so tests can pass their own activities.
 */
import { join } from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { exportHistoryFile } from '../../../client/history-json';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkflowBundle,
} from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../../devserver';
import { ticketRequestQuery, type TicketRequestView } from '../../../workflows/messages';

export const WORKFLOWS_PATH = require.resolve('../../../workflows');
export const HISTORIES_DIR = join(__dirname, '..', '..', 'histories');

let runtimeInstalled = false;
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
}

let bundle: Promise<WorkflowBundle> | undefined;
/** The workflow bundle, built once per test file (process). */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('ERROR') });
  return bundle;
}

export interface WorkflowHarness {
  server: DevServer;
  client: Client;
  /** Runs `fn` while a worker with `activities` polls a fresh task queue (passed to `fn`). */
  withWorker<T>(activities: object, fn: (taskQueue: string) => Promise<T>): Promise<T>;
  /**
   * Writes the handle's history to test/histories/<name>.json when UPDATE_HISTORIES=1 (how the committed
   * replay fixtures were produced); otherwise does nothing.
   */
  exportHistory(handle: WorkflowHandle, name: string): Promise<void>;
  close(): Promise<void>;
}

let seq = 0;
export function uniqueId(prefix: string): string {
  return `${prefix}-${process.pid}-${++seq}`;
}

export async function startWorkflowHarness(): Promise<WorkflowHarness> {
  quietRuntime();
  const server = await startDevServer({ port: 0, log: () => undefined });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const code = await workflowBundle();
  return {
    server,
    client,
    async withWorker(activities, fn) {
      const taskQueue = uniqueId('tq');
      const worker = await Worker.create({
        connection: nativeConnection,
        taskQueue,
        workflowBundle: code,
        activities,
        // NO_WORKFLOW_CACHE=1 replays the whole history on every workflow task: a determinism stress test.
        ...(process.env.NO_WORKFLOW_CACHE === '1' ? { maxCachedWorkflows: 0 } : {}),
      });
      return worker.runUntil(fn(taskQueue));
    },
    async exportHistory(handle, name) {
      if (process.env.UPDATE_HISTORIES !== '1') return;
      await exportHistoryFile(handle, join(HISTORIES_DIR, `${name}.json`));
    },
    async close() {
      await nativeConnection.close();
      await connection.close();
      await server.close();
    },
  };
}

/** Polls `probe` until it returns a value (not undefined); for waiting on a workflow state via queries. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, attempts = 300): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits until a cross-region run is waiting for the CEN route ticket; returns what it asks support for. */
export function ticketWait(handle: WorkflowHandle): Promise<TicketRequestView> {
  return eventually(async () => {
    const view = await handle.query(ticketRequestQuery);
    return view.status === 'waiting' ? view : undefined;
  }, 'the ticket wait');
}

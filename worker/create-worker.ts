import { join } from 'node:path';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { TASK_QUEUE } from './temporal-config';

export const WORKFLOWS_PATH = join(__dirname, '..', 'workflows', 'index.ts');

/** Bundles the workflow code once; tests and the demo reuse the bundle across workers. */
export async function bundleWorkflows(): Promise<WorkflowBundle> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
  return { code };
}

// The bundler reports every module at info level; only problems are worth showing.
const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

export interface CreateAppWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** Every activity of activities/contract.ts, usually `createActivities(createCloudClients())`. */
  activities: object;
  /** A prebuilt bundle (see bundleWorkflows); without it the worker bundles workflows/index.ts itself. */
  workflowBundle?: WorkflowBundle;
  taskQueue?: string;
  identity?: string;
}

export function createAppWorker(options: CreateAppWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    activities: options.activities,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    ...(options.identity ? { identity: options.identity } : {}),
  });
}

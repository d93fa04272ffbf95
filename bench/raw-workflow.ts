// The benchmark's small workflow (start → activity → signal → timer → complete) driven by raw
// WorkflowService calls instead of the SDK's worker: the same RPCs the SDK makes, minus the SDK's own
// work, so the server's cost per workflow can be read without the SDK sharing the machine's CPUs.
import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';

type WorkflowService = Connection['workflowService'];

const payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"hello"') };

/** RPCs one `runRawWorkflow` makes (the SDK makes the same number for `smallWorkflow`). */
export const RAW_WORKFLOW_RPCS = 10;

export async function runRawWorkflow(svc: WorkflowService, taskQueue: string, workflowId: string): Promise<void> {
  const namespace = 'default';
  const identity = 'bench-raw';
  const queue = { name: taskQueue };
  const pollTask = async () => {
    const task = await svc.pollWorkflowTaskQueue({ namespace, taskQueue: queue, identity });
    if (!task.taskToken?.length) throw new Error(`no workflow task for ${workflowId}`);
    return task;
  };
  await svc.startWorkflowExecution({
    namespace,
    workflowId,
    requestId: workflowId,
    workflowType: { name: 'smallWorkflow' },
    taskQueue: queue,
    input: { payloads: [payload] },
  });
  const result = svc.getWorkflowExecutionHistory({
    namespace,
    execution: { workflowId },
    historyEventFilterType: 2, // close event only, as the SDK client's result() asks
    waitNewEvent: true,
  });
  await svc.signalWorkflowExecution({ namespace, workflowExecution: { workflowId }, signalName: 'go', identity });
  const first = await pollTask();
  const scheduled = await svc.respondWorkflowTaskCompleted({
    taskToken: first.taskToken,
    identity,
    commands: [
      {
        commandType: 1,
        scheduleActivityTaskCommandAttributes: {
          activityId: '1',
          activityType: { name: 'echo' },
          taskQueue: queue,
          input: { payloads: [payload] },
          startToCloseTimeout: msToTs(30_000),
          requestEagerExecution: true,
        },
      },
    ],
  });
  const activity = scheduled.activityTasks?.[0];
  if (!activity) throw new Error(`the eager activity of ${workflowId} was not handed back`);
  await svc.respondActivityTaskCompleted({ taskToken: activity.taskToken, identity, result: { payloads: [payload] } });
  const second = await pollTask();
  await svc.respondWorkflowTaskCompleted({
    taskToken: second.taskToken,
    identity,
    commands: [{ commandType: 4, startTimerCommandAttributes: { timerId: '1', startToFireTimeout: msToTs(1) } }],
  });
  const third = await pollTask();
  await svc.respondWorkflowTaskCompleted({
    taskToken: third.taskToken,
    identity,
    commands: [{ commandType: 2, completeWorkflowExecutionCommandAttributes: { result: { payloads: [payload] } } }],
  });
  await result;
}

// temporal.api.workflowservice.v1.WorkflowService: request validation and mapping onto the engine.
import type { Engine } from '../engine/engine';
import { cancelActivity, completeActivity, failActivity, heartbeat, pollActivityTask } from '../engine/activities';
import { describeExecution, readHistory } from '../engine/reads';
import { pollUpdate, update } from '../engine/updates';
import type { RpcHandlers } from '../grpc/service-definition';
import { alreadyExists, invalidArgument, notFound, required, unimplemented } from '../grpc/status';
import { type Msg, durationFromMs, tsFromMs } from '../proto';
import { countExecutions, listExecutions } from './visibility';
import type { NamespaceRecord } from '../engine/namespaces';
import type { TaskQueue } from '../engine/matching';

/**
 * A plain major.minor.patch: Temporal UI compares it number by number to enable features (a suffix
 * such as `-devserver` would read as patch NaN and fail every `>= 1.27.0` check).
 */
export const SERVER_VERSION = '1.27.0';

const TaskQueueType = { WORKFLOW: 1, ACTIVITY: 2, NEXUS: 3 } as const;
const DESCRIBE_TASK_QUEUE_MODE_ENHANCED = 1;

export function workflowServiceHandlers(engine: Engine, journalNamespace: (ns: NamespaceRecord) => void): RpcHandlers {
  const describeNamespace = (ns: NamespaceRecord): Msg => ({
    namespaceInfo: {
      name: ns.name,
      state: 1,
      description: ns.description ?? '',
      id: ns.id,
      capabilities: { eagerWorkflowStart: false, syncUpdate: true, asyncUpdate: true },
      supportsSchedules: false,
    },
    config: {
      workflowExecutionRetentionTtl: durationFromMs(ns.retentionDays * 86_400_000),
      // ARCHIVAL_STATE_DISABLED: there is no archival here (Temporal UI then shows its "archival is
      // disabled" page instead of calling ListArchivedWorkflowExecutions).
      historyArchivalState: 1,
      visibilityArchivalState: 1,
    },
    replicationConfig: { activeClusterName: 'active', clusters: [{ clusterName: 'active' }], state: 1 },
    isGlobalNamespace: false,
  });

  return {
    GetSystemInfo: () => ({
      serverVersion: SERVER_VERSION,
      capabilities: {
        signalAndQueryHeader: true,
        internalErrorDifferentiation: true,
        activityFailureIncludeHeartbeat: true,
        supportsSchedules: false,
        encodedFailureAttributes: true,
        buildIdBasedVersioning: false,
        upsertMemo: true,
        eagerWorkflowStart: false,
        sdkMetadata: true,
        countGroupByExecutionStatus: true,
        nexus: false,
      },
    }),

    GetClusterInfo: () => ({
      supportedClients: { 'temporal-cli': '< 2.0.0', 'temporal-go': '< 2.0.0', 'temporal-typescript': '< 2.0.0' },
      serverVersion: SERVER_VERSION,
      clusterId: 'devserver',
      clusterName: 'active',
      historyShardCount: 1,
      persistenceStore: 'devserver-journal',
      visibilityStore: 'devserver-memory',
      initialFailoverVersion: 1,
      failoverVersionIncrement: 10,
    }),

    DescribeNamespace: (req) => {
      const ns = req.id
        ? engine.namespaces.list().find((n) => n.id === req.id)
        : engine.namespaces.require(req.namespace);
      if (!ns) throw notFound(`Namespace with id ${req.id} is not found.`);
      return describeNamespace(ns);
    },

    ListNamespaces: () => ({ namespaces: engine.namespaces.list().map(describeNamespace) }),

    RegisterNamespace: (req) => {
      const name = required(req.namespace as string, 'namespace');
      if (engine.namespaces.has(name)) throw alreadyExists(`Namespace ${name} already exists.`);
      const retentionMs = Number(req.workflowExecutionRetentionPeriod?.seconds ?? 86_400) * 1000;
      journalNamespace(
        engine.namespaces.add({ name, description: req.description, retentionDays: retentionMs / 86_400_000 }),
      );
      return {};
    },

    StartWorkflowExecution: (req) => {
      if (req.cronSchedule) throw unimplemented('cron schedules are not implemented by the devserver');
      const { runId, started } = engine.start(req);
      return { runId, started };
    },

    // Update-with-start: the only multi-operation the SDK sends.
    ExecuteMultiOperation: async (req, ctx) => {
      const [startOp, updateOp, ...rest] = (req.operations ?? []) as Msg[];
      if (!startOp?.startWorkflow || !updateOp?.updateWorkflow || rest.length > 0) {
        throw invalidArgument(
          'ExecuteMultiOperation supports exactly [startWorkflow, updateWorkflow] (update-with-start)',
        );
      }
      const start = { ...startOp.startWorkflow, namespace: req.namespace };
      if (start.cronSchedule) throw unimplemented('cron schedules are not implemented by the devserver');
      const { runId, started } = engine.start(start);
      const updateResponse = await update(
        engine,
        {
          ...updateOp.updateWorkflow,
          namespace: req.namespace,
          workflowExecution: { workflowId: start.workflowId, runId },
        },
        ctx.signal,
      );
      return { responses: [{ startWorkflow: { runId, started } }, { updateWorkflow: updateResponse }] };
    },

    SignalWithStartWorkflowExecution: (req) => {
      const signalName = required(req.signalName as string, 'signalName');
      const { runId, started } = engine.start(req, { name: signalName, input: req.signalInput, header: req.header });
      return { runId, started };
    },

    SignalWorkflowExecution: (req) => engine.signal(req),

    PollWorkflowTaskQueue: (req, ctx) => engine.pollWorkflowTask(req, ctx.signal),
    RespondWorkflowTaskCompleted: (req) => engine.completeWorkflowTask(req),
    RespondWorkflowTaskFailed: (req) => engine.respondWorkflowTaskFailed(req),
    RespondQueryTaskCompleted: (req) => engine.respondQueryTaskCompleted(req),

    PollActivityTaskQueue: (req, ctx) => pollActivityTask(engine, req, ctx.signal),
    RecordActivityTaskHeartbeat: (req) => heartbeat(engine, req, false),
    RecordActivityTaskHeartbeatById: (req) => heartbeat(engine, req, true),
    RespondActivityTaskCompleted: (req) => completeActivity(engine, req, false),
    RespondActivityTaskCompletedById: (req) => completeActivity(engine, req, true),
    RespondActivityTaskFailed: (req) => failActivity(engine, req, false),
    RespondActivityTaskFailedById: (req) => failActivity(engine, req, true),
    RespondActivityTaskCanceled: (req) => cancelActivity(engine, req, false),
    RespondActivityTaskCanceledById: (req) => cancelActivity(engine, req, true),

    GetWorkflowExecutionHistory: (req, ctx) => readHistory(engine, req, ctx.signal),

    GetWorkflowExecutionHistoryReverse: (req) => {
      const exec = engine.find(req.namespace, req.execution);
      const events = engine.historyOf(exec);
      const pageSize = Number(req.maximumPageSize) || 1000;
      const end = req.nextPageToken?.length ? Number(Buffer.from(req.nextPageToken).toString()) : events.length;
      if (!Number.isInteger(end) || end < 0 || end > events.length) {
        throw invalidArgument('nextPageToken is not one this server issued');
      }
      const start = Math.max(0, end - pageSize);
      return {
        history: { events: events.slice(start, end).reverse() },
        nextPageToken: start > 0 ? Buffer.from(String(start)) : undefined,
      };
    },

    DescribeWorkflowExecution: (req) => describeExecution(engine, req),

    TerminateWorkflowExecution: (req) => {
      const exec = engine.find(req.namespace, req.workflowExecution);
      checkFirstRun(exec.state.firstExecutionRunId, req.firstExecutionRunId);
      engine.tx(() => engine.terminate(exec, req.reason, req.details, req.identity));
      return {};
    },

    RequestCancelWorkflowExecution: (req) => {
      const exec = engine.find(req.namespace, req.workflowExecution);
      checkFirstRun(exec.state.firstExecutionRunId, req.firstExecutionRunId);
      engine.tx(() => engine.requestCancel(exec, req.reason, req.identity));
      return {};
    },

    QueryWorkflow: (req, ctx) => engine.query(req, ctx.signal),

    UpdateWorkflowExecution: (req, ctx) => update(engine, req, ctx.signal),
    PollWorkflowExecutionUpdate: (req, ctx) => pollUpdate(engine, req, ctx.signal),

    ListWorkflowExecutions: (req) => listExecutions(engine, req),
    ScanWorkflowExecutions: (req) => listExecutions(engine, req),
    CountWorkflowExecutions: (req) => countExecutions(engine, req),

    GetSearchAttributes: () => ({ keys: {} }),

    // Temporal UI asks once per task queue type (workflow, activity, nexus) and merges the pollers.
    DescribeTaskQueue: (req) => {
      engine.namespaces.require(req.namespace);
      const name = required(req.taskQueue?.name as string, 'taskQueue.name');
      const type = (req.taskQueueType as number | undefined) || TaskQueueType.WORKFLOW;
      if (req.apiMode === DESCRIBE_TASK_QUEUE_MODE_ENHANCED) {
        throw unimplemented('DescribeTaskQueue in ENHANCED mode (worker versioning) is not implemented');
      }
      const findByType: Record<number, () => Pick<TaskQueue<unknown>, 'pollers' | 'backlog'> | undefined> = {
        [TaskQueueType.WORKFLOW]: () => engine.workflowQueues.find(req.namespace, name),
        [TaskQueueType.ACTIVITY]: () => engine.activityQueues.find(req.namespace, name),
        [TaskQueueType.NEXUS]: () => undefined, // no Nexus here: a Nexus task queue never has pollers
      };
      const find = findByType[type];
      if (!find) {
        throw invalidArgument(`taskQueueType ${type} is not a TaskQueueType (1 workflow, 2 activity, 3 nexus)`);
      }
      const queue = find();
      return {
        pollers: [...(queue?.pollers.values() ?? [])].map((p) => ({
          identity: p.identity,
          lastAccessTime: tsFromMs(p.lastAccessTime),
          ratePerSecond: 100_000,
        })),
        taskQueueStatus: { backlogCountHint: queue?.backlog ?? 0, readLevel: 0, ackLevel: 0, ratePerSecond: 100_000 },
      };
    },

    // Schedules and batch operations cannot be created here (their RPCs answer UNIMPLEMENTED), so these
    // lists are truly empty; answering them lets a Temporal UI render its pages.
    ListSchedules: (req) => {
      engine.namespaces.require(req.namespace);
      return { schedules: [] };
    },
    CountSchedules: (req) => {
      engine.namespaces.require(req.namespace);
      return { count: 0 };
    },
    ListBatchOperations: (req) => {
      engine.namespaces.require(req.namespace);
      return { operationInfo: [] };
    },

    ShutdownWorker: () => ({}),
    ResetStickyTaskQueue: () => ({}),
  };
}

function checkFirstRun(actual: string, expected: string | undefined): void {
  if (expected && expected !== actual) {
    throw notFound(`workflow execution with first run id ${expected} not found (the chain's first run is ${actual})`);
  }
}

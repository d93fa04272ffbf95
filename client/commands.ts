import { WorkflowFailedError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { exportHistoryFile } from './history-json';
import type { Inventory } from '../activities/contract';
import { loadRunConfig } from '../config/load';
import type { RunConfig } from '../config/schema';
import { TASK_QUEUE } from '../worker/temporal-config';
import { formatPlan, planRun } from '../workflows/plan';
import type { AccessResult } from '../workflows/provision';
import {
  cenRouteTicketFulfilledSignal,
  inventoryQuery,
  progressQuery,
  submitCenRouteTicketUpdate,
  ticketRequestQuery,
  WORKFLOW_TYPES,
  type TeardownReport,
} from '../workflows/messages';
import { EXIT, type Command, type ScenarioName } from './args';
import { formatProgress, watchProgress } from './progress';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Progress poll interval while waiting. */
  pollMs: number;
}

/** A failure the CLI reports with a specific exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export function defaultWorkflowId(scenario: ScenarioName, now = new Date()): string {
  return `fc-apigw-vpc-${scenario}-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`;
}

export const teardownWorkflowId = (runId: string) => `${runId}-teardown`;

function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** Waits for a workflow while printing progress; resolves with its result or throws CliError(failure). */
async function waitWithProgress<T>(handle: WorkflowHandle, io: CliIo, quiet: boolean): Promise<T> {
  const stop = quiet ? async () => undefined : watchProgress(handle, { intervalMs: io.pollMs, print: io.out });
  try {
    return (await handle.result()) as T;
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      const cause = error.cause?.message ?? error.message;
      throw new CliError(`${handle.workflowId} failed: ${cause}`, EXIT.failure);
    }
    throw error;
  } finally {
    await stop();
  }
}

/** `plan` needs no server; everything else gets a connected client. */
export function runPlan(command: Extract<Command, { kind: 'plan' }>, io: CliIo): number {
  const plan = planRun(loadRunConfig(command.scenario, command.configFile));
  if (command.json) printJson(io, plan);
  else io.out(formatPlan(plan));
  return EXIT.ok;
}

type StartCommand = Extract<Command, { kind: 'start' }>;

/** Reads and validates the run's config; called before connecting so a bad config starts nothing. */
export function prepareStart(command: StartCommand): RunConfig {
  return loadRunConfig(command.scenario, command.configFile);
}

export async function startRun(client: Client, command: StartCommand, config: RunConfig, io: CliIo): Promise<number> {
  const workflowId = command.id ?? defaultWorkflowId(command.scenario);
  const handle = await client.workflow.start(WORKFLOW_TYPES[command.scenario], {
    taskQueue: TASK_QUEUE,
    workflowId,
    args: [config],
    memo: { scenario: command.scenario },
    // A run id names one deployment and its inventory (teardown reads it): never reuse it for another run.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  if (!command.json) io.out(`started ${command.scenario} as ${workflowId}`);
  if (!command.wait) {
    if (command.json) printJson(io, { workflowId, runId: handle.firstExecutionRunId });
    return EXIT.ok;
  }
  const result = await waitWithProgress<AccessResult>(handle, io, command.json);
  if (command.json) printJson(io, result);
  else printAccessResult(io, workflowId, result);
  return EXIT.ok;
}

export async function runCommand(
  client: Client,
  command: Exclude<Command, { kind: 'help' | 'plan' | 'start' }>,
  io: CliIo,
): Promise<number> {
  switch (command.kind) {
    case 'status': {
      const handle = client.workflow.getHandle(command.id);
      const description = await handle.describe();
      const progress = await handle.query(progressQuery);
      const ticket = await handle.query(ticketRequestQuery).catch(() => null);
      const result = description.status.name === 'COMPLETED' ? await handle.result() : undefined;
      if (command.json) {
        printJson(io, { status: description.status.name, progress, ticket, ...(result ? { result } : {}) });
        return EXIT.ok;
      }
      io.out(`workflow status: ${description.status.name}`);
      io.out(formatProgress(progress));
      if (ticket?.text) {
        io.out(`CEN route ticket (${ticket.status}) — ResolveAndRouteServiceInCen parameters:`);
        for (const line of ticket.text.split('\n')) io.out(`    ${line}`);
      }
      if (result && description.type === WORKFLOW_TYPES.teardown) printTeardownReport(io, result as TeardownReport);
      else if (result) printAccessResult(io, command.id, result as AccessResult);
      return EXIT.ok;
    }
    case 'ticket': {
      const handle = client.workflow.getHandle(command.id);
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') {
        throw new CliError(`ticket refused: ${command.id} is ${status.name}, not waiting for a ticket`, EXIT.rejected);
      }
      const report = { ticketId: command.ticketId, ...(command.note !== undefined ? { note: command.note } : {}) };
      try {
        const answer = await handle.executeUpdate(submitCenRouteTicketUpdate, { args: [report] });
        io.out(`ticket ${answer.ticketId} accepted; CEN route ticket is ${answer.status}`);
        return EXIT.ok;
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError) {
          throw new CliError(`ticket refused: ${error.cause?.message ?? error.message}`, EXIT.rejected);
        }
        if (isUpdateUnsupported(error)) {
          // A server without Updates: the signal is never refused, the workflow logs bad reports instead.
          await handle.signal(cenRouteTicketFulfilledSignal, report);
          io.out(`ticket ${command.ticketId} sent as signal cenRouteTicketFulfilled`);
          return EXIT.ok;
        }
        throw error;
      }
    }
    case 'teardown': {
      const handle = client.workflow.getHandle(command.id);
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') {
        throw new CliError(
          `teardown refused: ${command.id} is still running and may create more; cancel it first ` +
            `(temporal workflow cancel -w ${command.id}: it compensates what it made) or let it finish`,
          EXIT.rejected,
        );
      }
      const inventory = await handle.query(inventoryQuery);
      const teardownHandle = await client.workflow.start(WORKFLOW_TYPES.teardown, {
        taskQueue: TASK_QUEUE,
        workflowId: teardownWorkflowId(command.id),
        args: [inventory satisfies Inventory],
        memo: { scenario: 'teardown', of: command.id },
      });
      if (!command.json) io.out(`teardown of ${inventory.length} resource(s) started as ${teardownHandle.workflowId}`);
      if (!command.wait) {
        if (command.json) printJson(io, { workflowId: teardownHandle.workflowId, resources: inventory.length });
        return EXIT.ok;
      }
      const report = await waitWithProgress<TeardownReport>(teardownHandle, io, command.json);
      if (command.json) printJson(io, report);
      else printTeardownReport(io, report);
      return report.complete ? EXIT.ok : EXIT.failure;
    }
    case 'history': {
      const handle = client.workflow.getHandle(command.id, command.runId);
      const events = await exportHistoryFile(handle, command.out);
      io.out(`wrote ${events} events of ${command.id} to ${command.out}`);
      return EXIT.ok;
    }
    case 'list': {
      const rows: { workflowId: string; type: string; status: string; startTime: string }[] = [];
      for await (const execution of client.workflow.list({ query: `TaskQueue = '${TASK_QUEUE}'` })) {
        rows.push({
          workflowId: execution.workflowId,
          type: execution.type,
          status: execution.status.name,
          startTime: execution.startTime.toISOString(),
        });
      }
      rows.sort((a, b) => b.startTime.localeCompare(a.startTime));
      if (command.json) printJson(io, rows);
      else if (rows.length === 0) io.out('no runs');
      else for (const r of rows) io.out(`${r.startTime}  ${r.status.padEnd(10)} ${r.type.padEnd(18)} ${r.workflowId}`);
      return EXIT.ok;
    }
  }
}

function isUpdateUnsupported(error: unknown): boolean {
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
  // gRPC UNIMPLEMENTED
  return code === 12;
}

export function printAccessResult(io: CliIo, workflowId: string, result: AccessResult): void {
  io.out(`${workflowId} succeeded (${result.scenario})`);
  io.out(`  VPC subdomain:      ${result.vpcSubdomain}`);
  io.out(`  gateway egress:     ${result.vpcEgressAddress}`);
  io.out(`  function called:    ${result.apiUrl}`);
  io.out(`  backend answered:   HTTP ${result.verification.status} ${result.verification.body}`);
  io.out(`  resources created:  ${result.inventory.length} (tear down with: fc-apigw-vpc teardown ${workflowId})`);
  for (const note of result.notes) io.out(`  note: ${note}`);
}

export function printTeardownReport(io: CliIo, report: TeardownReport): void {
  const deleted = report.results.filter((r) => r.outcome === 'deleted').length;
  const gone = report.results.filter((r) => r.outcome === 'notFound').length;
  io.out(`teardown ${report.complete ? 'complete' : 'INCOMPLETE'}: ${deleted} deleted, ${gone} already gone`);
  for (const r of report.needsHuman) io.out(`  needs a human: ${r.item.kind} ${r.item.id} — ${r.detail ?? ''}`);
  for (const r of report.failed) io.out(`  failed: ${r.item.kind} ${r.item.id} — ${r.detail ?? ''}`);
}

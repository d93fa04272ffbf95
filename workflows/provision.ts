import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  isCancellation,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { InvocationResult, Inventory } from '../activities/contract';
import { apiUrlOf } from '../config/scenario';
import type { RunConfig, Scenario } from '../config/schema';
import { checkRunConfig } from '../config/validate';
import { deleteInventory, describeReport, failureMessage } from './delete-inventory';
import {
  cenRouteTicketFulfilledSignal,
  inventoryQuery,
  progressQuery,
  submitCenRouteTicketUpdate,
  ticketRequestQuery,
} from './messages';
import { RunState } from './run-state';
import { createStepHandlers, type Facts, type StepHandlers } from './step-handlers';
import { executionWaves, predecessorsOf, stepsOf, type StepDefinition, type StepName } from './steps';
import { acceptTicketReport, ticketReportProblem, ticketRequestView } from './ticket';

export interface AccessResult {
  scenario: Scenario;
  /** Every resource the run created; pass it to the `teardown` workflow to remove them. */
  inventory: Inventory;
  /** The API group's VPC intranet subdomain. */
  vpcSubdomain: string;
  /** The URL the function called. */
  apiUrl: string;
  /** The dedicated instance's VPC egress CIDR (security group source, CEN route host). */
  vpcEgressAddress: string;
  /** What the function got back from the backend through the VPC subdomain. */
  verification: InvocationResult;
  /** Things a human should know (e.g. a prepaid bandwidth plan that will need manual release). */
  notes: string[];
}

/**
 * Runs a scenario's step table: every step starts once its dependencies are done (independent steps in
 * parallel); the first failure stops new steps from starting, lets running ones settle, and is rethrown.
 *
 * Cancelling the run does not cancel a step midway: an abandoned create could make a resource the
 * inventory never hears of. Running steps finish in a non-cancellable scope, no new step starts, and
 * only the human wait (the CEN ticket) is interrupted; then the run compensates as for a failure.
 */
export async function runStepTable(
  steps: readonly StepDefinition[],
  handlers: StepHandlers,
  state: RunState,
): Promise<void> {
  const runScope = CancellationScope.current();
  const running = new Map<StepName, Promise<void>>();
  let firstFailure: StepFailed | undefined;
  for (const wave of executionWaves(steps)) {
    for (const name of wave) {
      const step = steps.find((s) => s.name === name) as StepDefinition;
      const dependencies = predecessorsOf(step).map((dep) => running.get(dep) as Promise<void>);
      running.set(
        name,
        Promise.all(dependencies).then(async () => {
          if (state.aborted || runScope.consideredCancelled) return;
          state.started(name);
          try {
            const detail = await (step.human ? handlers[name]() : CancellationScope.nonCancellable(handlers[name]));
            state.done(name, detail ?? undefined);
          } catch (error) {
            state.failed(name, failureMessage(error));
            firstFailure ??= new StepFailed(name, error);
            state.aborted = true;
            throw error;
          }
        }),
      );
    }
  }
  await Promise.allSettled(running.values());
  state.skipPending();
  if (!firstFailure && runScope.consideredCancelled) {
    firstFailure = new StepFailed(undefined, new CancelledFailure('the run was cancelled'));
  }
  if (firstFailure) throw firstFailure;
}

class StepFailed {
  constructor(
    /** Undefined when the run was cancelled between steps. */
    readonly step: StepName | undefined,
    readonly error: unknown,
  ) {}
}

/**
 * The body shared by both scenario workflows: handlers for queries/signals/updates, the step table,
 * and the saga (compensate in reverse, unless keepOnFailure, then fail with the original cause).
 */
export async function provisionScenario(scenario: Scenario, config: RunConfig): Promise<AccessResult> {
  if (config?.scenario !== scenario) {
    throw ApplicationFailure.nonRetryable(
      `this workflow runs the ${scenario} scenario but the input says "${String(config?.scenario)}"; ` +
        'build the input with loadRunConfig(scenario)',
      'InvalidInput',
    );
  }
  // The CLI validates before starting; a run started by any other client is checked here, before any activity.
  const { problems } = checkRunConfig(config);
  if (problems.length > 0) {
    throw ApplicationFailure.nonRetryable(
      `invalid run configuration, ${problems.length} problem(s): ` +
        problems.map((p) => `${p.path || '(top level)'}: ${p.message}`).join('; '),
      'InvalidInput',
      { problems },
    );
  }
  const steps = stepsOf(scenario);
  const waves = executionWaves(steps);
  const state = new RunState(
    scenario,
    waves.flat().map((name) => {
      const step = steps.find((s) => s.name === name) as StepDefinition;
      return { name, title: step.title, runbookStep: step.runbookStep[scenario] };
    }),
    waves,
    { ticket: scenario === 'cross-region', phase: 'preflight' },
  );
  const facts: Facts = { vpcIds: {}, vSwitchIds: {} };
  registerHandlers(state);

  const handlers = createStepHandlers({ config, state, facts });
  const trackedHandlers: StepHandlers = { ...handlers };
  // Phase changes the UI lists by: preflight → provisioning → (ticket) → verifying.
  trackedHandlers.preflight = async () => {
    const detail = await handlers.preflight();
    state.setPhase('provisioning');
    return detail;
  };
  trackedHandlers.verify = async () => {
    state.setPhase('verifying');
    return handlers.verify();
  };

  try {
    await runStepTable(steps, trackedHandlers, state);
  } catch (err) {
    const failed = err instanceof StepFailed ? err : new StepFailed(undefined, err);
    throw await compensate(config, state, failed);
  }

  const notes = state.inventory
    .filter((item) => item.kind === 'cenBandwidthPackage' && item.chargeType === 'PREPAY')
    .map((item) => `CEN bandwidth package ${item.id} is prepaid: the API cannot release it; it expires unless renewed`);
  if (facts.preflight) notes.push(...facts.preflight.warnings);
  state.setPhase('succeeded');
  const vpcSubdomain = facts.vpcDomain as string;
  return {
    scenario,
    inventory: [...state.inventory],
    vpcSubdomain,
    apiUrl: apiUrlOf(vpcSubdomain, config),
    vpcEgressAddress: facts.vpcEgressAddress as string,
    verification: facts.verification as InvocationResult,
    notes,
  };
}

async function compensate(config: RunConfig, state: RunState, failed: StepFailed): Promise<unknown> {
  const cause = failureMessage(failed.error);
  const summary = failed.step ? `step ${failed.step} failed: ${cause}` : cause;
  log.error(summary);
  if (isCancellation(failed.error) && config.keepOnFailure) return failed.error;
  let outcome: string;
  if (config.keepOnFailure) {
    outcome = `kept ${state.inventory.length} resources for inspection (keepOnFailure); remove them with the teardown workflow`;
  } else {
    state.setPhase('compensating');
    const report = await deleteInventory([...state.inventory]);
    state.setCompensation(report);
    state.forget(report.results.filter((r) => r.outcome !== 'failed' && r.outcome !== 'needsHuman').map((r) => r.item));
    outcome = `compensation: ${describeReport(report)}`;
  }
  state.setFailure(`${summary}; ${outcome}`);
  state.setPhase('failed');
  if (isCancellation(failed.error)) return failed.error;
  return ApplicationFailure.create({
    message: `${workflowInfo().workflowType}: ${summary}; ${outcome}`,
    type: 'ProvisioningFailed',
    nonRetryable: true,
    cause: failed.error instanceof Error ? failed.error : undefined,
    details: [{ failedStep: failed.step ?? null, remainingInventory: [...state.inventory] }],
  });
}

function registerHandlers(state: RunState): void {
  setHandler(progressQuery, () => state.progress());
  setHandler(inventoryQuery, () => [...state.inventory]);
  setHandler(ticketRequestQuery, () => ticketRequestView(state.ticket));
  setHandler(cenRouteTicketFulfilledSignal, (report) => {
    const problem = state.ticket ? ticketReportProblem(report) : 'this run has no CEN route ticket step';
    if (problem) {
      // Signals cannot be refused; the update submitCenRouteTicket tells the caller instead.
      log.warn(`ignoring cenRouteTicketFulfilled: ${problem}`);
      return;
    }
    acceptTicketReport(state, report);
  });
  setHandler(
    submitCenRouteTicketUpdate,
    (report) => {
      acceptTicketReport(state, report);
      return { accepted: true, ticketId: report.ticketId.trim(), status: state.ticket?.status ?? 'not-yet-needed' };
    },
    {
      validator: (report) => {
        const problem = ticketReportProblem(report);
        if (problem) throw new Error(problem);
        const status = state.ticket?.status;
        if (status !== 'waiting') {
          throw new Error(
            status === undefined
              ? 'this run has no CEN route ticket step (same-region scenario)'
              : `this run is not waiting for the CEN route ticket (ticket status: ${status}); use the cenRouteTicketFulfilled signal to report a ticket early`,
          );
        }
      },
    },
  );
}

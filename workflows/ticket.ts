import { ApplicationFailure, condition, log } from '@temporalio/workflow';
import type { CenRouteTicketRequest } from '../activities/contract';
import { formatDuration } from '../config/durations';
import { activity } from './activity-stubs';
import type { CenRouteTicketFulfilled, TicketRequestView, TicketState } from './messages';
import { nowIso, type RunState } from './run-state';
import { hasPatch, PATCHES } from './patches';
import type { RunContext } from './run-context';

/**
 * The runbook's human step (Scenario 2 step 4): support applies ResolveAndRouteServiceInCen on a ticket.
 * The workflow publishes the parameters (query `ticketRequest`), reminds at intervals, optionally polls
 * DescribeRouteServicesInCen, and goes on when the ticket is reported fulfilled (signal or update) or the
 * route is seen Active. Past the deadline the step fails and the run compensates.
 */

const STEP = 'cenRouteTicket';

/** `Key=Value` parameters as the runbook's ticket lists them. */
export function ticketParameters(request: CenRouteTicketRequest): Record<string, string> {
  const parameters: Record<string, string> = {};
  request.accessRegionIds.forEach((region, i) => (parameters[`AccessRegionIds.${i + 1}`] = region));
  parameters.CenId = request.cenId;
  parameters.Host = request.host;
  parameters.HostRegionId = request.hostRegionId;
  parameters.HostVpcId = request.hostVpcId;
  return parameters;
}

export function ticketRequestView(ticket: TicketState | null): TicketRequestView {
  if (!ticket) return { status: 'not-yet-needed', parameters: null, text: null };
  const parameters = ticket.request ? ticketParameters(ticket.request) : null;
  return {
    status: ticket.status,
    parameters,
    text: parameters
      ? Object.entries(parameters)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n')
      : null,
    ...(ticket.waitingSince ? { waitingSince: ticket.waitingSince } : {}),
    ...(ticket.deadlineAt ? { deadlineAt: ticket.deadlineAt } : {}),
  };
}

/** Why a ticket report cannot be taken; undefined when it can. Shared by the signal and the update validator. */
export function ticketReportProblem(report: CenRouteTicketFulfilled | undefined): string | undefined {
  if (!report || typeof report.ticketId !== 'string' || report.ticketId.trim() === '') {
    return 'the ticket id is empty: pass the id of the support ticket that configured the CEN route';
  }
  return undefined;
}

/** Records a fulfilled ticket; an early report (before the wait begins) is kept and honoured later. */
export function acceptTicketReport(state: RunState, report: CenRouteTicketFulfilled): void {
  const ticket = state.ticket;
  if (!ticket) throw new Error('this run has no CEN route ticket step');
  if (ticket.status === 'fulfilled' || ticket.status === 'detected') {
    log.warn(`CEN route ticket already ${ticket.status}; ignoring report for ticket ${report.ticketId}`);
    return;
  }
  if (ticket.status === 'expired' || ticket.status === 'abandoned') {
    log.warn(`CEN route ticket wait is over (${ticket.status}); ignoring report for ticket ${report.ticketId}`);
    return;
  }
  ticket.ticketId = report.ticketId.trim();
  if (report.note) ticket.note = report.note;
  ticket.fulfilledAt = nowIso();
  if (ticket.status === 'waiting') ticket.status = 'fulfilled';
  state.touchTicket();
  log.info(`CEN route ticket ${ticket.ticketId} reported fulfilled`, { ticketId: ticket.ticketId });
}

export async function waitForCenRouteTicket(ctx: RunContext, request: CenRouteTicketRequest): Promise<string> {
  const { state, config } = ctx;
  const ticket = state.ticket;
  if (!ticket) throw new Error('this run has no CEN route ticket step');
  const policy = config.ticket;
  const startedMs = Date.now();
  const deadlineMs = startedMs + policy.deadline;
  ticket.request = request;
  ticket.waitingSince = new Date(startedMs).toISOString();
  ticket.deadlineAt = new Date(deadlineMs).toISOString();

  const early = ticket.fulfilledAt !== undefined;
  ticket.status = early ? 'fulfilled' : 'waiting';
  const parametersText = ticketRequestView(ticket).text ?? '';
  if (!early) {
    state.waiting(STEP, `waiting for the CEN route ticket (deadline ${ticket.deadlineAt}):\n${parametersText}`);
    state.setPhase('waiting-for-cen-route-ticket', {
      ticketRequest: ticketParameters(request),
      ticketDeadlineAt: ticket.deadlineAt,
    });
    log.info(`submit a ticket to CEN support with ResolveAndRouteServiceInCen parameters:\n${parametersText}`);
  }

  const settled = () => ticket.status === 'fulfilled' || ticket.status === 'detected' || state.aborted;
  let nextReminderMs = startedMs + policy.reminderInterval;
  let nextPollMs = policy.autoDetect ? startedMs : Number.POSITIVE_INFINITY;

  while (!settled()) {
    const now = Date.now();
    if (now >= deadlineMs) {
      ticket.status = 'expired';
      state.touchTicket();
      throw ApplicationFailure.nonRetryable(
        `the CEN route ticket was not fulfilled within ${formatDuration(policy.deadline)} ` +
          `(waiting since ${ticket.waitingSince}); ResolveAndRouteServiceInCen parameters were:\n${parametersText}`,
        'CenRouteTicketDeadlineExceeded',
        { request },
      );
    }
    if (now >= nextPollMs) {
      const route = await activity('describeRouteService')(request);
      if (route.allActive) {
        ticket.status = 'detected';
        ticket.fulfilledAt = nowIso();
        state.touchTicket();
        log.info('CEN route service detected Active; continuing without waiting for the ticket signal');
        break;
      }
      nextPollMs = Date.now() + policy.autoDetectInterval;
      continue;
    }
    if (now >= nextReminderMs) {
      remind(state, ticket, parametersText);
      nextReminderMs = now + policy.reminderInterval;
      continue;
    }
    await condition(settled, Math.min(deadlineMs, nextReminderMs, nextPollMs) - now);
  }

  if (state.aborted && ticket.status === 'waiting') {
    ticket.status = 'abandoned';
    state.touchTicket();
    throw ApplicationFailure.nonRetryable('stopped waiting for the CEN route ticket: another step failed', 'Abandoned');
  }
  state.setPhase('provisioning');
  if (ticket.status === 'detected') return 'route service detected Active by DescribeRouteServicesInCen';
  const fulfilled = `ticket ${ticket.ticketId ?? ''} fulfilled${ticket.note ? `: ${ticket.note}` : ''}`;
  if (!hasPatch(PATCHES.confirmRouteServiceAfterTicket)) return fulfilled;
  // Support's word is taken, but say what the API shows: verification will name the missing link if any.
  const route = await activity('describeRouteService')(request);
  if (route.allActive) return `${fulfilled}; route service Active`;
  const states = route.entries.map((e) => `${e.accessRegionId}: ${e.status}`).join(', ');
  log.warn(`ticket ${ticket.ticketId ?? ''} reported fulfilled but the route service is not Active yet (${states})`);
  return `${fulfilled}; route service not Active yet (${states})`;
}

function remind(state: RunState, ticket: TicketState, parametersText: string): void {
  ticket.remindersSent += 1;
  ticket.lastReminderAt = nowIso();
  state.touchTicket();
  state.memo({ ticketRemindersSent: ticket.remindersSent, ticketLastReminderAt: ticket.lastReminderAt });
  log.warn(
    `reminder ${ticket.remindersSent}: still waiting for the CEN route ticket since ${ticket.waitingSince ?? '?'} ` +
      `(deadline ${ticket.deadlineAt ?? '?'}); signal cenRouteTicketFulfilled when support is done. Parameters:\n${parametersText}`,
  );
}

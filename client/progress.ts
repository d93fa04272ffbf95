import type { WorkflowHandle } from '@temporalio/client';
import {
  progressQuery,
  ticketRequestQuery,
  type ProgressReport,
  type StepProgress,
  type TicketRequestView,
} from '../workflows/messages';

const MARK: Record<StepProgress['status'], string> = {
  pending: '·',
  running: '…',
  waiting: '⏸',
  done: '✓',
  failed: '✗',
  skipped: '-',
};

function clock(iso: string | undefined): string {
  return iso ? iso.slice(11, 19) : '--:--:--';
}

/** One line per step, e.g. `12:40:01 ✓ [runbook 1] Create vpc-api-access — vpc-uf6...`. */
export function formatStepLine(step: StepProgress): string {
  const when = clock(step.finishedAt ?? step.startedAt);
  const runbook = step.runbookStep !== undefined ? `[runbook ${step.runbookStep}] ` : '';
  const tail = step.error ? ` — ${step.error}` : step.detail ? ` — ${step.detail}` : '';
  return `${when} ${MARK[step.status]} ${runbook}${step.title}${tail}`;
}

/** The full status view: phase, every step, the ticket parameters when a ticket is involved. */
export function formatProgress(report: ProgressReport): string {
  const lines = [
    `${report.workflowId} (${report.scenario}): ${report.phase}, started ${report.startedAt}, updated ${report.updatedAt}`,
    ...report.steps.map((s) => `  ${formatStepLine(s)}`),
  ];
  if (report.ticket?.request) {
    lines.push(
      `  CEN route ticket: ${report.ticket.status}` +
        (report.ticket.ticketId ? ` (ticket ${report.ticket.ticketId})` : '') +
        (report.ticket.deadlineAt ? `, deadline ${report.ticket.deadlineAt}` : ''),
    );
  }
  if (report.compensation) {
    lines.push(`  compensation: ${report.compensation.complete ? 'complete' : 'incomplete'}`);
    for (const r of [...report.compensation.needsHuman, ...report.compensation.failed]) {
      lines.push(`    ${r.outcome}: ${r.item.kind} ${r.item.id}${r.detail ? ` — ${r.detail}` : ''}`);
    }
  }
  if (report.failure) lines.push(`  failure: ${report.failure}`);
  return lines.join('\n');
}

export interface WatchOptions {
  intervalMs: number;
  print: (line: string) => void;
  /** Prefix for every line (the demo tells its two scenarios apart). */
  prefix?: string;
  /** Called once when the run publishes the CEN route ticket (the demo's support desk listens here). */
  onTicketRequest?: (view: TicketRequestView) => void;
}

/**
 * Polls the `progress` query and prints a line each time a step changes state, plus the ticket
 * parameters once when the run starts waiting for the CEN route ticket. Returns a stop function that
 * does one last poll (so the final steps are printed) and ends the loop.
 */
export function watchProgress(handle: WorkflowHandle, options: WatchOptions): () => Promise<void> {
  const seen = new Map<string, string>();
  const prefix = options.prefix ?? '';
  let ticketShown = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const poll = async () => {
    let report: ProgressReport;
    try {
      report = await handle.query(progressQuery);
    } catch {
      return; // not queryable yet (no first workflow task) or gone: try again next round
    }
    for (const step of report.steps) {
      const key = `${step.status}|${step.detail ?? ''}|${step.error ?? ''}`;
      if (seen.get(step.name) === key || step.status === 'pending') continue;
      seen.set(step.name, key);
      options.print(`${prefix}${formatStepLine(step)}`);
    }
    if (!ticketShown && report.phase === 'waiting-for-cen-route-ticket') {
      ticketShown = true;
      const view = await handle.query(ticketRequestQuery).catch(() => undefined);
      if (view?.text) {
        options.print(`${prefix}CEN route ticket needed: file a ticket with CEN support quoting`);
        for (const line of view.text.split('\n')) options.print(`${prefix}    ${line}`);
        options.print(`${prefix}then run: fc-apigw-vpc ticket ${report.workflowId} --ticket-id <id>`);
        options.onTicketRequest?.(view);
      } else {
        ticketShown = false; // parameters not readable yet: look again next round
      }
    }
  };
  const loop = async () => {
    await poll();
    if (!stopped) timer = setTimeout(loop, options.intervalMs);
  };
  timer = setTimeout(loop, 0);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await poll();
  };
}

import { log, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { InventoryItem } from '../activities/contract';
import type { Scenario } from '../config/schema';
import {
  SEARCH_ATTRIBUTE_PHASE,
  SEARCH_ATTRIBUTE_SCENARIO,
  type DeploymentPhase,
  type ProgressReport,
  type StepProgress,
  type TeardownReport,
  type TicketState,
} from './messages';

const scenarioKey = defineSearchAttributeKey(SEARCH_ATTRIBUTE_SCENARIO, SearchAttributeType.KEYWORD);
const phaseKey = defineSearchAttributeKey(SEARCH_ATTRIBUTE_PHASE, SearchAttributeType.KEYWORD);

/** Workflow time (deterministic: the SDK derives Date from history). */
export const nowIso = (): string => new Date().toISOString();

/** The state a run exposes through its queries: progress per step, inventory, phase, ticket, compensation. */
export class RunState {
  readonly inventory: InventoryItem[] = [];
  readonly ticket: TicketState | null;
  private readonly steps = new Map<string, StepProgress>();
  private phase: DeploymentPhase;
  private compensation: TeardownReport | null = null;
  private failure: string | undefined;
  private readonly startedAt = nowIso();
  private updatedAt = this.startedAt;
  /** Set when a step failed: steps not started yet will not start, waits give up. */
  aborted = false;

  constructor(
    private readonly scenario: Scenario | 'teardown',
    steps: { name: string; title: string; runbookStep?: number }[],
    private readonly waves: string[][],
    options: { ticket: boolean; phase: DeploymentPhase },
  ) {
    for (const step of steps) this.steps.set(step.name, { ...step, status: 'pending' });
    this.ticket = options.ticket ? { status: 'not-yet-needed', request: null, remindersSent: 0 } : null;
    this.phase = options.phase;
    upsertSearchAttributes([
      { key: scenarioKey, value: scenario },
      { key: phaseKey, value: this.phase },
    ]);
    upsertMemo({ scenario, phase: this.phase });
  }

  setPhase(phase: DeploymentPhase, memo: Record<string, unknown> = {}): void {
    if (phase === this.phase && Object.keys(memo).length === 0) return;
    this.phase = phase;
    this.touch();
    upsertSearchAttributes([{ key: phaseKey, value: phase }]);
    upsertMemo({ phase, ...memo });
    log.info(`phase: ${phase}`, { phase });
  }

  getPhase(): DeploymentPhase {
    return this.phase;
  }

  /** Upserts memo fields without a phase change (ticket reminders). */
  memo(fields: Record<string, unknown>): void {
    this.touch();
    upsertMemo(fields);
  }

  started(name: string): void {
    this.update(name, { status: 'running', startedAt: nowIso() });
  }

  waiting(name: string, detail: string): void {
    this.update(name, { status: 'waiting', detail });
  }

  done(name: string, detail?: string): void {
    this.update(name, { status: 'done', finishedAt: nowIso(), ...(detail ? { detail } : {}) });
  }

  failed(name: string, error: string): void {
    this.update(name, { status: 'failed', finishedAt: nowIso(), error });
  }

  /** Steps that never started because the run failed elsewhere. */
  skipPending(): void {
    for (const [name, step] of this.steps) {
      if (step.status === 'pending') this.update(name, { status: 'skipped' });
    }
  }

  stepStatus(name: string): StepProgress['status'] | undefined {
    return this.steps.get(name)?.status;
  }

  record(item: InventoryItem): void {
    this.inventory.push(item);
    this.touch();
    log.info(`created ${item.kind} ${item.id} (${item.name}) in ${item.region}`, { step: item.createdBy });
  }

  /** Replaces the inventory with what is still there after a teardown or compensation. */
  forget(gone: readonly InventoryItem[]): void {
    const goneIds = new Set(gone.map((item) => `${item.kind}/${item.id}`));
    const remaining = this.inventory.filter((item) => !goneIds.has(`${item.kind}/${item.id}`));
    this.inventory.splice(0, this.inventory.length, ...remaining);
    this.touch();
  }

  setCompensation(report: TeardownReport): void {
    this.compensation = report;
    this.touch();
  }

  setFailure(message: string): void {
    this.failure = message;
    this.touch();
  }

  touchTicket(): void {
    this.touch();
  }

  progress(): ProgressReport {
    return {
      workflowId: workflowInfo().workflowId,
      scenario: this.scenario,
      phase: this.phase,
      startedAt: this.startedAt,
      updatedAt: this.updatedAt,
      steps: [...this.steps.values()].map((s) => ({ ...s })),
      waves: this.waves,
      ticket: this.ticket ? { ...this.ticket } : null,
      compensation: this.compensation,
      ...(this.failure ? { failure: this.failure } : {}),
    };
  }

  private update(name: string, patch: Partial<StepProgress>): void {
    const step = this.steps.get(name);
    if (!step) throw new Error(`progress: unknown step "${name}"`);
    Object.assign(step, patch);
    this.touch();
  }

  private touch(): void {
    this.updatedAt = nowIso();
  }
}

import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CenRouteTicketRequest, DeleteOutcome, Inventory, InventoryItem } from '../activities/contract';
import type { Scenario } from '../config/schema';

/**
 * Names and payload types of every signal, query and update the workflows handle. Clients (CLI, console,
 * tests) import these definitions instead of spelling names.
 */

export type StepStatus = 'pending' | 'running' | 'waiting' | 'done' | 'failed' | 'skipped';

export interface StepProgress {
  name: string;
  title: string;
  /** Runbook step number (0 = preflight); absent for teardown items. */
  runbookStep?: number;
  status: StepStatus;
  /** ISO timestamps (workflow time). */
  startedAt?: string;
  finishedAt?: string;
  /** What the step produced or is waiting for. */
  detail?: string;
  error?: string;
}

export type DeploymentPhase =
  | 'preflight'
  | 'provisioning'
  | 'waiting-for-cen-route-ticket'
  | 'verifying'
  | 'compensating'
  | 'succeeded'
  | 'failed'
  | 'tearing-down'
  | 'torn-down';

export type TicketStatus = 'not-yet-needed' | 'waiting' | 'fulfilled' | 'detected' | 'expired' | 'abandoned';

export interface TicketState {
  status: TicketStatus;
  request: CenRouteTicketRequest | null;
  ticketId?: string;
  note?: string;
  waitingSince?: string;
  deadlineAt?: string;
  remindersSent: number;
  lastReminderAt?: string;
  fulfilledAt?: string;
}

export interface DeletionResult {
  item: InventoryItem;
  outcome: DeleteOutcome['outcome'] | 'failed';
  detail?: string;
}

export interface TeardownReport {
  /** True when everything is gone or only needs a human (see needsHuman). */
  complete: boolean;
  results: DeletionResult[];
  /** Resources the API cannot delete (e.g. a prepaid CEN bandwidth package): for a human. */
  needsHuman: DeletionResult[];
  failed: DeletionResult[];
}

export interface ProgressReport {
  workflowId: string;
  scenario: Scenario | 'teardown';
  phase: DeploymentPhase;
  startedAt: string;
  updatedAt: string;
  /** Steps in execution order; `waves` groups the ones that run in parallel. */
  steps: StepProgress[];
  waves: string[][];
  ticket: TicketState | null;
  compensation: TeardownReport | null;
  failure?: string;
}

export interface TicketRequestView {
  status: TicketStatus;
  /** ResolveAndRouteServiceInCen parameters exactly as the ticket should quote them; null until known. */
  parameters: Record<string, string> | null;
  /** The same, one `Key=Value` per line, ready to paste into the ticket. */
  text: string | null;
  waitingSince?: string;
  deadlineAt?: string;
}

export interface CenRouteTicketFulfilled {
  ticketId: string;
  note?: string;
}

export interface TicketSubmission {
  accepted: true;
  ticketId: string;
  status: TicketStatus;
}

export const progressQuery = defineQuery<ProgressReport>('progress');
export const inventoryQuery = defineQuery<Inventory>('inventory');
export const ticketRequestQuery = defineQuery<TicketRequestView>('ticketRequest');
/** Support has configured the CEN route. Accepted at any time: an early signal is kept until the wait begins. */
export const cenRouteTicketFulfilledSignal = defineSignal<[CenRouteTicketFulfilled]>('cenRouteTicketFulfilled');
/** Like the signal, but validated: refuses an empty ticket id or a run that is not waiting for the ticket. */
export const submitCenRouteTicketUpdate = defineUpdate<TicketSubmission, [CenRouteTicketFulfilled]>(
  'submitCenRouteTicket',
);

/** Search attributes the workflows maintain (Keyword); register them on a real server, see workflows/README.md. */
export const SEARCH_ATTRIBUTE_SCENARIO = 'ScenarioName';
export const SEARCH_ATTRIBUTE_PHASE = 'DeploymentPhase';

/** Workflow type names, for clients that start workflows by name. */
export const WORKFLOW_TYPES = {
  'same-region': 'sameRegionAccess',
  'cross-region': 'crossRegionAccess',
  teardown: 'teardown',
} as const;

import type { RunConfig } from '../config/schema';
import { provisionScenario, type AccessResult } from './provision';

/** Scenario 1 (runbook steps 1-7): FC and the dedicated API Gateway in the same region. */
export async function sameRegionAccess(input: RunConfig): Promise<AccessResult> {
  return provisionScenario('same-region', input);
}

/**
 * Scenario 2 (runbook steps 1-10): FC in another region, linked to the gateway's VPC through CEN; the
 * route service needs a support ticket (signal cenRouteTicketFulfilled or update submitCenRouteTicket).
 */
export async function crossRegionAccess(input: RunConfig): Promise<AccessResult> {
  return provisionScenario('cross-region', input);
}

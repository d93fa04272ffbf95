import { patched } from '@temporalio/workflow';

/**
 * Workflow changes that alter the commands a run emits go behind `patched()` so a run that started on
 * older code (a cross-region run can wait days for its ticket) still replays after a deploy. Every patch
 * id lives here; the replay tests (test/replay) prove old histories still replay with the new code.
 * Once no run older than a patch can exist, replace `hasPatch(...)` by `deprecatePatch(...)`, then remove it.
 */
export const PATCHES = {
  /**
   * Added after the histories in test/histories were recorded: when a ticket is reported fulfilled (not
   * auto-detected), read the route service back once and say in progress whether it is Active yet.
   */
  confirmRouteServiceAfterTicket: 'confirm-route-service-after-ticket',
} as const;

export type PatchId = (typeof PATCHES)[keyof typeof PATCHES];

export function hasPatch(id: PatchId): boolean {
  return patched(id);
}

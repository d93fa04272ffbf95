/**
 * Every activity the workflows call (activities/contract.ts), built on the typed cloud clients:
 * `createActivities(createCloudClients())`. One module per step group; the shared rules (look up before
 * create, tokens, heartbeat-resumable waits, failure classification) live in common.ts, progress.ts and
 * failures.ts.
 */
import { backendActivities } from './backend';
import { cenActivities } from './cen';
import type { CloudClients } from './cloud';
import { resolveActivityOptions, type ActivityOptionsInput } from './common';
import type { Activities } from './contract';
import { fcActivities } from './fc';
import { gatewayActivities } from './gateway';
import { networkActivities } from './network';
import { preflightActivities } from './preflight';
import { verifyActivities } from './verify';

export type { ActivityOptions, ActivityOptionsInput as CreateActivitiesOptions } from './common';

export function createActivities(clients: CloudClients, options: ActivityOptionsInput = {}): Activities {
  const resolved = resolveActivityOptions(options);
  return {
    ...preflightActivities(clients),
    ...networkActivities(clients.vpc, resolved),
    ...backendActivities(clients.ecs, resolved),
    ...gatewayActivities(clients, resolved),
    ...fcActivities(clients, resolved),
    ...cenActivities(clients.cbn, resolved),
    ...verifyActivities(clients),
  };
}

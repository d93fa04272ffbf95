import { proxyActivities, type ActivityInterfaceFor } from '@temporalio/workflow';
import type { Activities, ActivityName } from '../activities/contract';
import { ACTIVITY_OPTIONS, RETRY_CLASS_OF, type RetryClass } from './retry-policies';

type ActivityStubs = ActivityInterfaceFor<Activities>;

const proxies = Object.fromEntries(
  Object.entries(ACTIVITY_OPTIONS).map(([retryClass, options]) => [retryClass, proxyActivities<Activities>(options)]),
) as Record<RetryClass, ActivityStubs>;

/** The activity `name`, scheduled with the options of its retry class (retry-policies.ts). */
export function activity<K extends ActivityName>(name: K): ActivityStubs[K] {
  return proxies[RETRY_CLASS_OF[name]][name];
}

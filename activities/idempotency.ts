import { createHash } from 'node:crypto';

/**
 * ClientToken / Token for a create call, derived from the workflow's idempotency key and the step so a
 * retried activity (or a replayed workflow) sends the same token and Alibaba returns the same resource.
 * Alibaba allows at most 64 ASCII characters; a hash keeps long workflow ids within that.
 */
export function clientToken(idempotencyKey: string, step: string): string {
  if (idempotencyKey.trim() === '') throw new Error(`clientToken(${step}): the idempotency key is empty`);
  return createHash('sha256').update(`${idempotencyKey}\u0000${step}`).digest('hex').slice(0, 48);
}

/** Tag key written on every taggable resource so a lookup can tell "ours, from this run" from "someone else's". */
export const RUN_TAG_KEY = 'fc-apigw-vpc:run';

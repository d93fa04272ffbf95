import type { DeleteOutcome } from './contract';
import { isAlibabaCloudError } from './cloud/errors';
import type { Tag } from './cloud/lists';
import { stepRefused } from './failures';
import { RUN_TAG_KEY } from './idempotency';
import { ActivityProgress, waitUntil, type HeartbeatState } from './progress';

/** How long each kind of wait may take before the activity gives up (first attempt to last). */
export interface WaitTimeouts {
  network: number;
  ecs: number;
  gatewayInstance: number;
  function: number;
  cen: number;
  delete: number;
}

export interface ActivityOptions {
  /** Pause between two status polls. Real cloud: 2-5 s; tests and the emulator's fast profile: less. */
  pollIntervalMs: number;
  timeouts: WaitTimeouts;
}

const MINUTE = 60_000;

export const DEFAULT_ACTIVITY_OPTIONS: ActivityOptions = {
  pollIntervalMs: 3_000,
  // Terraform alicloud's defaults, rounded up (notes/alibaba-apis.md "How long things take").
  timeouts: {
    network: 10 * MINUTE,
    ecs: 15 * MINUTE,
    gatewayInstance: 30 * MINUTE,
    function: 10 * MINUTE,
    cen: 15 * MINUTE,
    delete: 20 * MINUTE,
  },
};

/** What callers may pass to createActivities: any subset, the rest from DEFAULT_ACTIVITY_OPTIONS. */
export interface ActivityOptionsInput {
  pollIntervalMs?: number;
  timeouts?: Partial<WaitTimeouts>;
}

export function resolveActivityOptions(options: ActivityOptionsInput = {}): ActivityOptions {
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_ACTIVITY_OPTIONS.pollIntervalMs;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0) {
    throw new Error(`activities: pollIntervalMs must be a positive number of milliseconds, got ${pollIntervalMs}`);
  }
  return { pollIntervalMs, timeouts: { ...DEFAULT_ACTIVITY_OPTIONS.timeouts, ...options.timeouts } };
}

/** The tag that marks a resource as made by this run's step (its idempotency key). */
export function runTag(idempotencyKey: string): Tag[] {
  return [{ Key: RUN_TAG_KEY, Value: idempotencyKey }];
}

/**
 * Look-up-then-create: `find` first (a retried attempt finds what the earlier one made), then `create`.
 * A create whose outcome is unknown (timeout after sending) or that reports "already exists" is settled
 * by looking again, so an ambiguous answer never produces a second resource.
 */
export async function findOrCreate<T>(find: () => Promise<T | undefined>, create: () => Promise<T>): Promise<T> {
  const existing = await find();
  if (existing !== undefined) return existing;
  try {
    return await create();
  } catch (error) {
    if (isAlibabaCloudError(error) && (error.outcomeUnknown || error.isAlreadyExists)) {
      const settled = await find();
      if (settled !== undefined) return settled;
    }
    throw error;
  }
}

/** Returns undefined instead of throwing when the resource does not exist. */
export async function unlessNotFound<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isAlibabaCloudError(error) && error.isNotFound) return undefined;
    throw error;
  }
}

/** Runs a change whose "already exists" answer means an earlier attempt made it (attach, associate). */
export async function alreadyExistsIsDone(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!(isAlibabaCloudError(error) && error.isAlreadyExists)) throw error;
  }
}

/** Runs a delete call: NotFound means someone (an earlier attempt) already did it. */
export async function deleteCall(call: () => Promise<unknown>): Promise<DeleteOutcome> {
  try {
    await call();
    return { outcome: 'deleted' };
  } catch (error) {
    if (isAlibabaCloudError(error) && error.isNotFound) return { outcome: 'notFound' };
    throw error;
  }
}

/**
 * Calls `call` until it stops failing with a "busy" error (DependencyViolation while FC's ENIs go away,
 * Operation.Blocking while CEN applies another change, IncorrectStatus ...), heartbeating between tries.
 * Other errors end it at once; the activity's own retry policy takes over from there.
 */
export async function retryWhileBusy<T>(
  step: string,
  what: string,
  call: () => Promise<T>,
  options: ActivityOptions,
  timeoutMs: number = options.timeouts.delete,
): Promise<T> {
  return waitUntil<T>({
    what,
    step,
    intervalMs: options.pollIntervalMs,
    timeoutMs,
    progress: new ActivityProgress<HeartbeatState>(),
    check: async () => {
      try {
        return { done: true, value: await call() };
      } catch (error) {
        if (
          isAlibabaCloudError(error) &&
          error.retryable &&
          (error.kind === 'dependency' || error.kind === 'conflict')
        ) {
          return { done: false, state: `${error.code} (RequestId ${error.requestId ?? 'n/a'})` };
        }
        throw error;
      }
    },
  });
}

/** A delete that dependents may block for minutes: NotFound is done, "busy" is waited out (retryWhileBusy). */
export function deleteWaitingOutDependents(
  step: string,
  what: string,
  call: () => Promise<unknown>,
  options: ActivityOptions,
): Promise<DeleteOutcome> {
  return retryWhileBusy(step, `${what} to be deleted`, () => deleteCall(call), options);
}

/**
 * Polls until `state` reports nothing left (undefined), heartbeating. Many Alibaba deletes are accepted
 * and finished later (Deleting, Pending, Modifying): a dependent's delete, or a teardown that says "done",
 * must not run ahead of them.
 */
export function waitUntilGone(args: {
  step: string;
  what: string;
  /** The resource's state while it still exists; undefined once it is gone (NotFound). */
  state: () => Promise<string | undefined>;
  options: ActivityOptions;
  timeoutMs?: number;
}): Promise<void> {
  return waitUntil<void>({
    what: `${args.what} to disappear`,
    step: args.step,
    intervalMs: args.options.pollIntervalMs,
    timeoutMs: args.timeoutMs ?? args.options.timeouts.delete,
    progress: new ActivityProgress<HeartbeatState>(),
    check: async () => {
      const state = await args.state();
      return state === undefined ? { done: true, value: undefined } : { done: false, state };
    },
  });
}

/**
 * The whole delete of one resource: the call (NotFound = done, "busy" waited out), then a wait until the
 * resource is really gone, so the activity completes only when nothing of it is left.
 */
export async function deleteUntilGone(args: {
  step: string;
  what: string;
  call: () => Promise<unknown>;
  state: () => Promise<string | undefined>;
  options: ActivityOptions;
  timeoutMs?: number;
}): Promise<DeleteOutcome> {
  const outcome = await deleteWaitingOutDependents(args.step, args.what, args.call, args.options);
  await waitUntilGone(args);
  return outcome;
}

/** Polls a resource's status until it is `ready`, heartbeating; a vanished resource or `failed` state stops it. */
export async function waitForStatus<R>(args: {
  step: string;
  what: string;
  read: () => Promise<R | undefined>;
  status: (resource: R) => string;
  ready: readonly string[];
  failed?: readonly string[];
  timeoutMs: number;
  options: ActivityOptions;
}): Promise<R> {
  return waitUntil<R>({
    what: args.what,
    step: args.step,
    intervalMs: args.options.pollIntervalMs,
    timeoutMs: args.timeoutMs,
    progress: new ActivityProgress<HeartbeatState>(),
    check: async () => {
      const resource = await args.read();
      if (resource === undefined) return { done: false, state: 'not visible yet' };
      const status = args.status(resource);
      if (args.ready.includes(status)) return { done: true, value: resource };
      if (args.failed?.includes(status)) {
        throw stepRefused(args.step, 'ResourceFailed', `${args.what}: the resource reached state ${status}`);
      }
      return { done: false, state: status };
    },
  });
}

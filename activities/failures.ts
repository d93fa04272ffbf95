import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { isAlibabaCloudError } from './cloud/errors';
import { redact } from './cloud/redact';

/** Failure details attached to every failure an activity raises: Alibaba code, RequestId, step. No secrets. */
export interface StepFailureDetails {
  step: string;
  code: string;
  requestId?: string;
  product?: string;
  action?: string;
  kind?: string;
}

/**
 * Turns whatever a step threw into what Temporal should see:
 * - AlibabaCloudError → ApplicationFailure whose type is the Alibaba code, message names the step, code and
 *   RequestId; non-retryable when the error table says so (auth, invalid input, quota ...);
 * - an ApplicationFailure or a cancellation passes through (already decided);
 * - anything else (a bug, an unexpected response) stays retryable, with credentials scrubbed.
 */
export function toActivityFailure(step: string, error: unknown): Error {
  if (error instanceof ApplicationFailure || error instanceof CancelledFailure) return error;
  if (isAlibabaCloudError(error)) {
    const details: StepFailureDetails = {
      step,
      code: error.code,
      ...(error.requestId ? { requestId: error.requestId } : {}),
      product: error.product,
      action: error.action,
      kind: error.kind,
    };
    const message = `${step}: ${error.message}`;
    return error.retryable
      ? ApplicationFailure.retryable(message, error.code, details)
      : ApplicationFailure.nonRetryable(message, error.code, details);
  }
  const message = redact(error instanceof Error ? error.message : String(error)) as string;
  const failure = ApplicationFailure.retryable(`${step}: ${message}`, error instanceof Error ? error.name : 'Error', {
    step,
    code: 'Unexpected',
  });
  return failure;
}

/** A problem the caller must fix (bad input, a resource in a state we cannot use): never retried. */
export function stepRefused(step: string, code: string, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${step}: ${message}`, code, { step, code } satisfies StepFailureDetails);
}

/** Runs one step's body and converts anything it throws (see toActivityFailure). */
export async function runStep<T>(step: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toActivityFailure(step, error);
  }
}

// gRPC status errors the engine throws; the handler wrapper turns them into gRPC responses the SDK maps
// (ALREADY_EXISTS → WorkflowExecutionAlreadyStartedError, NOT_FOUND → WorkflowNotFoundError, ...).
import { status } from '@grpc/grpc-js';

export class ServiceError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const notFound = (msg: string) => new ServiceError(status.NOT_FOUND, msg);
export const alreadyExists = (msg: string) => new ServiceError(status.ALREADY_EXISTS, msg);
export const invalidArgument = (msg: string) => new ServiceError(status.INVALID_ARGUMENT, msg);
export const failedPrecondition = (msg: string) => new ServiceError(status.FAILED_PRECONDITION, msg);
export const deadlineExceeded = (msg: string) => new ServiceError(status.DEADLINE_EXCEEDED, msg);
export const unimplemented = (msg: string) => new ServiceError(status.UNIMPLEMENTED, msg);
export const cancelled = (msg: string) => new ServiceError(status.CANCELLED, msg);
export const unavailable = (msg: string) => new ServiceError(status.UNAVAILABLE, msg);

/** Throws INVALID_ARGUMENT naming the missing field when a required request field is empty. */
export function required<T>(value: T | undefined | null | '', field: string): T {
  if (value === undefined || value === null || value === '') {
    throw invalidArgument(`${field} is required`);
  }
  return value;
}

import { ApiError } from './contract';

/** The error Alibaba's gateway answers for a missing protocol parameter (`Missing{Name}`). */
export function missing(name: string): ApiError {
  return new ApiError(400, `Missing${name}`, `${name} is mandatory for this action.`);
}

export function invalidAction(action: string, version: string): ApiError {
  return new ApiError(
    404,
    'InvalidAction.NotFound',
    `Specified api is not found, please check your url and method. (Action "${action}" does not exist in version ${version} of this emulator.)`,
  );
}

export function internalError(): ApiError {
  return new ApiError(500, 'InternalError', 'The request processing has failed due to some unknown error.');
}

/** Error body exactly as Alibaba renders it. */
export function errorBody(err: ApiError, requestId: string, hostId: string): Record<string, unknown> {
  return { RequestId: requestId, HostId: hostId, Code: err.code, Message: err.message };
}

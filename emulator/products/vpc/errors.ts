import { ApiError } from '../../core/contract';

/**
 * Error constructors shared by the network products (VPC, ECS, CBN). Alibaba's RPC products answer
 * validation problems with 400, unknown ids mostly with 404 and state/permission refusals with 400/403;
 * the codes themselves are chosen at the call site.
 */
export function badRequest(code: string, message: string): ApiError {
  return new ApiError(400, code, message);
}

export function notFound(code: string, message: string): ApiError {
  return new ApiError(404, code, message);
}

export function forbidden(code: string, message: string): ApiError {
  return new ApiError(403, code, message);
}

export function missingParameter(name: string): ApiError {
  return badRequest(
    'MissingParameter',
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  );
}

export function invalidParameter(name: string, why: string): ApiError {
  return badRequest('InvalidParameter', `The specified parameter "${name}" is not valid: ${why}`);
}

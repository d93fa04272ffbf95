import { ApiError } from '../../core/contract';

/*
 * CloudAPI's control-plane error families, as its "control OpenAPI error codes" table documents them:
 * Missing%s / Invalid%s / InvalidFormat%s / NotFound%s / Repeated%s, all HTTP 400. Codes that the
 * table does not name (wrong instance state, deletes with dependents) follow the VPC/ECS style the
 * team's client layer already classifies (Incorrect*Status, DependencyViolation.*).
 */

export function missingParameter(name: string): ApiError {
  return new ApiError(400, `Missing${name}`, `The ${name} is mandatory for this action.`);
}

export function invalidParameter(name: string, why: string): ApiError {
  return new ApiError(400, `Invalid${name}`, `The specified parameter ${name} value is not valid: ${why}`);
}

export function invalidFormat(name: string, why: string): ApiError {
  return new ApiError(
    400,
    `InvalidFormat${name}`,
    `The specified parameter ${name} value is not well formatted: ${why}`,
  );
}

export function notFound(resource: string, paramName: string, value: string): ApiError {
  return new ApiError(
    400,
    `NotFound${resource}`,
    `Cannot find resource according to your specified ${paramName} '${value}'.`,
  );
}

export function repeated(name: string, value: string): ApiError {
  return new ApiError(400, `Repeated${name}`, `The specified ${name} '${value}' is repeated.`);
}

export function incorrectInstanceStatus(instanceId: string, status: string, action: string): ApiError {
  return new ApiError(
    400,
    'IncorrectInstanceStatus',
    `The dedicated instance ${instanceId} is ${status}; ${action} needs it RUNNING. Wait until DescribeInstances shows RUNNING and retry.`,
  );
}

export function dependencyViolation(what: string, message: string): ApiError {
  return new ApiError(400, `DependencyViolation.${what}`, message);
}

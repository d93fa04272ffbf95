import type { ServerResponse } from 'node:http';
import type { ApiError, RoaResponse } from './contract';
import { errorBody } from './errors';

/** A response ready to write. */
export interface Outcome {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Error code, for the request log. */
  code?: string;
}

const JSON_TYPE = 'application/json;charset=utf-8';

export function jsonOutcome(status: number, value: unknown, code?: string): Outcome {
  return { status, headers: { 'content-type': JSON_TYPE }, body: Buffer.from(JSON.stringify(value)), code };
}

/** RPC success: the product's PascalCase fields with the RequestId first (a product's own RequestId is ignored). */
export function rpcOutcome(requestId: string, result: Record<string, unknown>): Outcome {
  const { RequestId: _productRequestId, ...fields } = result;
  return jsonOutcome(200, { RequestId: requestId, ...fields });
}

/** ROA: objects become JSON (content-type added unless the product set one); Buffers and strings go as is. */
export function roaOutcome(result: RoaResponse): Outcome {
  const headers: Record<string, string> = { ...(result.headers ?? {}) };
  const { body } = result;
  if (body === undefined || body === null) return { status: result.status, headers, body: Buffer.alloc(0) };
  if (Buffer.isBuffer(body)) return { status: result.status, headers, body };
  if (typeof body === 'string') return { status: result.status, headers, body: Buffer.from(body) };
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = JSON_TYPE;
  return { status: result.status, headers, body: Buffer.from(JSON.stringify(body)) };
}

export function errorOutcome(err: ApiError, requestId: string, hostId: string): Outcome {
  return jsonOutcome(err.httpStatus, errorBody(err, requestId, hostId), err.code);
}

export function writeOutcome(res: ServerResponse, outcome: Outcome, requestId?: string): void {
  res.writeHead(outcome.status, {
    ...outcome.headers,
    ...(requestId ? { 'x-acs-request-id': requestId } : {}),
    'content-length': String(outcome.body.length),
  });
  res.end(outcome.body);
}

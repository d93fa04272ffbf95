import http from 'node:http';
import https from 'node:https';
import type { Product } from './endpoints';
import { AlibabaCloudError, classifyError, isNetworkErrorCode, type Classification } from './errors';

/** Default per-call deadline. pop-core's own default (3 s) is too short for real create calls. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface CallContext {
  product: Product;
  action: string;
  region?: string;
}

/** What one HTTP exchange got to: whether bytes may have reached the server, and the response head. */
export interface ExchangeState {
  connected: boolean;
  timedOut: boolean;
  status?: number;
  headers?: http.IncomingHttpHeaders;
}

type AgentWithAddRequest = http.Agent & { addRequest(req: http.ClientRequest, options: unknown): void };

/**
 * A one-call agent (no keep-alive, so a server closing idle sockets never turns into a spurious
 * ECONNRESET) that records whether the socket connected and the response status/headers — pop-core
 * hides the status when a body is not JSON or has no Code. `abort()` enforces the call's deadline.
 */
export function trackedAgent(url: string): { agent: http.Agent; state: ExchangeState; abort(): void } {
  const state: ExchangeState = { connected: false, timedOut: false };
  const agent = (url.startsWith('https:') ? new https.Agent() : new http.Agent()) as AgentWithAddRequest;
  const requests: http.ClientRequest[] = [];
  const addRequest = agent.addRequest.bind(agent);
  agent.addRequest = (req, options) => {
    requests.push(req);
    req.once('socket', (socket) => {
      if (!socket.connecting) state.connected = true;
      else socket.once('connect', () => (state.connected = true));
    });
    req.once('response', (res: http.IncomingMessage) => {
      state.status = res.statusCode;
      state.headers = res.headers;
    });
    addRequest(req, options);
  };
  return {
    agent,
    state,
    abort() {
      state.timedOut = true;
      for (const req of requests) req.destroy(new Error('deadline exceeded'));
      agent.destroy();
    },
  };
}

/** A request refused before anything was sent (bad parameters, names, regions): never retryable. */
export function invalidInputError(ctx: CallContext, code: string, message: string): AlibabaCloudError {
  return new AlibabaCloudError({ ...ctx, code, message, classification: { kind: 'invalid-input', retryable: false } });
}

/** Runs `work` with a deadline that calls `onTimeout` (which must make `work` settle). */
export async function withDeadline<T>(timeoutMs: number, onTimeout: () => void, work: () => Promise<T>): Promise<T> {
  const timer = setTimeout(onTimeout, timeoutMs);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
  }
}

export function requestIdFrom(headers: http.IncomingHttpHeaders | undefined): string | undefined {
  const value = headers?.['x-acs-request-id'] ?? headers?.['x-fc-request-id'];
  return typeof value === 'string' ? value : undefined;
}

/** Turns a failure without an Alibaba answer (socket error, deadline) into an AlibabaCloudError. */
export function transportError(
  ctx: CallContext,
  cause: unknown,
  state: ExchangeState,
  timeoutMs: number,
): AlibabaCloudError {
  const causeCode = (cause as { code?: unknown } | null)?.code;
  const code = typeof causeCode === 'string' ? causeCode : undefined;
  const timedOut = state.timedOut || /timeout/i.test(String((cause as { name?: unknown } | null)?.name ?? ''));
  if (timedOut) {
    return new AlibabaCloudError({
      ...ctx,
      code: 'RequestTimeout',
      message:
        `no answer within ${timeoutMs} ms; outcome unknown: the request may have taken effect, ` +
        'look the resource up before creating it again',
      classification: { kind: 'timeout', retryable: true },
      outcomeUnknown: true,
      cause,
    });
  }
  // httpx glues "POST <url> failed." onto socket errors; the context is in our own message already.
  const raw = cause instanceof Error ? cause.message : String(cause);
  const message = raw.replace(/\s*(GET|POST|PUT|DELETE) \S+ failed\.$/, '').trim() || 'connection failed';
  return new AlibabaCloudError({
    ...ctx,
    code: code ?? 'NetworkError',
    message: state.connected
      ? `${message}; outcome unknown: the connection broke after the request may have been sent`
      : message,
    classification: { kind: 'network', retryable: true },
    // A refused or unresolvable connection never carried the request; a broken one may have.
    outcomeUnknown: state.connected,
    cause,
  });
}

/** True for failures that are about the connection rather than an answer from the server. */
export function looksLikeTransportFailure(cause: unknown, state: ExchangeState): boolean {
  if (state.timedOut) return true;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && isNetworkErrorCode(code)) return true;
  const name = String((cause as { name?: unknown } | null)?.name ?? '');
  return state.status === undefined && (cause instanceof Error || /timeout/i.test(name));
}

/** Builds the error for an HTTP answer whose body is not a well-formed Alibaba response. */
export function badResponseError(
  ctx: CallContext,
  status: number | undefined,
  body: string,
  requestId?: string,
): AlibabaCloudError {
  const snippet = body.length > 200 ? `${body.slice(0, 200)}…` : body;
  return new AlibabaCloudError({
    ...ctx,
    code: 'BadResponse',
    message: `unexpected response${status !== undefined ? ` (HTTP ${status})` : ''}: ${JSON.stringify(snippet)}`,
    httpStatus: status,
    requestId,
    classification: statusClassification(status),
  });
}

/** Builds the error for an HTTP error status whose JSON body carries no Alibaba error code. */
export function httpStatusError(ctx: CallContext, status: number, message: string | undefined, requestId?: string) {
  return new AlibabaCloudError({
    ...ctx,
    code: `HttpStatus${status}`,
    message: message ?? `HTTP ${status} without an error code`,
    httpStatus: status,
    requestId,
    classification: statusClassification(status),
  });
}

/** An error status speaks for itself (5xx retryable, 403 permission...); a 2xx with a broken body does not. */
function statusClassification(status: number | undefined): Classification {
  return status !== undefined && status >= 400
    ? classifyError(undefined, status)
    : { kind: 'bad-response', retryable: false };
}

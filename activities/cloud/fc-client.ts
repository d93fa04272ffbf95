import http from 'node:http';
import https from 'node:https';
import type { CloudCredentials } from './credentials';
import { PRODUCTS, resolveEndpoint } from './endpoints';
import { AlibabaCloudError } from './errors';
import { signRoaRequest } from './roa-signer';
import {
  badResponseError,
  DEFAULT_TIMEOUT_MS,
  httpStatusError,
  invalidInputError,
  requestIdFrom,
  trackedAgent,
  transportError,
  withDeadline,
  type CallContext,
} from './transport';

export interface RoaRequest {
  /** Operation name for errors and logs, e.g. CreateFunction. */
  action: string;
  region: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the version prefix, e.g. /functions/my-fn (segments already percent-encoded). */
  path: string;
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** JSON value (sent as application/json) or raw bytes (sent as application/octet-stream). */
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
  timeoutMs?: number;
}

export interface RoaResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  requestId?: string;
}

export interface FcTransportConfig {
  credentials: CloudCredentials;
  endpointOverride?: string;
  timeoutMs?: number;
  /** The account id in FC's endpoint host; resolved once (STS GetCallerIdentity) when not configured. */
  accountId: () => Promise<string>;
}

/**
 * FC 3.0's ROA transport on node's http/https (pop-core's ROA client returns a non-JSON 5xx as a
 * successful string and cannot send raw invocation payloads). Any status >= 400 becomes an
 * AlibabaCloudError built from FC's JSON error body; everything else is returned raw.
 */
export class FcTransport {
  readonly #credentials: CloudCredentials;
  readonly #override: string | undefined;
  readonly #timeoutMs: number;
  readonly #accountId: () => Promise<string>;

  constructor(config: FcTransportConfig) {
    this.#credentials = config.credentials;
    this.#override = config.endpointOverride;
    this.#timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#accountId = config.accountId;
  }

  async request(req: RoaRequest): Promise<RoaResponse> {
    const ctx: CallContext = { product: 'fc', action: req.action, region: req.region };
    let endpoint: ReturnType<typeof resolveEndpoint>;
    try {
      endpoint = resolveEndpoint('fc', {
        region: req.region,
        accountId: await this.#accountId(),
        override: this.#override,
      });
    } catch (error) {
      if (error instanceof AlibabaCloudError) throw error;
      throw invalidInputError(ctx, 'InvalidParameter.Client', (error as Error).message);
    }
    const path = `/${PRODUCTS.fc.version}${req.path}`;
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query[k] = String(v);
    const { body, contentType } = encodeBody(req.body);
    const headers = signRoaRequest(
      { method: req.method, path, query, body },
      {
        accept: 'application/json',
        ...(contentType ? { 'content-type': contentType } : {}),
        'x-acs-version': PRODUCTS.fc.version,
        ...req.headers,
      },
      this.#credentials,
    );
    const search = new URLSearchParams(query).toString();
    const url = new URL(`${path}${search ? `?${search}` : ''}`, endpoint.url);
    if (endpoint.hostHeader) headers['host'] = endpoint.hostHeader;
    headers['content-length'] = String(body.length);
    const timeoutMs = req.timeoutMs ?? this.#timeoutMs;
    const { agent, state, abort } = trackedAgent(url.href);
    let response: RoaResponse;
    try {
      response = await withDeadline(timeoutMs, abort, () => send(url, req.method, headers, body, agent));
    } catch (error) {
      throw transportError(ctx, error, state, timeoutMs);
    } finally {
      agent.destroy();
    }
    if (response.status >= 400) throw errorFromResponse(ctx, response);
    return response;
  }

  /** `request` for JSON APIs: parses the body (empty body → undefined). */
  async requestJson<T>(req: RoaRequest): Promise<T> {
    const response = await this.request(req);
    const text = response.body.toString('utf8');
    if (text.trim() === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw badResponseError(
        { product: 'fc', action: req.action, region: req.region },
        response.status,
        text,
        response.requestId,
      );
    }
  }
}

function encodeBody(body: unknown): { body: Buffer; contentType?: string } {
  if (body === undefined) return { body: Buffer.alloc(0) };
  if (Buffer.isBuffer(body)) return { body, contentType: 'application/octet-stream' };
  if (body instanceof Uint8Array) return { body: Buffer.from(body), contentType: 'application/octet-stream' };
  return { body: Buffer.from(JSON.stringify(body), 'utf8'), contentType: 'application/json' };
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer,
  agent: http.Agent,
): Promise<RoaResponse> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          requestId: requestIdFrom(res.headers),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** FC 3.0 answers errors as {"Code","Message","RequestId"}; FC 2.0 style used ErrorCode/ErrorMessage. */
function errorFromResponse(ctx: CallContext, response: RoaResponse): AlibabaCloudError {
  const text = response.body.toString('utf8');
  let parsed: Record<string, unknown> | undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  if (!parsed) return badResponseError(ctx, response.status, text, response.requestId);
  const code = str(parsed.Code) ?? str(parsed.ErrorCode) ?? str(parsed.code);
  const message = str(parsed.Message) ?? str(parsed.ErrorMessage) ?? str(parsed.message);
  const requestId = str(parsed.RequestId) ?? str(parsed.requestId) ?? response.requestId;
  if (!code) return httpStatusError(ctx, response.status, message, requestId);
  return new AlibabaCloudError({
    ...ctx,
    code,
    message: message ?? '',
    requestId,
    hostId: str(parsed.HostId),
    httpStatus: response.status,
  });
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

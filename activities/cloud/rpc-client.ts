import RPCClient from '@alicloud/pop-core';
import type { CloudCredentials } from './credentials';
import { PRODUCTS, resolveEndpoint, type RpcProduct } from './endpoints';
import { AlibabaCloudError } from './errors';
import { encodeRpcParams, type RpcParams } from './params';
import {
  badResponseError,
  DEFAULT_TIMEOUT_MS,
  httpStatusError,
  invalidInputError,
  looksLikeTransportFailure,
  requestIdFrom,
  trackedAgent,
  transportError,
  withDeadline,
  type CallContext,
  type ExchangeState,
} from './transport';

/** Every RPC response carries its RequestId. */
export interface RpcResponse {
  RequestId: string;
}

export interface RpcClientConfig {
  credentials: CloudCredentials;
  /** Endpoint override (the emulator); undefined → the public endpoint per region. */
  endpointOverride?: string;
  timeoutMs?: number;
}

/** pop-core's error when the body has a Code. */
interface PopCoreError {
  code?: unknown;
  data?: { RequestId?: unknown; Code?: unknown; Message?: unknown; HostId?: unknown };
  entry?: { response?: { statusCode?: unknown } };
}

/**
 * One product's RPC transport over @alicloud/pop-core: `POST /` with every parameter (and the V1
 * signature) in a form body, so nothing sensitive is in a URL. Normalizes pop-core's traps: nested
 * values, errors without Code, non-JSON bodies (thrown as plain objects), leaking `err.url`.
 */
export class RpcClient {
  readonly product: RpcProduct;
  readonly #credentials: CloudCredentials;
  readonly #override: string | undefined;
  readonly #timeoutMs: number;
  readonly #popClients = new Map<string, RPCClient>();

  constructor(product: RpcProduct, config: RpcClientConfig) {
    this.product = product;
    this.#credentials = config.credentials;
    this.#override = config.endpointOverride;
    this.#timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * Calls `action`. Regional products need `RegionId` in `params` (it picks the endpoint and is sent,
   * so the emulator knows the region too). Resolves with the JSON body; throws AlibabaCloudError.
   */
  async call<T extends object>(
    action: string,
    request: object = {},
    options: { timeoutMs?: number } = {},
  ): Promise<T & RpcResponse> {
    // Typed request interfaces have no index signature; encodeRpcParams checks every value at run time.
    const params = request as RpcParams;
    const region = typeof params.RegionId === 'string' ? params.RegionId : undefined;
    const ctx: CallContext = { product: this.product, action, region };
    if (PRODUCTS[this.product].regional && region === undefined) {
      throw invalidInputError(ctx, 'MissingParameter.RegionId', `${this.product} is regional: pass RegionId`);
    }
    let encoded: Record<string, string>;
    let url: string;
    try {
      encoded = encodeRpcParams(params);
      url = resolveEndpoint(this.product, { region, override: this.#override }).url;
    } catch (error) {
      throw invalidInputError(ctx, 'InvalidParameter.Client', (error as Error).message);
    }
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const { agent, state, abort } = trackedAgent(url);
    let body: unknown;
    try {
      body = await withDeadline(timeoutMs, abort, () =>
        this.#popClient(url).request<unknown>(action, encoded, {
          method: 'POST',
          formatParams: false,
          agent,
          // pop-core's (httpx's) own timers stay as a backstop behind our deadline.
          timeout: timeoutMs + 1_000,
        }),
      );
    } catch (error) {
      throw this.#normalizeFailure(ctx, error, state, timeoutMs);
    } finally {
      agent.destroy();
    }
    return this.#checkSuccess<T>(ctx, body, state);
  }

  #popClient(url: string): RPCClient {
    let client = this.#popClients.get(url);
    if (!client) {
      const credentials = this.#credentials;
      // A provider instead of accessKeySecret: pop-core would otherwise keep the secret as a plain property.
      const config = {
        endpoint: url,
        apiVersion: PRODUCTS[this.product].version,
        credentialsProvider: {
          getCredentials: async () => ({
            accessKeyId: credentials.accessKeyId,
            accessKeySecret: credentials.accessKeySecret,
            securityToken: credentials.securityToken,
          }),
        },
      };
      client = new RPCClient(config as unknown as RPCClient.Config);
      this.#popClients.set(url, client);
    }
    return client;
  }

  #checkSuccess<T>(ctx: CallContext, body: unknown, state: ExchangeState): T & RpcResponse {
    const status = state.status;
    const json = normalizeBigNumbers(body);
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw badResponseError(ctx, status, JSON.stringify(json) ?? '', requestIdFrom(state.headers));
    }
    const record = json as Record<string, unknown>;
    // pop-core treats any body without Code as success, whatever the status.
    if (status !== undefined && status >= 400) {
      const message = typeof record.Message === 'string' ? record.Message : undefined;
      throw httpStatusError(ctx, status, message, stringOrUndefined(record.RequestId) ?? requestIdFrom(state.headers));
    }
    return record as T & RpcResponse;
  }

  #normalizeFailure(ctx: CallContext, error: unknown, state: ExchangeState, timeoutMs: number): AlibabaCloudError {
    const pop = error as PopCoreError | null;
    if (pop && typeof pop.code === 'string' && pop.data && typeof pop.data === 'object') {
      const statusFromEntry = pop.entry?.response?.statusCode;
      return new AlibabaCloudError({
        ...ctx,
        code: pop.code,
        message: stringOrUndefined(pop.data.Message) ?? '',
        requestId: stringOrUndefined(pop.data.RequestId),
        hostId: stringOrUndefined(pop.data.HostId),
        httpStatus: state.status ?? (typeof statusFromEntry === 'number' ? statusFromEntry : undefined),
      });
    }
    // json-bigint throws a plain object { name: 'SyntaxError', text } for a non-JSON body.
    const text = (error as { text?: unknown } | null)?.text;
    if (state.status !== undefined && (typeof text === 'string' || (error as Error)?.name === 'SyntaxError')) {
      return badResponseError(ctx, state.status, typeof text === 'string' ? text : '', requestIdFrom(state.headers));
    }
    if (looksLikeTransportFailure(error, state)) return transportError(ctx, error, state, timeoutMs);
    return new AlibabaCloudError({
      ...ctx,
      code: 'ClientError',
      message: error instanceof Error ? error.message : String(error),
      httpStatus: state.status,
      classification: { kind: 'unknown', retryable: false },
      cause: error,
    });
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** pop-core parses with json-bigint: numbers beyond 2^53 arrive as BigNumber objects; make them strings. */
function normalizeBigNumbers(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(normalizeBigNumbers);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && typeof (value as object).toString === 'function') {
    const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
    if (ctor === 'BigNumber') return (value as object).toString();
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) out[key] = normalizeBigNumbers(field);
  return out;
}

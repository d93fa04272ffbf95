import type { IncomingHttpHeaders } from 'node:http';
import type { FcTransport } from './fc-client';
import { invalidInputError } from './transport';

// Function Compute 3.0 (2023-03-30, ROA, camelCase JSON).

export interface FcVpcConfig {
  vpcId: string;
  vSwitchIds: string[];
  securityGroupId: string;
}

export interface FcCode {
  /** Base64 of a zip archive. */
  zipFile?: string;
  ossBucketName?: string;
  ossObjectName?: string;
  checksum?: string;
}

export interface CreateFunctionInput {
  functionName: string;
  /** e.g. python3.10 */
  runtime: string;
  /** e.g. index.handler */
  handler: string;
  code: FcCode;
  /** acs:ram::<accountId>:role/<roleName> */
  role?: string;
  vpcConfig?: FcVpcConfig;
  description?: string;
  memorySize?: number;
  timeout?: number;
  environmentVariables?: Record<string, string>;
  internetAccess?: boolean;
}

export type UpdateFunctionInput = Partial<Omit<CreateFunctionInput, 'functionName'>>;

export type FcFunctionState = 'Pending' | 'Active' | 'Inactive' | 'Failed';
export type FcLastUpdateStatus = 'Successful' | 'Failed' | 'InProgress';

export interface FcFunction {
  functionName: string;
  functionId?: string;
  functionArn?: string;
  runtime?: string;
  handler?: string;
  role?: string;
  vpcConfig?: FcVpcConfig;
  description?: string;
  memorySize?: number;
  timeout?: number;
  codeSize?: number;
  codeChecksum?: string;
  state?: FcFunctionState | string;
  stateReason?: string;
  stateReasonCode?: string;
  lastUpdateStatus?: FcLastUpdateStatus | string;
  lastUpdateStatusReason?: string;
  lastUpdateStatusReasonCode?: string;
  createdTime?: string;
  lastModifiedTime?: string;
  environmentVariables?: Record<string, string>;
  internetAccess?: boolean;
}

export interface ListFunctionsRequest {
  prefix?: string;
  limit?: number;
  nextToken?: string;
}
export interface ListFunctionsResponse {
  functions?: FcFunction[];
  nextToken?: string;
}

export interface InvokeFunctionRequest {
  /** Raw bytes, a string (sent as UTF-8) or a JSON value. */
  payload?: Buffer | string | unknown;
  invocationType?: 'Sync' | 'Async';
  qualifier?: string;
  logType?: 'None' | 'Tail';
  timeoutMs?: number;
}

/** What the invocation returned, untouched: the function's own status/body plus FC's headers. */
export interface InvokeFunctionResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  requestId?: string;
  /** FC's x-fc-error-type header: set when the function itself failed (e.g. UnhandledInvocationError). */
  functionErrorType?: string;
}

const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

export class FcClient {
  readonly #transport: FcTransport;
  constructor(transport: FcTransport) {
    this.#transport = transport;
  }

  async createFunction(region: string, input: CreateFunctionInput): Promise<FcFunction> {
    return this.#transport.requestJson<FcFunction>({
      action: 'CreateFunction',
      region,
      method: 'POST',
      path: `/functions`,
      body: { ...input, functionName: checkedName('CreateFunction', region, input.functionName) },
    });
  }

  /** FunctionNotFound → `err.isNotFound`. */
  async getFunction(region: string, functionName: string, options: { qualifier?: string } = {}): Promise<FcFunction> {
    return this.#transport.requestJson<FcFunction>({
      action: 'GetFunction',
      region,
      method: 'GET',
      path: `/functions/${checkedName('GetFunction', region, functionName)}`,
      query: { qualifier: options.qualifier },
    });
  }

  async updateFunction(region: string, functionName: string, input: UpdateFunctionInput): Promise<FcFunction> {
    return this.#transport.requestJson<FcFunction>({
      action: 'UpdateFunction',
      region,
      method: 'PUT',
      path: `/functions/${checkedName('UpdateFunction', region, functionName)}`,
      body: input,
    });
  }

  async deleteFunction(region: string, functionName: string): Promise<void> {
    await this.#transport.request({
      action: 'DeleteFunction',
      region,
      method: 'DELETE',
      path: `/functions/${checkedName('DeleteFunction', region, functionName)}`,
    });
  }

  async listFunctions(region: string, req: ListFunctionsRequest = {}): Promise<ListFunctionsResponse> {
    return this.#transport
      .requestJson<ListFunctionsResponse | undefined>({
        action: 'ListFunctions',
        region,
        method: 'GET',
        path: '/functions',
        query: { prefix: req.prefix, limit: req.limit, nextToken: req.nextToken },
      })
      .then((body) => body ?? {});
  }

  /**
   * Invokes synchronously (by default) and returns the raw answer. FC-level errors (function missing,
   * throttled...) throw AlibabaCloudError; the function's own failure is in `functionErrorType`.
   */
  async invokeFunction(
    region: string,
    functionName: string,
    req: InvokeFunctionRequest = {},
  ): Promise<InvokeFunctionResponse> {
    const payload = req.payload;
    const body =
      payload === undefined
        ? Buffer.alloc(0)
        : Buffer.isBuffer(payload)
          ? payload
          : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
    const response = await this.#transport.request({
      action: 'InvokeFunction',
      region,
      method: 'POST',
      path: `/functions/${checkedName('InvokeFunction', region, functionName)}/invocations`,
      query: { qualifier: req.qualifier },
      headers: {
        'x-fc-invocation-type': req.invocationType ?? 'Sync',
        'x-fc-log-type': req.logType ?? 'None',
      },
      body,
      timeoutMs: req.timeoutMs,
    });
    const errorType = response.headers['x-fc-error-type'];
    return {
      ...response,
      ...(typeof errorType === 'string' && errorType !== '' ? { functionErrorType: errorType } : {}),
    };
  }
}

function checkedName(action: string, region: string, name: string): string {
  if (!FUNCTION_NAME.test(name)) {
    throw invalidInputError(
      { product: 'fc', action, region },
      'InvalidArgument.Client',
      `function name "${name}" must start with a letter or _ and contain only letters, digits, _ and - (≤128)`,
    );
  }
  return name;
}

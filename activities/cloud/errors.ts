import { redact } from './redact';
import type { Product } from './endpoints';

/**
 * What went wrong, in the terms a retry policy and an operator need:
 * - throttling, server, network, timeout: transient, retry with backoff;
 * - conflict: the resource (or a related one) is busy or in the wrong state right now, retry later;
 * - dependency: a delete is blocked by dependents that are still going away, retry later;
 * - invalid-input, auth, permission, quota, billing, not-found, already-exists, bad-response, unknown: do not
 *   retry blindly (not-found / already-exists are often a *result*: see isNotFound / isAlreadyExists).
 */
export type ErrorKind =
  | 'throttling'
  | 'server'
  | 'network'
  | 'timeout'
  | 'conflict'
  | 'dependency'
  | 'invalid-input'
  | 'auth'
  | 'permission'
  | 'quota'
  | 'billing'
  | 'not-found'
  | 'already-exists'
  | 'bad-response'
  | 'unknown';

export interface Classification {
  readonly kind: ErrorKind;
  readonly retryable: boolean;
}

type CodeMatcher = string | RegExp;

/**
 * THE classification table: Alibaba error codes (RPC products and FC) → kind + retry verdict.
 * First match wins, so specific rules come before the broad patterns they would also match
 * (InvalidAccessKeyId.NotFound is an auth problem, InvalidAction.NotFound a bad request).
 */
const CODE_RULES: ReadonlyArray<readonly [CodeMatcher, ErrorKind, boolean]> = [
  // Credentials and signatures.
  [/^InvalidAccessKeyId(\.|$)/, 'auth', false],
  ['SignatureDoesNotMatch', 'auth', false],
  ['IncompleteSignature', 'auth', false],
  [/^InvalidSecurityToken(\.|$)/, 'auth', false],
  [/^InvalidTimeStamp(\.|$)/, 'auth', false],
  ['InvalidSignature', 'auth', false],
  // A reused nonce is a collision: the retry signs with a fresh nonce.
  ['SignatureNonceUsed', 'auth', true],
  // Requests this client cannot fix by retrying.
  ['InvalidAction.NotFound', 'invalid-input', false],
  ['InvalidApi.NotFound', 'invalid-input', false],
  [/^InvalidRegionId(\.|$)/, 'invalid-input', false],
  ['IdempotentParameterMismatch', 'invalid-input', false],
  // Transient capacity and service trouble.
  [/^Throttling/, 'throttling', true],
  ['ResourceThrottled', 'throttling', true],
  ['TooManyRequests', 'throttling', true],
  ['ServiceUnavailable', 'server', true],
  [/^InternalError/, 'server', true],
  ['InternalServerError', 'server', true],
  ['SystemBusy', 'server', true],
  ['UnknownError', 'server', true],
  // Busy or wrong-state resources: the state changes by itself, so waiting helps.
  [/^IncorrectStatus(\.|$)/, 'conflict', true],
  [/^Incorrect\w*Status(\.|$)/, 'conflict', true],
  [/^InvalidOperation\.\w*Status(NotAllow(ed)?|NotSupport(ed)?)?$/, 'conflict', true],
  [/^InvalidStatus\.\w*/, 'conflict', true],
  ['TaskConflict', 'conflict', true],
  ['OperationConflict', 'conflict', true],
  ['LastTokenProcessing', 'conflict', true],
  [/^Operation\.Blocking$/, 'conflict', true],
  [/^OperationBlocking/, 'conflict', true],
  ['ConcurrencyLockTimeout', 'conflict', true],
  ['ConcurrentUpdateError', 'conflict', true],
  // FC: the function is not Active yet (or an update raced); it settles by itself.
  ['PreconditionFailed', 'conflict', true],
  [/^DependencyViolation(\.|$)/, 'dependency', true],
  // RAM: a role with attached policies; only detaching them (the caller's job) unblocks the delete.
  [/^DeleteConflict(\.|$)/, 'dependency', false],
  // Permission, quota, money.
  [/^Forbidden/, 'permission', false],
  ['NoPermission', 'permission', false],
  [/^AccessDenied/, 'permission', false],
  [/^QuotaExceed/, 'quota', false],
  [/\.QuotaExceed/, 'quota', false],
  [/^Quota\./, 'quota', false],
  ['InsufficientBalance', 'billing', false],
  [/^InvalidAccount\.(Unbalance|Arrears)$/, 'billing', false],
  // Existence: often a result rather than a failure (teardown, idempotent creates).
  [/^EntityAlreadyExists(\.|$)/, 'already-exists', false],
  [/^InvalidOperation\.\w*Exists$/, 'already-exists', false],
  ['InvalidOperation.ChildInstanceAttached', 'already-exists', false],
  [/AlreadyExists?$/, 'already-exists', false],
  [/^EntityNotExist(\.|$)/, 'not-found', false],
  // CBN names a missing CEN, child-instance attachment or bandwidth package after the parameter
  // (HTTP 400). For deletes and detaches that means done; for creates it is as final as bad input.
  ['ParameterCenInstanceId', 'not-found', false],
  ['ParameterInstanceId', 'not-found', false],
  ['ParameterBwpInstanceId', 'not-found', false],
  [/\.NotFound$/, 'not-found', false],
  [/NotFound$/, 'not-found', false],
  [/^NotFound/, 'not-found', false],
  [/NotExists?$/, 'not-found', false],
  // Bad parameters.
  [/^MissingParameter/, 'invalid-input', false],
  [/^Missing\w+/, 'invalid-input', false],
  [/^InvalidParameter/, 'invalid-input', false],
  [/^InvalidArgument/, 'invalid-input', false],
  [/^Invalid\w*\.(Malformed|Format|Mismatch|ValueNotSupported)$/, 'invalid-input', false],
];

function matches(matcher: CodeMatcher, code: string): boolean {
  return typeof matcher === 'string' ? matcher === code : matcher.test(code);
}

/** The classification of an Alibaba error code and/or HTTP status (codes win; the status decides the rest). */
export function classifyError(code: string | undefined, httpStatus?: number): Classification {
  if (code) {
    for (const [matcher, kind, retryable] of CODE_RULES) {
      if (matches(matcher, code)) return { kind, retryable };
    }
  }
  if (httpStatus === 429) return { kind: 'throttling', retryable: true };
  if (httpStatus !== undefined && httpStatus >= 500) return { kind: 'server', retryable: true };
  if (httpStatus === 404) return { kind: 'not-found', retryable: false };
  if (httpStatus === 401) return { kind: 'auth', retryable: false };
  if (httpStatus === 403) return { kind: 'permission', retryable: false };
  if (httpStatus === 409) return { kind: 'conflict', retryable: true };
  if (httpStatus !== undefined && httpStatus >= 400) return { kind: 'invalid-input', retryable: false };
  return { kind: 'unknown', retryable: false };
}

/** Transport-level failures (no Alibaba answer): node's socket error codes. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
  'EPROTO',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
]);

export function isNetworkErrorCode(code: string | undefined): boolean {
  return code !== undefined && NETWORK_CODES.has(code);
}

export interface AlibabaCloudErrorInit {
  product: Product;
  action: string;
  code: string;
  /** The server's (or transport's) message, without the product/action prefix. */
  message: string;
  requestId?: string;
  hostId?: string;
  httpStatus?: number;
  region?: string;
  /** Overrides the table (transport errors: network, timeout, bad-response). */
  classification?: Classification;
  /** True when the request may have taken effect although no answer arrived (timeouts, resets). */
  outcomeUnknown?: boolean;
  /** The raw error this one replaces; only a redacted summary is kept. */
  cause?: unknown;
}

/**
 * The only error the cloud clients throw. Everything in it is redacted: no AccessKeyId, secret,
 * security token or signature in its message, stack or properties, even through util.inspect or
 * JSON.stringify. `outcomeUnknown` marks ambiguous results (the call may have created the resource):
 * look the resource up by name/token before creating it again.
 */
export class AlibabaCloudError extends Error {
  override readonly name = 'AlibabaCloudError';
  readonly product: Product;
  readonly action: string;
  readonly code: string;
  readonly serverMessage: string;
  readonly requestId: string | undefined;
  readonly hostId: string | undefined;
  readonly httpStatus: number | undefined;
  readonly region: string | undefined;
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly outcomeUnknown: boolean;
  override readonly cause: unknown;

  constructor(init: AlibabaCloudErrorInit) {
    const serverMessage = redact(init.message);
    const where = init.region ? ` in ${init.region}` : '';
    const facts = [
      init.httpStatus !== undefined ? `HTTP ${init.httpStatus}` : undefined,
      init.requestId ? `RequestId ${init.requestId}` : undefined,
    ].filter(Boolean);
    super(
      redact(
        `${init.product} ${init.action}${where} failed: ${init.code}: ${serverMessage}` +
          (facts.length > 0 ? ` (${facts.join(', ')})` : ''),
      ),
    );
    const classification = init.classification ?? classifyError(init.code, init.httpStatus);
    this.product = init.product;
    this.action = init.action;
    this.code = redact(init.code);
    this.serverMessage = serverMessage;
    this.requestId = init.requestId;
    this.hostId = init.hostId;
    this.httpStatus = init.httpStatus;
    this.region = init.region;
    this.kind = classification.kind;
    this.retryable = classification.retryable;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.cause = init.cause === undefined ? undefined : summarizeCause(init.cause);
    if (this.stack) this.stack = redact(this.stack);
  }

  /** The resource does not exist: on a delete this means "already done". */
  get isNotFound(): boolean {
    return this.kind === 'not-found';
  }

  /** The resource exists already: for idempotent creates (RAM roles, policy attachments) this means "done". */
  get isAlreadyExists(): boolean {
    return this.kind === 'already-exists';
  }

  /** Plain, redacted data (for logs and Temporal failure details). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      product: this.product,
      action: this.action,
      region: this.region,
      code: this.code,
      serverMessage: this.serverMessage,
      requestId: this.requestId,
      hostId: this.hostId,
      httpStatus: this.httpStatus,
      kind: this.kind,
      retryable: this.retryable,
      outcomeUnknown: this.outcomeUnknown,
    };
  }
}

function summarizeCause(cause: unknown): unknown {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return redact({ name: cause.name, message: cause.message, ...(typeof code === 'string' ? { code } : {}) });
  }
  return redact(cause);
}

export function isAlibabaCloudError(error: unknown): error is AlibabaCloudError {
  return error instanceof AlibabaCloudError;
}

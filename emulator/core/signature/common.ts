import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../contract';

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set, requests must carry exactly this security token (STS-style credentials). */
  securityToken?: string;
}

/** Clock skew Alibaba tolerates between the request's timestamp and the server. */
export const MAX_SKEW_MS = 15 * 60 * 1000;

/** Remembers nonces long enough to cover the accepted timestamp window on both sides. */
export class NonceCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly wallClock: () => number) {}

  /** Throws SignatureNonceUsed when the nonce was already accepted for this key. */
  use(accessKeyId: string, nonce: string): void {
    const now = this.wallClock();
    for (const [key, at] of this.seen) {
      if (now - at <= 2 * MAX_SKEW_MS) break;
      this.seen.delete(key);
    }
    const key = `${accessKeyId}\u0000${nonce}`;
    if (this.seen.has(key)) {
      throw new ApiError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    }
    this.seen.set(key, now);
  }
}

export interface VerifyContext {
  credentials: Credentials;
  wallClock: () => number;
  nonces: NonceCache;
}

export function requireKnownKey(ctx: VerifyContext, accessKeyId: string): void {
  if (accessKeyId !== ctx.credentials.accessKeyId) {
    throw new ApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  }
}

export function checkSecurityToken(ctx: VerifyContext, token: string | undefined): void {
  const expected = ctx.credentials.securityToken;
  if (expected === undefined && token === undefined) return;
  if (expected !== undefined && token === undefined) {
    throw new ApiError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this access key.');
  }
  if (token !== expected) {
    throw new ApiError(
      400,
      'InvalidSecurityToken.MismatchWithAccessKey',
      'Specified SecurityToken mismatch with the AccessKey (the emulator accepts only the token it was started with).',
    );
  }
}

/** Checks a request time against the wall clock (clients sign with real time, whatever the emulator clock says). */
export function checkTimestamp(ctx: VerifyContext, parsedMs: number): void {
  if (Number.isNaN(parsedMs)) {
    throw new ApiError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
  }
  if (Math.abs(ctx.wallClock() - parsedMs) > MAX_SKEW_MS) {
    throw new ApiError(
      400,
      'InvalidTimeStamp.Expired',
      `Specified time stamp or date value is expired. (Request time ${new Date(parsedMs).toISOString()}, server time ${new Date(ctx.wallClock()).toISOString()}; at most 15 minutes apart.)`,
    );
  }
}

export function hmac(algorithm: 'sha1' | 'sha256', key: string, data: string): Buffer {
  return createHmac(algorithm, key).update(data, 'utf8').digest();
}

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function signatureMismatch(stringToSign: string): ApiError {
  return new ApiError(
    400,
    'SignatureDoesNotMatch',
    `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
  );
}

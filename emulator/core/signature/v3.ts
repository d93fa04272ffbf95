import { createHash } from 'node:crypto';
import { ApiError } from '../contract';
import { percentEncode, sortedKeys } from '../encoding';
import { missing } from '../errors';
import type { WireRequest } from '../wire';
import {
  checkSecurityToken,
  checkTimestamp,
  hmac,
  requireKnownKey,
  sameText,
  signatureMismatch,
  type VerifyContext,
} from './common';

export const V3_ALGORITHM = 'ACS3-HMAC-SHA256';

interface V3Authorization {
  algorithm: string;
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(auth: string): V3Authorization {
  const space = auth.indexOf(' ');
  const algorithm = auth.slice(0, space);
  const fields: Record<string, string> = {};
  for (const part of auth.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  if (space < 0 || !fields.Credential || !fields.SignedHeaders || !fields.Signature) {
    throw new ApiError(
      400,
      'IncompleteSignature',
      'The request signature does not conform to Aliyun standards. (Expected "ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b>,Signature=<hex>".)',
    );
  }
  return {
    algorithm,
    accessKeyId: fields.Credential,
    signedHeaders: fields.SignedHeaders.split(';').map((h) => h.toLowerCase()),
    signature: fields.Signature,
  };
}

function canonicalUri(rawPath: string): string {
  const decoded = rawPath.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  return decoded.map(percentEncode).join('/') || '/';
}

export function v3CanonicalRequest(req: WireRequest, signedHeaders: string[], hashedPayload: string): string {
  const query = sortedKeys(req.query)
    .map((key) => `${percentEncode(key)}=${percentEncode(req.query[key])}`)
    .join('&');
  const headers = signedHeaders.map((name) => `${name}:${(req.headers[name] ?? '').trim()}\n`).join('');
  return [req.method, canonicalUri(req.rawPath), query, headers, signedHeaders.join(';'), hashedPayload].join('\n');
}

/** V3: HMAC-SHA256 over the hashed canonical request; body hash and Host must be covered. */
export function verifyV3(req: WireRequest, ctx: VerifyContext): string {
  const auth = parseAuthorization(req.headers.authorization ?? '');
  if (auth.algorithm !== V3_ALGORITHM) {
    throw new ApiError(
      400,
      'InvalidSignatureMethod',
      `Specified signature method is not valid. (Got "${auth.algorithm}"; the emulator supports ${V3_ALGORITHM}.)`,
    );
  }
  const h = req.headers;
  for (const [header, name] of [
    ['x-acs-date', 'XAcsDate'],
    ['x-acs-signature-nonce', 'XAcsSignatureNonce'],
    ['x-acs-content-sha256', 'XAcsContentSha256'],
  ]) {
    if (!h[header]) throw missing(name);
  }
  for (const required of ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
    if (!auth.signedHeaders.includes(required)) {
      throw new ApiError(
        400,
        'IncompleteSignature',
        `The request signature does not conform to Aliyun standards. (SignedHeaders must include ${required}.)`,
      );
    }
  }
  requireKnownKey(ctx, auth.accessKeyId);
  checkSecurityToken(ctx, h['x-acs-security-token']);
  checkTimestamp(
    ctx,
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(h['x-acs-date']) ? Date.parse(h['x-acs-date']) : NaN,
  );
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  if (h['x-acs-content-sha256'] !== bodyHash) {
    throw new ApiError(
      400,
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. (x-acs-content-sha256 ${h['x-acs-content-sha256']} is not the SHA-256 of the request body, ${bodyHash}.)`,
    );
  }
  const canonicalRequest = v3CanonicalRequest(req, auth.signedHeaders, bodyHash);
  const stringToSign = `${V3_ALGORITHM}\n${createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
  const expected = hmac('sha256', ctx.credentials.accessKeySecret, stringToSign).toString('hex');
  if (!sameText(expected, auth.signature.toLowerCase())) {
    throw signatureMismatch(`${stringToSign} (canonical request: ${JSON.stringify(canonicalRequest)})`);
  }
  ctx.nonces.use(auth.accessKeyId, h['x-acs-signature-nonce']);
  return auth.accessKeyId;
}

import { createHash } from 'node:crypto';
import { ApiError } from '../contract';
import { sortedKeys } from '../encoding';
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

/** ROA string to sign: fixed headers, sorted `x-acs-*` headers, then the path and sorted decoded query. */
export function roaStringToSign(req: WireRequest): string {
  const h = req.headers;
  const fixed = `${req.method}\n${h.accept ?? ''}\n${h['content-md5'] ?? ''}\n${h['content-type'] ?? ''}\n${h.date ?? ''}\n`;
  const acsHeaders = Object.keys(h)
    .filter((name) => name.startsWith('x-acs-'))
    .sort()
    .map((name) => `${name}:${h[name].replace(/[\t\n\r\f]/g, ' ').trim()}\n`)
    .join('');
  const keys = sortedKeys(req.query);
  const resource = keys.length === 0 ? req.path : `${req.path}?${keys.map((k) => `${k}=${req.query[k]}`).join('&')}`;
  return fixed + acsHeaders + resource;
}

/** ROA (FC): `Authorization: acs <AccessKeyId>:<base64 HMAC-SHA1(secret, string-to-sign)>`. */
export function verifyRoa(req: WireRequest, ctx: VerifyContext): string {
  const auth = req.headers.authorization ?? '';
  const match = /^acs ([^:]+):(.+)$/.exec(auth);
  if (!match) {
    throw new ApiError(
      400,
      'IncompleteSignature',
      'The request signature does not conform to Aliyun standards. (Expected "acs <AccessKeyId>:<Signature>".)',
    );
  }
  const [, accessKeyId, signature] = match;
  const method = req.headers['x-acs-signature-method'];
  if (method !== undefined && method !== 'HMAC-SHA1') {
    throw new ApiError(
      400,
      'InvalidSignatureMethod',
      `Specified signature method is not valid. (Got "${method}"; use HMAC-SHA1.)`,
    );
  }
  if (!req.headers.date) throw missing('Date');
  requireKnownKey(ctx, accessKeyId);
  checkSecurityToken(ctx, req.headers['x-acs-security-token']);
  checkTimestamp(ctx, Date.parse(req.headers.date));
  const md5 = req.headers['content-md5'];
  if (md5 !== undefined) {
    const actual = createHash('md5').update(req.body).digest('base64');
    if (md5 !== actual) {
      throw new ApiError(
        400,
        'InvalidDigest',
        `The Content-MD5 you specified did not match what we received. (Header ${md5}, body ${actual}.)`,
      );
    }
  }
  const stringToSign = roaStringToSign(req);
  const expected = hmac('sha1', ctx.credentials.accessKeySecret, stringToSign).toString('base64');
  if (!sameText(expected, signature)) throw signatureMismatch(stringToSign);
  const nonce = req.headers['x-acs-signature-nonce'];
  if (nonce) ctx.nonces.use(accessKeyId, nonce);
  return accessKeyId;
}

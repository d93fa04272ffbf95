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

const REQUIRED = ['AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp'];
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Parameters of the V1 protocol itself; they never reach product handlers. */
export const RPC_V1_PROTOCOL_PARAMS = [
  'Action',
  'Version',
  'Format',
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'SignatureType',
  'Timestamp',
  'SecurityToken',
];

export function rpcV1StringToSign(method: string, params: Record<string, string>): string {
  const canonical = sortedKeys(params)
    .filter((key) => key !== 'Signature')
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key])}`)
    .join('&');
  return `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

/** RPC signature V1: HMAC-SHA1 over the sorted parameters of query and form body, key = secret + "&". */
export function verifyRpcV1(req: WireRequest, ctx: VerifyContext): string {
  const p = req.params;
  for (const name of REQUIRED) if (p[name] === undefined || p[name] === '') throw missing(name);
  if (p.SignatureMethod !== 'HMAC-SHA1') {
    throw new ApiError(
      400,
      'InvalidSignatureMethod',
      `Specified signature method is not valid. (Got "${p.SignatureMethod}"; use HMAC-SHA1.)`,
    );
  }
  if (p.SignatureVersion !== '1.0') {
    throw new ApiError(
      400,
      'InvalidSignatureVersion',
      `Specified signature version is not valid. (Got "${p.SignatureVersion}"; use 1.0.)`,
    );
  }
  requireKnownKey(ctx, p.AccessKeyId);
  checkSecurityToken(ctx, p.SecurityToken);
  checkTimestamp(ctx, ISO_SECONDS.test(p.Timestamp) ? Date.parse(p.Timestamp) : NaN);
  const stringToSign = rpcV1StringToSign(req.method, p);
  const expected = hmac('sha1', `${ctx.credentials.accessKeySecret}&`, stringToSign).toString('base64');
  if (!sameText(expected, p.Signature)) throw signatureMismatch(stringToSign);
  ctx.nonces.use(p.AccessKeyId, p.SignatureNonce);
  return p.AccessKeyId;
}

import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { CloudCredentials } from './credentials';

/**
 * Alibaba Cloud ROA signing (FC 3.0 and other REST-style APIs):
 *   StringToSign = METHOD \n accept \n content-md5 \n content-type \n date \n
 *                  + every x-acs-* header, lower-cased and sorted, as "name:value\n"
 *                  + path [? sorted query "k=v" joined by &]   (values as sent, not percent-encoded)
 *   Authorization: acs <AccessKeyId>:base64(HMAC-SHA1(secret, StringToSign))
 */

export interface RoaRequestToSign {
  method: string;
  /** Path without query, e.g. /2023-03-30/functions/my-fn */
  path: string;
  query?: Readonly<Record<string, string>>;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
}

export function roaStringToSign(request: RoaRequestToSign): string {
  const h = request.headers;
  const acsHeaders = Object.keys(h)
    .filter((name) => name.startsWith('x-acs-'))
    .sort()
    .map((name) => `${name}:${h[name].replace(/[\t\n\r\f]/g, ' ').trim()}\n`)
    .join('');
  const queryKeys = Object.keys(request.query ?? {}).sort();
  const resource =
    queryKeys.length === 0
      ? request.path
      : `${request.path}?${queryKeys.map((k) => `${k}=${(request.query as Record<string, string>)[k]}`).join('&')}`;
  const head = [request.method.toUpperCase(), h['accept'] ?? '', h['content-md5'] ?? '', h['content-type'] ?? '']
    .concat(h['date'] ?? '')
    .join('\n');
  return `${head}\n${acsHeaders}${resource}`;
}

/**
 * Adds the signing headers (date, content-md5, x-acs-signature-*, x-acs-security-token, authorization)
 * to `headers` for a request with `body`, and returns the complete header set.
 */
export function signRoaRequest(
  request: { method: string; path: string; query?: Readonly<Record<string, string>>; body: Buffer },
  headers: Readonly<Record<string, string>>,
  credentials: CloudCredentials,
  now: Date = new Date(),
): Record<string, string> {
  const signed: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) signed[name.toLowerCase()] = value;
  signed['date'] = now.toUTCString();
  signed['content-md5'] = createHash('md5').update(request.body).digest('base64');
  signed['x-acs-signature-method'] = 'HMAC-SHA1';
  signed['x-acs-signature-version'] = '1.0';
  signed['x-acs-signature-nonce'] = randomUUID();
  if (credentials.securityToken) signed['x-acs-security-token'] = credentials.securityToken;
  const stringToSign = roaStringToSign({ ...request, headers: signed });
  const signature = createHmac('sha1', credentials.accessKeySecret).update(stringToSign, 'utf8').digest('base64');
  signed['authorization'] = `acs ${credentials.accessKeyId}:${signature}`;
  return signed;
}

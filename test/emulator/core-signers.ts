/**
 * Test-side signers written from Alibaba's public signing documentation, independently of the
 * emulator's verifier (emulator/core/signature), plus a raw HTTP sender that controls every header.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { request } from 'node:http';

export const AK = 'LTAI5tEmulatorAccessKey';
export const SECRET = 'emulator-secret-do-not-use-in-production';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown>;
}

/** Sends one request exactly as given (Host included) and reads the whole answer. */
export function send(
  baseUrl: string,
  opts: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: opts.method,
        path: opts.path,
        headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // left empty: callers assert on text when the body is not JSON
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function query(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(params[k])}`)
    .join('&');
}

export function isoSeconds(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RPC V1: returns the full parameter set including Signature. */
export function signRpcV1(
  method: 'GET' | 'POST',
  business: Record<string, string>,
  opts: {
    secret?: string;
    accessKeyId?: string;
    timestamp?: string;
    nonce?: string;
    extra?: Record<string, string>;
  } = {},
): Record<string, string> {
  const params: Record<string, string> = {
    Format: 'JSON',
    AccessKeyId: opts.accessKeyId ?? AK,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: opts.nonce ?? randomUUID(),
    Timestamp: opts.timestamp ?? isoSeconds(),
    ...business,
    ...opts.extra,
  };
  const stringToSign = `${method}&%2F&${rfc3986(query(params))}`;
  params.Signature = createHmac('sha1', `${opts.secret ?? SECRET}&`)
    .update(stringToSign)
    .digest('base64');
  return params;
}

/** Sends an RPC V1 call as pop-core does: POST form body or GET query. */
export function rpcV1(
  baseUrl: string,
  method: 'GET' | 'POST',
  business: Record<string, string>,
  opts: Parameters<typeof signRpcV1>[2] & { host?: string } = {},
): Promise<RawResponse> {
  const signed = signRpcV1(method, business, opts);
  const host: Record<string, string> = opts.host ? { host: opts.host } : {};
  if (method === 'GET') return send(baseUrl, { method, path: `/?${query(signed)}`, headers: host });
  return send(baseUrl, {
    method,
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...host },
    body: query(signed),
  });
}

/** V3 ACS3-HMAC-SHA256 over host, content-type (if any) and x-acs-* headers. */
export function v3Request(
  baseUrl: string,
  opts: {
    method: string;
    path: string;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: string;
    secret?: string;
    accessKeyId?: string;
    date?: string;
    nonce?: string;
    tamperBody?: string;
  },
): Promise<RawResponse> {
  const body = opts.body ?? '';
  const headers: Record<string, string> = {
    host: new URL(baseUrl).host,
    'x-acs-date': opts.date ?? isoSeconds(),
    'x-acs-signature-nonce': opts.nonce ?? randomUUID(),
    'x-acs-content-sha256': createHash('sha256').update(body).digest('hex'),
    ...opts.headers,
  };
  const signed = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .filter((h) => h === 'host' || h === 'content-type' || h.startsWith('x-acs-'))
    .sort();
  const canonical = [
    opts.method,
    opts.path.split('/').map(rfc3986).join('/'),
    query(opts.query ?? {}),
    signed.map((h) => `${h}:${headers[h].trim()}\n`).join(''),
    signed.join(';'),
    headers['x-acs-content-sha256'],
  ].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
  const signature = createHmac('sha256', opts.secret ?? SECRET)
    .update(stringToSign)
    .digest('hex');
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${opts.accessKeyId ?? AK},SignedHeaders=${signed.join(';')},Signature=${signature}`;
  const q = opts.query && Object.keys(opts.query).length ? `?${query(opts.query)}` : '';
  return send(baseUrl, { method: opts.method, path: opts.path + q, headers, body: opts.tamperBody ?? body });
}

/** ROA (FC 3.0) `acs AK:sig`, HMAC-SHA1 with the plain secret. */
export function roaRequest(
  baseUrl: string,
  opts: {
    method: string;
    path: string;
    /** Signed as `path?k=v&...` (sorted, decoded), sent percent-encoded. */
    query?: Record<string, string>;
    body?: string;
    host?: string;
    secret?: string;
    accessKeyId?: string;
    date?: string;
    nonce?: string;
    md5?: string;
    /** Extra headers, signed like the others (`x-acs-*` ones enter the string to sign). */
    headers?: Record<string, string>;
  },
): Promise<RawResponse> {
  const body = opts.body ?? '';
  const headers: Record<string, string> = {
    ...opts.headers,
    accept: 'application/json',
    date: opts.date ?? new Date().toUTCString(),
    'content-type': 'application/json',
    'content-md5': opts.md5 ?? createHash('md5').update(body).digest('base64'),
    'x-acs-signature-method': 'HMAC-SHA1',
    'x-acs-signature-nonce': opts.nonce ?? randomUUID(),
    'x-acs-signature-version': '1.0',
    'x-acs-version': '2023-03-30',
  };
  if (opts.host) headers.host = opts.host;
  const acs = Object.keys(headers)
    .filter((h) => h.startsWith('x-acs-'))
    .sort()
    .map((h) => `${h}:${headers[h]}\n`)
    .join('');
  const keys = Object.keys(opts.query ?? {}).sort();
  const resource = keys.length ? `${opts.path}?${keys.map((k) => `${k}=${opts.query?.[k]}`).join('&')}` : opts.path;
  const stringToSign = `${opts.method}\n${headers.accept}\n${headers['content-md5']}\n${headers['content-type']}\n${headers.date}\n${acs}${resource}`;
  const signature = createHmac('sha1', opts.secret ?? SECRET)
    .update(stringToSign)
    .digest('base64');
  headers.authorization = `acs ${opts.accessKeyId ?? AK}:${signature}`;
  const search = keys.length ? `?${new URLSearchParams(opts.query).toString()}` : '';
  return send(baseUrl, { method: opts.method, path: opts.path + search, headers, body: opts.body });
}

import type { IncomingMessage } from 'node:http';
import { ApiError } from './contract';
import { mergeParams, parsePairs } from './encoding';

/** One HTTP request as it came over the wire, plus its decoded parameters. */
export interface WireRequest {
  method: string;
  /** Path exactly as sent (still percent-encoded), without the query. */
  rawPath: string;
  /** Path with each segment percent-decoded. */
  path: string;
  query: Record<string, string>;
  /** Form-body parameters (`application/x-www-form-urlencoded`), else empty. */
  form: Record<string, string>;
  /** query ∪ form (a key in both is rejected). */
  params: Record<string, string>;
  /** Lower-cased names; repeated headers joined with `,` as node does. */
  headers: Record<string, string>;
  body: Buffer;
}

export function isFormBody(headers: Record<string, string>): boolean {
  return (headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

export function decodePath(rawPath: string): string {
  try {
    return rawPath
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
  } catch {
    return rawPath;
  }
}

export function collectHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

/** Decodes URL, headers and form body; throws ApiError on duplicate keys or malformed encoding. */
export function decodeWire(method: string, url: string, headers: Record<string, string>, body: Buffer): WireRequest {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const query = parsePairs(q < 0 ? '' : url.slice(q + 1), 'query string');
  const form = isFormBody(headers) ? parsePairs(body.toString('utf8'), 'form body') : {};
  return {
    method: method.toUpperCase(),
    rawPath,
    path: decodePath(rawPath),
    query,
    form,
    params: mergeParams(query, form),
    headers,
    body,
  };
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Reads the whole body (FC code zips arrive base64 in JSON, so allow tens of MB). */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, 'RequestEntityTooLarge', `Request body exceeds ${MAX_BODY_BYTES} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A tiny local HTTP server for the client-layer tests: records every request and answers with whatever
 * the test's handler says (JSON, raw text, a hang, or a dropped connection).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type FakeAnswer =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; text: string; headers?: Record<string, string> }
  | { hang: true }
  | { reset: true };

export interface FakeServer {
  url: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

export async function startFakeServer(handler: (req: CapturedRequest) => FakeAnswer): Promise<FakeServer> {
  const requests: CapturedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://placeholder');
      const captured: CapturedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(captured);
      let answer: FakeAnswer;
      try {
        answer = handler(captured);
      } catch (error) {
        answer = { status: 500, json: { Code: 'TestHandlerFailed', Message: String(error) } };
      }
      if ('hang' in answer) return;
      if ('reset' in answer) {
        req.socket.destroy();
        return;
      }
      const payload = 'json' in answer ? JSON.stringify(answer.json) : answer.text;
      res.writeHead(answer.status ?? 200, {
        'content-type': 'json' in answer ? 'application/json' : 'text/html',
        ...answer.headers,
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The form body of an RPC POST, decoded strictly (percent-escapes only, duplicates refused). */
export function decodeForm(body: Buffer): Map<string, string> {
  const params = new Map<string, string>();
  const text = body.toString('utf8');
  if (text === '') return params;
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
    if (params.has(key)) throw new Error(`duplicate parameter ${key}`);
    params.set(key, value);
  }
  return params;
}

export function rpcError(code: string, message = `${code} (test)`, status = 400): FakeAnswer {
  return { status, json: { RequestId: `req-${code}`, Code: code, Message: message, HostId: 'test.aliyuncs.com' } };
}

export const TEST_CREDENTIALS = {
  accessKeyId: 'LTAI5tTestKeyIdForClientTests',
  accessKeySecret: 'test-secret-Xq7-do-not-leak',
  securityToken: 'CAIS-test-security-token-value-0123456789',
};

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { functionCodeZipBase64 } from '../../activities/assets';

// Loads index.py from the very ZIP the deploy activity uploads (after zipfile's CRC check), then calls
// handler(event, context) the way FC's python3.10 runtime does and prints what it returned.
const HARNESS = `
import json, socket, sys, zipfile
args = json.load(sys.stdin)
archive = zipfile.ZipFile(args["zip"])
bad = archive.testzip()
if bad is not None:
    raise SystemExit("corrupt member " + bad)
if args.get("failDns"):
    def refuse(*_a, **_k):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    socket.getaddrinfo = refuse
import os
os.environ.update(args.get("env", {}))
sys.path.insert(0, args["zip"])
import index
event = args.get("event")
print(index.handler(event.encode() if event is not None else b"", None))
`;

interface Answer {
  status: number | null;
  body: string | null;
  url?: string;
  error?: { kind: string; message: string };
}

let workDir: string;
let zipPath: string;
let server: Server;
let baseUrl: string;
let silentServer: ReturnType<typeof createTcpServer>;
const silentSockets: Socket[] = [];
let silentUrl: string;

function invoke(input: { event?: unknown; env?: Record<string, string>; failDns?: boolean }): Promise<Answer> {
  const payload = JSON.stringify({
    zip: zipPath,
    event: input.event === undefined ? undefined : JSON.stringify(input.event),
    env: input.env ?? {},
    failDns: input.failDns ?? false,
  });
  return new Promise((resolve, reject) => {
    const child = execFile('python3', ['-c', HARNESS], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`python3 failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as Answer);
    });
    child.stdin?.end(payload);
  });
}

function listen(target: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) => target.listen(0, '127.0.0.1', () => resolve((target.address() as AddressInfo).port)));
}

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'fc-function-'));
  zipPath = join(workDir, 'code.zip');
  writeFileSync(zipPath, Buffer.from(functionCodeZipBase64(), 'base64'));
  server = createServer((req, res) => {
    if (req.url === '/web/cloudapi') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hello: 'backend' }));
    } else {
      res.writeHead(503).end('gateway says no');
    }
  });
  baseUrl = `http://127.0.0.1:${await listen(server)}`;
  // Accepts connections and never answers: the function must give up with a timeout.
  silentServer = createTcpServer((socket) => silentSockets.push(socket));
  silentUrl = `http://127.0.0.1:${await listen(silentServer)}/web/cloudapi`;
});

after(async () => {
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silentServer.close(resolve));
  await new Promise((resolve) => server.close(resolve));
  rmSync(workDir, { recursive: true, force: true });
});

describe('FC function (python3, loaded from the deploy ZIP)', () => {
  it('returns the backend status and body for the URL in the event', async () => {
    const answer = await invoke({ event: { url: `${baseUrl}/web/cloudapi` } });
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body ?? ''), { hello: 'backend' });
    assert.equal(answer.error, undefined);
  });

  it('falls back to the API_URL environment variable', async () => {
    const answer = await invoke({ env: { API_URL: `${baseUrl}/web/cloudapi` } });
    assert.equal(answer.status, 200);
    assert.equal(answer.url, `${baseUrl}/web/cloudapi`);
  });

  it('reports an HTTP error status with its body', async () => {
    const answer = await invoke({ event: { url: `${baseUrl}/elsewhere` } });
    assert.equal(answer.status, 503);
    assert.equal(answer.body, 'gateway says no');
    assert.equal(answer.error?.kind, 'http');
  });

  it('tells a refused connection apart', async () => {
    const closed = createTcpServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const answer = await invoke({ event: { url: `http://127.0.0.1:${port}/web/cloudapi` } });
    assert.equal(answer.status, null);
    assert.equal(answer.error?.kind, 'connection_refused');
  });

  it('tells a timeout apart', async () => {
    const answer = await invoke({ event: { url: silentUrl, timeoutSeconds: 0.3 } });
    assert.equal(answer.status, null);
    assert.equal(answer.error?.kind, 'timeout');
  });

  it('tells a DNS failure apart', async () => {
    const answer = await invoke({ event: { url: 'http://group.vpc-domain.example/web/cloudapi' }, failDns: true });
    assert.equal(answer.status, null);
    assert.equal(answer.error?.kind, 'dns');
  });

  it('says clearly when no URL was given', async () => {
    const answer = await invoke({});
    assert.equal(answer.error?.kind, 'config');
    assert.match(answer.error?.message ?? '', /API_URL/);
  });
});

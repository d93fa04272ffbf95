import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { NetworkModel } from './reachability';

/*
 * The network one invocation's code runs in. The Python harness routes every name lookup and TCP
 * connect of the function through this loopback server:
 *   GET /resolve?host=H        → 200 {"address"} or 404 {"detail"}           (DNS)
 *   CONNECT H:P HTTP/1.1       → 200 and the socket becomes the connection to H:P,
 *                                or 504/502 with X-Emulator-Verdict: timeout|refused
 * Behind an established connection the "remote end" is the gateway model, answering real HTTP.
 */

export interface NetworkEvent {
  kind: 'resolve' | 'connect' | 'request';
  target: string;
  outcome: string;
  detail?: string;
}

export interface FunctionNetworkServer {
  /** `127.0.0.1:<port>` for the harness. */
  address: string;
  events: NetworkEvent[];
  close(): Promise<void>;
}

const headerSafe = (text: string): string => text.replace(/[^\x20-\x7e]/g, ' ').slice(0, 1000);

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startFunctionNetwork(model: NetworkModel): Promise<FunctionNetworkServer> {
  const events: NetworkEvent[] = [];
  const sockets = new Set<Socket>();
  const destinations = new WeakMap<Socket, string>();

  // The far end of established connections: the gateway, speaking HTTP.
  const remote = createServer((req, res) => {
    const host = destinations.get(req.socket) ?? '';
    const path = new URL(req.url ?? '/', 'http://remote.invalid').pathname;
    req.resume();
    req.on('end', () => {
      const answer = model.serve(host, { method: req.method ?? 'GET', path, headers: flatHeaders(req) });
      events.push({
        kind: 'request',
        target: `${req.method ?? 'GET'} http://${host}${path}`,
        outcome: String(answer.status),
        detail: answer.detail,
      });
      const body = Buffer.from(answer.body);
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.length) });
      res.end(body);
    });
  });

  const front = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://network.invalid');
    if (req.method !== 'GET' || url.pathname !== '/resolve') {
      res
        .writeHead(400, { 'content-type': 'text/plain' })
        .end('emulated function network: GET /resolve or CONNECT only');
      return;
    }
    const host = url.searchParams.get('host') ?? '';
    const resolution = model.resolve(host);
    const found = 'address' in resolution;
    events.push({
      kind: 'resolve',
      target: host,
      outcome: found ? resolution.address : 'NXDOMAIN',
      ...(found ? {} : { detail: resolution.failure.detail }),
    });
    const payload = Buffer.from(
      JSON.stringify(found ? { address: resolution.address } : { detail: resolution.failure.detail }),
    );
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json', 'content-length': String(payload.length) });
    res.end(payload);
  });

  front.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const target = req.url ?? '';
    const split = target.lastIndexOf(':');
    const host = target.slice(0, split);
    const port = Number(target.slice(split + 1));
    const blocked = model.connect(host, port);
    events.push({
      kind: 'connect',
      target,
      outcome: blocked ? blocked.symptom : 'established',
      ...(blocked ? { detail: blocked.detail } : {}),
    });
    if (blocked) {
      const verdict = blocked.symptom === 'connection-refused' ? 'refused' : 'timeout';
      socket.end(
        `HTTP/1.1 ${verdict === 'refused' ? '502 Bad Gateway' : '504 Gateway Timeout'}\r\n` +
          `X-Emulator-Verdict: ${verdict}\r\nX-Emulator-Detail: ${headerSafe(blocked.detail)}\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    destinations.set(socket, host);
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    remote.emit('connection', socket);
  });

  for (const server of [front, remote]) {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }

  const port = await listen(front);
  return {
    address: `127.0.0.1:${port}`,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        remote.close();
        front.close(() => resolve());
      }),
  };
}

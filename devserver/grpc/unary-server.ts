// A gRPC server for unary RPCs written directly on node:http2. Every Temporal RPC the devserver serves
// is unary, and a small workflow costs about a dozen of them, so the per-call cost of the transport is
// most of the server's CPU: @grpc/grpc-js wraps each call in interceptors, metadata objects, stream
// adapters, per-call deadline timers and an AbortSignal per call, which the profile showed as a large
// share of the server's busy time. This speaks the wire protocol (gRPC over HTTP/2, length-prefixed
// messages, grpc-status trailers) with only what a unary call needs.
import http2, { constants as h2 } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';
import { status } from '@grpc/grpc-js';

/** A unary RPC as the transport sees it: bytes in, bytes out, and cancellation. */
export interface UnaryMethod {
  /** Turns the request message into the response message; errors become gRPC statuses via `toStatus`. */
  call(request: Buffer, signal: CancelSignal): Promise<Buffer>;
}

/**
 * Cancellation of one call (the client reset the stream or closed the connection, or the server is
 * shutting down): the part of AbortSignal the engine uses. Each call is its own signal; an
 * AbortController per call (EventTarget, DOMException) was a measurable share of the server's CPU.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  /** When the client gives up on the call (epoch ms, from its `grpc-timeout`); long polls end before. */
  readonly deadline?: number;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface StatusError {
  code: status;
  message: string;
}

export interface UnaryServerOptions {
  /** RPC path (`/package.Service/Method`) → method. */
  methods: ReadonlyMap<string, UnaryMethod>;
  /** Largest request message accepted (after decompression), in bytes. */
  maxReceiveBytes: number;
  /** Maps a handler's error to the status sent to the client. */
  toStatus(err: unknown, path: string): StatusError;
}

const GRPC_HEADER_BYTES = 5;
const ACCEPTED_ENCODINGS = 'identity,deflate,gzip';

/** grpc-message is percent-encoded: anything outside printable ASCII, and '%' itself. */
function encodeGrpcMessage(message: string): string {
  return Buffer.from(message, 'utf8').reduce((out, byte) => {
    const printable = byte >= 0x20 && byte <= 0x7e && byte !== 0x25;
    return out + (printable ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`);
  }, '');
}

function frame(message: Buffer): Buffer {
  const out = Buffer.allocUnsafe(GRPC_HEADER_BYTES + message.length);
  out[0] = 0; // responses go out uncompressed: every Temporal client accepts identity
  out.writeUInt32BE(message.length, 1);
  message.copy(out, GRPC_HEADER_BYTES);
  return out;
}

class StatusFailure extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The request in memory of its own. Decoded `bytes` fields (payloads the engine keeps for as long as a
 * run lives) are views into the request buffer, and what HTTP/2 and zlib hand over are views into
 * larger shared chunks; so is a small `Buffer.from` copy (Node's 8 KiB pool). Each kept payload would
 * pin such a chunk: 30 KB per finished workflow in a benchmark of 2,000, now the request's own size.
 */
function ownCopy(bytes: Uint8Array): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  copy.set(bytes);
  return copy;
}

/** The one message of a unary request body, inflated if the client compressed it. */
function unframe(body: Buffer, encoding: string | undefined, maxBytes: number): Buffer {
  if (body.length < GRPC_HEADER_BYTES) throw new StatusFailure(status.INTERNAL, 'request body holds no gRPC message');
  const compressed = body[0] === 1;
  const length = body.readUInt32BE(1);
  if (body.length !== GRPC_HEADER_BYTES + length) {
    throw new StatusFailure(status.UNIMPLEMENTED, 'a unary call carries exactly one request message');
  }
  const message = body.subarray(GRPC_HEADER_BYTES);
  if (!compressed) return ownCopy(message);
  const options = { maxOutputLength: maxBytes };
  try {
    if (encoding === 'gzip') return ownCopy(gunzipSync(message, options));
    if (encoding === 'deflate') return ownCopy(inflateSync(message, options));
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new StatusFailure(status.RESOURCE_EXHAUSTED, `request message inflates to more than ${maxBytes} bytes`);
    }
    throw new StatusFailure(status.INTERNAL, `request message is not valid ${encoding}`);
  }
  throw new StatusFailure(status.UNIMPLEMENTED, `request compressed with unsupported encoding "${encoding ?? ''}"`);
}

export interface UnaryServer {
  readonly port: number;
  /** gRPC calls received since start (any path, answered or not). */
  readonly calls: number;
  /** Stops accepting calls; open calls get `graceMs` to finish, then connections are destroyed. */
  close(graceMs: number): Promise<void>;
}

/** `grpc-timeout` ("<digits><unit>", unit one of H M S m u n) in ms; undefined when absent or malformed. */
export function parseGrpcTimeout(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /^(\d{1,8})([HMSmun])$/.exec(value);
  if (!m) return undefined;
  const msPerUnit = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 1e-3, n: 1e-6 }[m[2] as 'H'];
  return Number(m[1]) * msPerUnit;
}

/** One call on one HTTP/2 stream: collects the request, runs the method, answers once. */
class UnaryCall implements CancelSignal {
  aborted = false;
  readonly deadline: number | undefined;
  private answered = false;
  private listeners: (() => void)[] | undefined;
  private readonly chunks: Buffer[] = [];
  private received = 0;

  constructor(
    private readonly stream: http2.ServerHttp2Stream,
    private readonly path: string,
    private readonly encoding: string | undefined,
    private readonly method: UnaryMethod,
    private readonly owner: CallOwner,
    timeout: string | undefined,
  ) {
    const ms = parseGrpcTimeout(timeout);
    this.deadline = ms === undefined ? undefined : Date.now() + ms;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners?.indexOf(listener) ?? -1;
    if (i >= 0) this.listeners!.splice(i, 1);
  }

  /** The client gave up (or the server closes): the handler stops waiting and its answer is dropped. */
  abort(): void {
    if (this.answered) return;
    this.aborted = true;
    this.finish();
    for (const listener of this.listeners?.splice(0) ?? []) listener();
  }

  onData(chunk: Buffer): void {
    if (this.answered) return; // answered already (too large): the rest is read and dropped
    this.received += chunk.length;
    if (this.received > this.owner.maxReceiveBytes + GRPC_HEADER_BYTES) {
      this.chunks.length = 0;
      this.sendStatus(status.RESOURCE_EXHAUSTED, `request message larger than ${this.owner.maxReceiveBytes} bytes`);
      return;
    }
    this.chunks.push(chunk);
  }

  onEnd(): void {
    if (this.answered) return;
    let request: Buffer;
    try {
      const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      request = unframe(body, this.encoding, this.owner.maxReceiveBytes);
    } catch (e) {
      const failure = e instanceof StatusFailure ? e : new StatusFailure(status.INTERNAL, String(e));
      this.sendStatus(failure.code, failure.message);
      return;
    }
    this.method.call(request, this).then(
      (response) => this.sendMessage(response),
      (err: unknown) => {
        const s = this.owner.toStatus(err, this.path);
        this.sendStatus(s.code, s.message);
      },
    );
  }

  sendStatus(code: status, message: string): void {
    if (this.finish()) sendTrailersOnly(this.stream, code, message);
  }

  private sendMessage(message: Buffer): void {
    if (!this.finish()) return;
    const stream = this.stream;
    stream.respond(RESPONSE_HEADERS, { waitForTrailers: true });
    stream.once('wantTrailers', () => stream.sendTrailers(OK_TRAILERS));
    stream.end(frame(message));
  }

  /** Marks the call answered; false when it already was or the stream is gone. */
  private finish(): boolean {
    if (this.answered) return false;
    this.answered = true;
    this.owner.open.delete(this);
    return !this.stream.destroyed;
  }
}

interface CallOwner {
  readonly maxReceiveBytes: number;
  readonly open: Set<UnaryCall>;
  toStatus(err: unknown, path: string): StatusError;
}

const RESPONSE_HEADERS = {
  [h2.HTTP2_HEADER_STATUS]: 200,
  [h2.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc+proto',
  'grpc-accept-encoding': ACCEPTED_ENCODINGS,
};
const OK_TRAILERS = { 'grpc-status': '0' };

/** "Trailers-Only": the status rides in the response headers and the stream ends there. */
function sendTrailersOnly(stream: http2.ServerHttp2Stream, code: status, message: string): void {
  stream.respond(
    { ...RESPONSE_HEADERS, 'grpc-status': String(code), 'grpc-message': encodeGrpcMessage(message) },
    { endStream: true },
  );
}

export async function startUnaryServer(ip: string, port: number, options: UnaryServerOptions): Promise<UnaryServer> {
  const { methods, maxReceiveBytes, toStatus } = options;
  const server = http2.createServer({
    // Node's default (10 MB per session) would refuse streams when a worker keeps many long polls
    // and large histories in flight on one connection; real servers bound this by message size.
    maxSessionMemory: 1024, // megabytes
    settings: { maxConcurrentStreams: 2 ** 31 - 1 },
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  const owner: CallOwner = { maxReceiveBytes, open: new Set(), toStatus };
  let calls = 0;

  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => session.destroy()); // a client vanishing mid-call must not crash the server
  });

  server.on('stream', (stream, headers) => {
    stream.on('error', () => stream.destroy());
    const path = String(headers[h2.HTTP2_HEADER_PATH] ?? '');
    const contentType = String(headers[h2.HTTP2_HEADER_CONTENT_TYPE] ?? '');
    if (headers[h2.HTTP2_HEADER_METHOD] !== 'POST' || !contentType.startsWith('application/grpc')) {
      // What the gRPC spec asks of a server receiving a non-gRPC request.
      stream.respond({ [h2.HTTP2_HEADER_STATUS]: 415 }, { endStream: true });
      return;
    }
    calls++;
    const method = methods.get(path);
    if (!method) {
      stream.resume(); // drain the request so the stream can close
      sendTrailersOnly(
        stream,
        status.UNIMPLEMENTED,
        `${path.slice(1) || '(no path)'} is not implemented by the devserver`,
      );
      return;
    }
    const call = new UnaryCall(
      stream,
      path,
      headers['grpc-encoding'] as string | undefined,
      method,
      owner,
      headers['grpc-timeout'] as string | undefined,
    );
    owner.open.add(call);
    stream.on('data', (chunk: Buffer) => call.onData(chunk));
    stream.on('end', () => call.onEnd());
    // The client resets the stream when it gives up (its deadline, a cancelled long poll, shutdown):
    // that is the call's cancellation. Deadlines need no server timer of their own for the same reason.
    stream.on('close', () => call.abort());
  });

  const boundPort = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });

  return {
    port: boundPort,
    get calls() {
      return calls;
    },
    async close(graceMs) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          for (const call of [...owner.open]) call.abort();
          for (const session of sessions) session.destroy();
        }, graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        for (const session of sessions) session.close();
      });
    },
  };
}

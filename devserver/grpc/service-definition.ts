// Builds the RPC table of a Temporal service from the protobufjs reflection of its proto: every RPC
// exists, those without an implementation answer UNIMPLEMENTED naming the RPC, requests are decoded
// to plain objects before the handler runs, and no handler error can escape to crash the process.
import { status } from '@grpc/grpc-js';
import type { Method, Type } from 'protobufjs';
import { decodeMessage, encodeMessage, protoService, type Msg } from '../proto';
import { invalidArgument, ServiceError, unimplemented } from './status';
import type { CancelSignal, StatusError, UnaryMethod } from './unary-server';

/** What a handler sees besides the request: cancellation (client gone / server closing) and its name. */
export interface CallContext {
  readonly signal: CancelSignal;
  readonly method: string;
}

export type RpcHandler = (request: Msg, ctx: CallContext) => Promise<Msg> | Msg;
export type RpcHandlers = Partial<Record<string, RpcHandler>>;

/** DEVSERVER_TRACE=1 logs every RPC (start, and duration when it answers) to stderr, for debugging. */
const TRACE = Boolean(process.env.DEVSERVER_TRACE);

export interface ServiceHooks {
  /** Logs handler failures that are not ServiceErrors (bugs), which answer INTERNAL. */
  onError(e: unknown, rpc: string): void;
  /** Awaited before every answer: the journal makes the RPC's changes durable here. */
  beforeReply?(): Promise<void>;
}

/** The gRPC status a handler's failure is answered with (bugs are logged and answer INTERNAL). */
export function statusOf(err: unknown, rpc: string, onError: ServiceHooks['onError']): StatusError {
  if (err instanceof ServiceError) return { code: err.code, message: err.message };
  onError(err, rpc);
  return { code: status.INTERNAL, message: `${rpc}: ${err instanceof Error ? err.message : String(err)}` };
}

/** The service's RPCs keyed by their HTTP/2 path (`/package.Service/Method`). */
export function buildService(fullName: string, handlers: RpcHandlers, hooks: ServiceHooks): Map<string, UnaryMethod> {
  const { beforeReply } = hooks;
  const svc = protoService(fullName);
  const unknownHandler = Object.keys(handlers).find((name) => !svc.methods[name]);
  if (unknownHandler) throw new Error(`${fullName} has no RPC named ${unknownHandler}`);

  const table = new Map<string, UnaryMethod>();
  for (const [name, method] of Object.entries(svc.methods) as [string, Method][]) {
    const reqType = method.resolvedRequestType as Type;
    const resType = method.resolvedResponseType as Type;
    const handler = handlers[name];
    table.set(`/${fullName}/${name}`, {
      async call(bytes, cancellation) {
        if (!handler) throw unimplemented(`${fullName}/${name} is not implemented by the devserver`);
        const started = TRACE ? Date.now() : 0;
        if (TRACE) process.stderr.write(`[devserver] ${new Date(started).toISOString()} > ${name}\n`);
        let response: Msg;
        try {
          let request: Msg;
          try {
            request = decodeMessage(reqType, bytes);
          } catch (e) {
            throw invalidArgument(`${name}: request is not a valid ${reqType.fullName.slice(1)}: ${String(e)}`);
          }
          const ctx: CallContext = { signal: cancellation, method: name };
          response = await handler(request, ctx);
        } finally {
          // Errors may follow partial changes (a failed task is recorded, then the call refused).
          await beforeReply?.();
        }
        if (TRACE)
          process.stderr.write(`[devserver] ${new Date().toISOString()} < ${name} ${Date.now() - started} ms\n`);
        return encodeMessage(resType, response);
      },
    });
  }
  return table;
}

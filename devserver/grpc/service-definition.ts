// Builds @grpc/grpc-js service definitions and handlers from the protobufjs reflection of a Temporal
// service: every RPC exists, those without an implementation answer UNIMPLEMENTED naming the RPC, and
// no handler error can escape to crash the process.
import { status, type ServiceDefinition, type UntypedServiceImplementation, type Metadata } from '@grpc/grpc-js';
import type { Method, Type } from 'protobufjs';
import { decodeMessage, encodeMessage, protoService, type Msg } from '../proto';
import { ServiceError } from './status';

/** What a handler sees besides the request: cancellation (client gone / deadline) and metadata. */
export interface CallContext {
  readonly signal: AbortSignal;
  readonly metadata: Metadata;
  readonly method: string;
}

export type RpcHandler = (request: Msg, ctx: CallContext) => Promise<Msg> | Msg;
export type RpcHandlers = Partial<Record<string, RpcHandler>>;

export interface BuiltService {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

/** DEVSERVER_TRACE=1 logs every RPC (start, and duration when it answers) to stderr, for debugging. */
const TRACE = Boolean(process.env.DEVSERVER_TRACE);

export interface ServiceHooks {
  /** Logs handler failures that are not ServiceErrors (bugs), which answer INTERNAL. */
  onError(e: unknown, rpc: string): void;
  /** Awaited before every successful answer: the journal makes the RPC's changes durable here. */
  beforeReply?(): Promise<void>;
}

export function buildService(fullName: string, handlers: RpcHandlers, hooks: ServiceHooks): BuiltService {
  const { onError, beforeReply } = hooks;
  const svc = protoService(fullName);
  const definition: Record<string, ServiceDefinition[string]> = {};
  const implementation: UntypedServiceImplementation = {};
  const unknownHandler = Object.keys(handlers).find((name) => !svc.methods[name]);
  if (unknownHandler) throw new Error(`${fullName} has no RPC named ${unknownHandler}`);

  for (const [name, method] of Object.entries(svc.methods) as [string, Method][]) {
    const reqType = method.resolvedRequestType as Type;
    const resType = method.resolvedResponseType as Type;
    definition[name] = {
      path: `/${fullName}/${name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (o: Msg) => encodeMessage(reqType, o),
      requestDeserialize: (b: Buffer) => decodeMessage(reqType, b),
      responseSerialize: (o: Msg) => encodeMessage(resType, o),
      responseDeserialize: (b: Buffer) => decodeMessage(resType, b),
    };
    const handler = handlers[name];
    implementation[name] = (
      call: { request: Msg; metadata: Metadata; on(ev: 'cancelled', fn: () => void): void },
      callback: (err: { code: status; details: string } | null, res?: Msg) => void,
    ) => {
      if (!handler) {
        callback({ code: status.UNIMPLEMENTED, details: `${fullName}/${name} is not implemented by the devserver` });
        return;
      }
      const started = Date.now();
      if (TRACE) process.stderr.write(`[devserver] ${new Date(started).toISOString()} > ${name}\n`);
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      Promise.resolve()
        .then(async () => {
          try {
            return await handler(call.request, { signal: abort.signal, metadata: call.metadata, method: name });
          } finally {
            // Errors may follow partial changes (a failed task is recorded, then the call refused).
            await beforeReply?.();
          }
        })
        .then(
          (res) => {
            if (TRACE)
              process.stderr.write(`[devserver] ${new Date().toISOString()} < ${name} ${Date.now() - started} ms\n`);
            callback(null, res);
          },
          (err: unknown) => {
            if (err instanceof ServiceError) {
              callback({ code: err.code, details: err.message });
            } else {
              onError(err, name);
              const msg = err instanceof Error ? err.message : String(err);
              callback({ code: status.INTERNAL, details: `${name}: ${msg}` });
            }
          },
        );
    };
  }
  return { definition, implementation };
}

// The Temporal API protobuf definitions shipped with the SDK (@temporalio/proto), used as reflection
// types: requests are decoded to plain objects (int64 as number, bytes as Buffer) and responses are
// encoded from plain objects, so the engine never touches protobufjs classes or Long.
import type { Type, Service } from 'protobufjs';

const root = require('@temporalio/proto') as { lookupType(name: string): Type; lookupService(name: string): Service };

/**
 * A Temporal API message as a plain object. Its shape is the proto named where it is used; the engine
 * reads the fields it needs and passes the rest through untouched.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Msg = Record<string, any>;

const typeCache = new Map<string, Type>();

export function protoType(fullName: string): Type {
  let t = typeCache.get(fullName);
  if (!t) {
    t = root.lookupType(fullName);
    typeCache.set(fullName, t);
  }
  return t;
}

export function protoService(fullName: string): Service {
  const svc = root.lookupService(fullName);
  svc.resolveAll();
  return svc;
}

const conversion = { longs: Number, enums: Number, bytes: Buffer } as const;

export function decodeMessage(type: Type, bytes: Uint8Array): Msg {
  return type.toObject(type.decode(bytes), conversion);
}

export function encodeMessage(type: Type, obj: Msg): Buffer {
  return Buffer.from(type.encode(type.fromObject(obj)).finish());
}

/** google.protobuf.Any (its field keeps the proto name `type_url`) holding an encoded Temporal message. */
export function packAny(fullName: string, encoded: Uint8Array): Msg {
  return { type_url: `type.googleapis.com/${fullName}`, value: encoded };
}

export function unpackAny(any: Msg | undefined): { name: string; value: Msg } | undefined {
  if (!any?.type_url) return undefined;
  const name = String(any.type_url).replace(/^.*\//, '');
  return { name, value: decodeMessage(protoType(name), any.value ?? Buffer.alloc(0)) };
}

export const HISTORY_EVENT = 'temporal.api.history.v1.HistoryEvent';

// ---- time and durations -----------------------------------------------------------------------

export function tsFromMs(ms: number): Msg {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

export function msFromTs(ts: Msg | undefined | null): number | undefined {
  if (!ts) return undefined;
  return Number(ts.seconds ?? 0) * 1000 + Math.floor(Number(ts.nanos ?? 0) / 1e6);
}

/** A google.protobuf.Duration in ms; absent or zero means "not set" (undefined). */
export function msFromDuration(d: Msg | undefined | null): number | undefined {
  const ms = msFromTs(d);
  return ms ? ms : undefined;
}

export const durationFromMs = tsFromMs;

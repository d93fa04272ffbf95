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

/**
 * Encodes a response. A field holding a `History` is not converted event by event: each event's bytes
 * are encoded once, when it is written (see `encodedEvent`), and spliced in. Poll responses carry a
 * run's whole history on every workflow task, so this was the server's largest single CPU cost.
 */
export function encodeMessage(type: Type, obj: Msg): Buffer {
  const field = historyFieldOf(type);
  const events: unknown = field ? obj[field.name]?.events : undefined;
  if (!field || !Array.isArray(events)) return Buffer.from(type.encode(type.fromObject(obj)).finish());
  const head = type.encode(type.fromObject({ ...obj, [field.name]: undefined })).finish();
  const encoded = (events as Msg[]).map(encodedEvent);
  // History is `repeated HistoryEvent events = 1`: each event is tag 0x0a, length, bytes.
  const bodyLength = encoded.reduce((n, e) => n + 1 + varintLength(e.length) + e.length, 0);
  const tag = (field.id << 3) | 2; // length-delimited
  const out = Buffer.allocUnsafe(head.length + varintLength(tag) + varintLength(bodyLength) + bodyLength);
  out.set(head, 0);
  let at = writeVarint(out, head.length, tag);
  at = writeVarint(out, at, bodyLength);
  for (const e of encoded) {
    out[at++] = 0x0a;
    at = writeVarint(out, at, e.length);
    out.set(e, at);
    at += e.length;
  }
  return out;
}

const HISTORY = 'temporal.api.history.v1.History';
const historyFields = new Map<Type, { name: string; id: number } | null>();

function historyFieldOf(type: Type): { name: string; id: number } | undefined {
  let found = historyFields.get(type);
  if (found === undefined) {
    const field = type.fieldsArray.find((f) => f.resolve().resolvedType?.fullName === `.${HISTORY}` && !f.repeated);
    found = field ? { name: field.name, id: field.id } : null;
    historyFields.set(type, found);
  }
  return found ?? undefined;
}

const eventBytes = new WeakMap<Msg, Uint8Array>();

/**
 * A history event's encoding, computed once per event object. Events are never changed after they
 * are written, so the bytes stay valid for as long as the event is in memory.
 */
export function encodedEvent(ev: Msg): Uint8Array {
  let bytes = eventBytes.get(ev);
  if (!bytes) {
    const type = protoType(HISTORY_EVENT);
    // Copied to its own buffer: protobufjs hands back a slice of a shared pool, which would stay pinned.
    bytes = new Uint8Array(type.encode(type.fromObject(ev)).finish());
    eventBytes.set(ev, bytes);
  }
  return bytes;
}

function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

function writeVarint(out: Uint8Array, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[at++] = n;
  return at;
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

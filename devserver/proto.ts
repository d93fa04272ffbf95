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
 * Encodes a response. A `History` is not converted event by event: each event's bytes are encoded
 * once, when it is written (see `encodedEvent`), and spliced in. Poll responses carry a run's whole
 * history on every workflow task, so this was the server's largest single CPU cost. Fields holding a
 * message that holds a history (the workflow task in a RespondWorkflowTaskCompleted answer) are
 * encoded the same way and spliced as bytes.
 */
export function encodeMessage(type: Type, obj: Msg): Buffer {
  const present = splicedFieldsOf(type).filter((f) => obj[f.name] != null);
  if (present.length === 0) return asBuffer(encodePlain(type, obj));
  const rest = { ...obj };
  for (const f of present) rest[f.name] = undefined;
  const parts: Uint8Array[] = [encodePlain(type, rest)];
  for (const f of present) {
    const value = obj[f.name] as Msg;
    const bytes = f.type ? encodeMessage(f.type, value) : encodeHistory((value.events ?? []) as Msg[]);
    parts.push(lengthDelimitedKey(f.id, bytes.length), bytes);
  }
  return Buffer.concat(parts);
}

/** A view of the same bytes (protobufjs already hands out Buffers under Node: no copy). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** History is `repeated HistoryEvent events = 1`: each event is key 0x0a, length, bytes. */
function encodeHistory(events: Msg[]): Buffer {
  const encoded = events.map(encodedEvent);
  const length = encoded.reduce((n, e) => n + 1 + varintLength(e.length) + e.length, 0);
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const e of encoded) {
    out[at++] = 0x0a;
    at = writeVarint(out, at, e.length);
    out.set(e, at);
    at += e.length;
  }
  return out;
}

function lengthDelimitedKey(fieldId: number, length: number): Uint8Array {
  const key = (fieldId << 3) | 2;
  const out = new Uint8Array(varintLength(key) + varintLength(length));
  writeVarint(out, writeVarint(out, 0, key), length);
  return out;
}

/**
 * Encodes a plain object directly. protobufjs' encoders read plain objects as well as message
 * instances when every value already has its wire type (numbers for enums and int64, Buffers for bytes),
 * which is how the engine builds them and how `decodeMessage` hands requests over; skipping
 * `fromObject` halves the encoding cost. Tests turn on `checkEncoding` so any value of the wrong
 * type (an enum name, a base64 string) fails loudly instead of going out mis-encoded.
 */
function encodePlain(type: Type, obj: Msg): Uint8Array {
  const bytes = type.encode(obj).finish();
  if (checkEncoding) {
    const expected = type.encode(type.fromObject(obj)).finish();
    if (!Buffer.from(bytes).equals(Buffer.from(expected))) {
      throw new Error(
        `${type.fullName.slice(1)} encodes differently without fromObject: ${JSON.stringify(obj).slice(0, 500)}`,
      );
    }
  }
  return bytes;
}

/** `npm test` sets DEVSERVER_CHECK_ENCODING=1 (in-process servers and spawned ones alike). */
const checkEncoding = process.env.DEVSERVER_CHECK_ENCODING === '1';

const HISTORY = '.temporal.api.history.v1.History';

/** A field encoded apart: a History (`type` unset) or a message type that has one among its fields. */
interface SplicedField {
  name: string;
  id: number;
  type?: Type;
}

const splicedFields = new Map<Type, SplicedField[]>();

function splicedFieldsOf(type: Type): SplicedField[] {
  let found = splicedFields.get(type);
  if (!found) {
    found = [];
    for (const f of type.fieldsArray) {
      const t = f.resolve().resolvedType;
      if (f.repeated || f.map || !t || !('fieldsArray' in t)) continue;
      if (t.fullName === HISTORY) found.push({ name: f.name, id: f.id });
      else if (t.fieldsArray.some((g) => !g.repeated && g.resolve().resolvedType?.fullName === HISTORY)) {
        found.push({ name: f.name, id: f.id, type: t });
      }
    }
    splicedFields.set(type, found);
  }
  return found;
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
    bytes = new Uint8Array(encodePlain(type, ev));
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

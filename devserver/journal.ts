/**
 * Durable append-only journal for the devserver.
 *
 * File layout (all integers little-endian):
 *   header  = 8-byte magic "TDEVJRNL" + u32 format version
 *   record  = u32 payload length + u32 crc32(payload) + payload (JSON, UTF-8)
 *
 * Durability contract: `append`/`appendMany` return only after the bytes are written and fdatasync'ed,
 * so an RPC that answers after appending never loses its change on power loss or kill -9.
 * Crash model: only the last write can be torn. On open, a bad final record is cut off (reported as a
 * warning); a bad record followed by a valid one means the file was damaged in place, which is not
 * something a crash can do, so open refuses with `JournalCorruptError` instead of silently losing data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';

const MAGIC = Buffer.from('TDEVJRNL', 'ascii');
const FORMAT_VERSION = 1;
export const JOURNAL_HEADER_BYTES = MAGIC.length + 4;
export const RECORD_HEADER_BYTES = 8;
/** Upper bound for one record; larger lengths in a file are treated as damage, not as data. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;
const READ_CHUNK_BYTES = 4 * 1024 * 1024;

export class JournalCorruptError extends Error {
  readonly file: string;
  readonly offset: number;
  constructor(file: string, offset: number, problem: string) {
    const keepPrefix =
      offset >= JOURNAL_HEADER_BYTES
        ? `, or truncate it to ${offset} bytes to keep only the records before the damage (later changes are then lost)`
        : '';
    super(
      `Journal ${file} is corrupt at byte offset ${offset}: ${problem}. The devserver cannot replay it safely. ` +
        `To recover, move the file aside (keep it for inspection) and start with a fresh --db-file${keepPrefix}.`,
    );
    this.name = 'JournalCorruptError';
    this.file = file;
    this.offset = offset;
  }
}

export interface JournalTornTail {
  /** Offset the file was truncated to (end of the last good record). */
  offset: number;
  /** How many trailing bytes were dropped. */
  droppedBytes: number;
}

export interface JournalOpenOptions {
  /** Called once per problem that was repaired rather than fatal (torn tail). Defaults to no-op. */
  onWarning?: (message: string) => void;
}

export interface JournalOpenResult {
  journal: Journal;
  /** Every record in file order. */
  records: unknown[];
  /** Byte offset of each record (same index as `records`), usable with `readAt`. */
  offsets: number[];
  /** Set when a torn last record was found and cut off. */
  tornTail?: JournalTornTail;
}

/**
 * JSON with byte arrays kept compact: protobuf payloads (`Uint8Array`/`Buffer`) are stored as
 * `{"$bytes": "<base64>"}` and come back as `Buffer`s, instead of JSON's per-byte arrays.
 */
function encodeRecord(record: unknown): Buffer {
  const json = JSON.stringify(record, function replaceBytes(this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Uint8Array
      ? { $bytes: Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('base64') }
      : value;
  });
  if (json === undefined) throw new TypeError(`Journal records must be JSON-serializable; got ${typeof record}`);
  return Buffer.from(json, 'utf8');
}

function decodeRecord(payload: Buffer): unknown {
  const text = payload.toString('utf8');
  // The reviver costs a call per value; skip it for records that carry no bytes.
  if (!text.includes('"$bytes"')) return JSON.parse(text);
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const b64 = (value as { $bytes?: unknown }).$bytes;
      if (keys.length === 1 && typeof b64 === 'string') return Buffer.from(b64, 'base64');
    }
    return value;
  });
}

function frame(payload: Buffer): Buffer {
  if (payload.length > MAX_RECORD_BYTES) {
    throw new RangeError(
      `Journal record of ${payload.length} bytes exceeds the ${MAX_RECORD_BYTES}-byte limit; store large blobs elsewhere`,
    );
  }
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  payload.copy(out, RECORD_HEADER_BYTES);
  return out;
}

function fileHeader(): Buffer {
  const header = Buffer.alloc(JOURNAL_HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(FORMAT_VERSION, MAGIC.length);
  return header;
}

function writeFully(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) done += fs.writeSync(fd, buf, done, buf.length - done, position + done);
}

function readFully(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}

/** Makes a newly created file's directory entry durable too (otherwise the file may vanish on power loss). */
function fsyncDirectory(file: string): void {
  let dirFd: number | undefined;
  try {
    dirFd = fs.openSync(path.dirname(path.resolve(file)), 'r');
    fs.fsyncSync(dirFd);
  } catch {
    // Some platforms/filesystems cannot fsync directories; the file's own fsync still applies.
  } finally {
    if (dirFd !== undefined) fs.closeSync(dirFd);
  }
}

/**
 * Sequential reader over the record area. Reads in chunks so replay of a large file never needs the
 * whole file in one Buffer.
 */
class RecordScanner {
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;

  constructor(
    private readonly fd: number,
    readonly fileSize: number,
  ) {}

  /** Returns the bytes [position, position+length) or fewer if the file ends first. */
  bytes(position: number, length: number): Buffer {
    const end = Math.min(position + length, this.fileSize);
    if (position < this.chunkStart || end > this.chunkStart + this.chunk.length) {
      this.chunkStart = position;
      this.chunk = readFully(
        this.fd,
        Math.max(end - position, Math.min(READ_CHUNK_BYTES, this.fileSize - position)),
        position,
      );
    }
    return this.chunk.subarray(position - this.chunkStart, end - this.chunkStart);
  }

  /** A well-formed record at `position` (length sane, complete, crc matches), or a reason why not. */
  recordAt(position: number): { payload: Buffer; end: number } | { problem: string } {
    const head = this.bytes(position, RECORD_HEADER_BYTES);
    if (head.length < RECORD_HEADER_BYTES) return { problem: `record header cut short (${head.length} of 8 bytes)` };
    const length = head.readUInt32LE(0);
    if (length === 0 || length > MAX_RECORD_BYTES) return { problem: `implausible record length ${length}` };
    const end = position + RECORD_HEADER_BYTES + length;
    if (end > this.fileSize) return { problem: `record of ${length} bytes runs past end of file` };
    const payload = this.bytes(position + RECORD_HEADER_BYTES, length);
    if (crc32(payload) !== head.readUInt32LE(4)) return { problem: 'record checksum mismatch' };
    return { payload, end };
  }

  /** First offset after `from` where a complete valid record starts, if any (used to tell torn tail from damage). */
  findValidRecordAfter(from: number): number | undefined {
    for (let p = from; p + RECORD_HEADER_BYTES < this.fileSize; p++) {
      if ('payload' in this.recordAt(p)) return p;
    }
    return undefined;
  }
}

export class Journal {
  readonly file: string;
  private fd: number | undefined;
  private _size: number;
  /** Set when a write failed half-way; the on-disk tail is then unknown until the next open repairs it. */
  private failure: Error | undefined;
  private pending:
    | {
        buffers: Buffer[];
        bytes: number;
        waiters: { resolve(o: number): void; reject(e: Error): void; offset: number }[];
      }
    | undefined;
  private flushing = false;

  private constructor(file: string, fd: number, size: number) {
    this.file = file;
    this.fd = fd;
    this._size = size;
  }

  /** Current file size in bytes, i.e. the offset the next record will get. */
  get size(): number {
    return this._size;
  }

  static open(file: string, options: JournalOpenOptions = {}): JournalOpenResult {
    const existed = fs.existsSync(file);
    const fd = fs.openSync(file, existed ? 'r+' : 'wx+');
    try {
      if (!existed) fsyncDirectory(file);
      return Journal.replay(file, fd, options);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  private static replay(file: string, fd: number, options: JournalOpenOptions): JournalOpenResult {
    const fileSize = fs.fstatSync(fd).size;
    const header = readFully(fd, Math.min(fileSize, JOURNAL_HEADER_BYTES), 0);
    const expected = fileHeader();
    if (header.length < JOURNAL_HEADER_BYTES) {
      // A crash while creating the file can leave it empty or with part of the header: start it afresh.
      if (!header.equals(expected.subarray(0, header.length))) {
        throw new JournalCorruptError(file, 0, 'not a devserver journal (bad magic)');
      }
      if (header.length > 0)
        options.onWarning?.(`Journal ${file}: incomplete header (${header.length} bytes) rewritten`);
      fs.ftruncateSync(fd, 0);
      writeFully(fd, expected, 0);
      fs.fdatasyncSync(fd);
      return { journal: new Journal(file, fd, JOURNAL_HEADER_BYTES), records: [], offsets: [] };
    }
    if (!header.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new JournalCorruptError(file, 0, 'not a devserver journal (bad magic)');
    }
    const version = header.readUInt32LE(MAGIC.length);
    if (version !== FORMAT_VERSION) {
      throw new JournalCorruptError(
        file,
        MAGIC.length,
        `unsupported journal format version ${version} (this devserver reads version ${FORMAT_VERSION})`,
      );
    }

    const scanner = new RecordScanner(fd, fileSize);
    const records: unknown[] = [];
    const offsets: number[] = [];
    let position = JOURNAL_HEADER_BYTES;
    let tornTail: JournalTornTail | undefined;
    while (position < fileSize) {
      const found = scanner.recordAt(position);
      if ('problem' in found) {
        const nextValid = scanner.findValidRecordAfter(position + 1);
        if (nextValid !== undefined) {
          throw new JournalCorruptError(
            file,
            position,
            `${found.problem}, yet a valid record follows at offset ${nextValid}`,
          );
        }
        tornTail = { offset: position, droppedBytes: fileSize - position };
        options.onWarning?.(
          `Journal ${file}: torn last record at offset ${position} (${found.problem}); ` +
            `dropped ${tornTail.droppedBytes} trailing bytes, as after a crash mid-write`,
        );
        fs.ftruncateSync(fd, position);
        fs.fdatasyncSync(fd);
        break;
      }
      try {
        records.push(decodeRecord(found.payload));
      } catch (err) {
        // The checksum matched, so these are the bytes we wrote: a writer bug, not a torn write.
        throw new JournalCorruptError(file, position, `record payload is not valid JSON (${(err as Error).message})`);
      }
      offsets.push(position);
      position = found.end;
    }
    return { journal: new Journal(file, fd, position), records, offsets, tornTail };
  }

  /** Appends one record durably; returns its byte offset. */
  append(record: unknown): number {
    return this.appendAll([record])[0];
  }

  /** Appends a batch with one write and one fdatasync (group commit); returns the first record's offset. */
  appendMany(records: unknown[]): number {
    if (records.length === 0) throw new RangeError('Journal.appendMany needs at least one record');
    return this.appendAll(records)[0];
  }

  /** Like `appendMany` but returns every record's offset. */
  appendAll(records: unknown[]): number[] {
    const fd = this.writableFd();
    if (this.flushing || this.pending) {
      throw new Error(
        `Journal ${this.file}: synchronous append while commit() batches are pending; use one style per journal`,
      );
    }
    const framed = records.map((r) => frame(encodeRecord(r)));
    const offsets = this.offsetsFor(framed, this._size);
    this.writeDurably(fd, Buffer.concat(framed), this._size);
    return offsets;
  }

  /**
   * Asynchronous group commit: records committed while a flush is in progress share the next write and
   * fdatasync, and the event loop keeps running during the fsync. Resolves with the record's offset once
   * it is durable.
   */
  commit(record: unknown): Promise<number> {
    try {
      this.writableFd();
      const framed = frame(encodeRecord(record));
      return new Promise<number>((resolve, reject) => {
        this.pending ??= { buffers: [], bytes: 0, waiters: [] };
        this.pending.waiters.push({ resolve, reject, offset: this.pending.bytes });
        this.pending.buffers.push(framed);
        this.pending.bytes += framed.length;
        if (!this.flushing) this.flushPending();
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private flushPending(): void {
    const batch = this.pending;
    this.pending = undefined;
    if (!batch) return;
    this.flushing = true;
    const start = this._size;
    const data = Buffer.concat(batch.buffers, batch.bytes);
    const fd = this.fd;
    const finish = (err: Error | null) => {
      if (err) {
        this.failure = err;
        for (const w of batch.waiters) w.reject(err);
        for (const w of this.pending?.waiters ?? []) w.reject(err);
        this.pending = undefined;
      } else {
        this._size = start + data.length;
        for (const w of batch.waiters) w.resolve(start + w.offset);
      }
      this.flushing = false;
      if (this.pending) this.flushPending();
    };
    if (fd === undefined) return finish(new Error(`Journal ${this.file} was closed before its commit finished`));
    writeAllAsync(fd, data, start, (writeErr) => {
      if (writeErr) return finish(writeErr);
      fs.fdatasync(fd, (syncErr) => finish(syncErr));
    });
  }

  /** Re-reads the record written at `offset` (as returned by append or open). */
  readAt(offset: number): unknown {
    const fd = this.openFd();
    if (!Number.isInteger(offset) || offset < JOURNAL_HEADER_BYTES || offset >= this._size) {
      throw new RangeError(
        `Journal ${this.file}: offset ${offset} is outside the record area [${JOURNAL_HEADER_BYTES}, ${this._size})`,
      );
    }
    const found = new RecordScanner(fd, this._size).recordAt(offset);
    if ('problem' in found) throw new JournalCorruptError(this.file, offset, `${found.problem} (readAt)`);
    return decodeRecord(found.payload);
  }

  close(): void {
    if (this.fd === undefined) return;
    if (this.flushing || this.pending) {
      throw new Error(`Journal ${this.file}: close() while commits are pending; await them first`);
    }
    fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error(`Journal ${this.file} is closed`);
    return this.fd;
  }

  private writableFd(): number {
    const fd = this.openFd();
    if (this.failure) {
      throw new Error(
        `Journal ${this.file} stopped accepting writes after an I/O error (${this.failure.message}); ` +
          `restart the devserver to repair the tail`,
      );
    }
    return fd;
  }

  private offsetsFor(framed: Buffer[], start: number): number[] {
    const offsets: number[] = [];
    let at = start;
    for (const f of framed) {
      offsets.push(at);
      at += f.length;
    }
    return offsets;
  }

  private writeDurably(fd: number, data: Buffer, start: number): void {
    try {
      writeFully(fd, data, start);
      fs.fdatasyncSync(fd);
    } catch (err) {
      this.failure = err as Error;
      throw err;
    }
    this._size = start + data.length;
  }
}

function writeAllAsync(fd: number, data: Buffer, position: number, done: (err: Error | null) => void): void {
  fs.write(fd, data, 0, data.length, position, (err, written) => {
    if (err) return done(err);
    if (written < data.length) return writeAllAsync(fd, data.subarray(written), position + written, done);
    done(null);
  });
}

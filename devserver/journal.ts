/**
 * Durable append-only journal for the devserver.
 *
 * File layout (all integers little-endian):
 *   header  = 8-byte magic "TDEVJRNL" + u32 format version
 *   record  = u32 payload length + u32 crc32(payload) + payload (JSON, UTF-8)
 *
 * Durability contract: `append`/`appendMany` return only after the bytes are written and fdatasync'ed,
 * so an RPC that answers after appending never loses its change on power loss or kill -9. For
 * throughput, `appendUnsynced` writes at once (safe against a process crash) and `sync()` makes all
 * writes so far durable with one shared fdatasync, so many changes pay for one disk flush.
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

  /** `readAheadBytes`: how much to read at once when scanning forward; 0 reads exactly what is asked. */
  constructor(
    private readonly fd: number,
    readonly fileSize: number,
    private readonly readAheadBytes = READ_CHUNK_BYTES,
  ) {}

  /** Returns the bytes [position, position+length) or fewer if the file ends first. */
  bytes(position: number, length: number): Buffer {
    const end = Math.min(position + length, this.fileSize);
    if (position < this.chunkStart || end > this.chunkStart + this.chunk.length) {
      this.chunkStart = position;
      this.chunk = readFully(
        this.fd,
        Math.max(end - position, Math.min(this.readAheadBytes, this.fileSize - position)),
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

interface SyncWaiter {
  /** Resolve once the file is durable up to this size. */
  target: number;
  resolve(): void;
  reject(err: Error): void;
}

export class Journal {
  readonly file: string;
  private fd: number | undefined;
  /** Bytes written (the next record's offset). */
  private _size: number;
  /** Bytes known to be on disk (fdatasync'ed). */
  private durableSize: number;
  /** Set when a write or sync failed; the on-disk tail is then unknown until the next open repairs it. */
  private failure: Error | undefined;
  private syncWaiters: SyncWaiter[] = [];
  private syncInFlight = false;
  /** close() was called while an asynchronous fdatasync was running; the fd is closed when it returns. */
  private closing = false;

  private constructor(file: string, fd: number, size: number) {
    this.file = file;
    this.fd = fd;
    this._size = size;
    this.durableSize = size;
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

  /** Appends one record durably (write + fdatasync before returning); returns its byte offset. */
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
    const offsets = this.appendUnsynced(records);
    try {
      fs.fdatasyncSync(this.writableFd());
    } catch (err) {
      this.fail(err as Error);
      throw err;
    }
    this.markDurable(this._size);
    return offsets;
  }

  /**
   * Writes records to the file (the OS page cache) without waiting for the disk; returns their offsets.
   * They survive a crash of this process at once, and power loss only after `sync()` resolves. This lets
   * a synchronous engine journal every change immediately and make many changes durable with a single
   * fdatasync before answering the RPCs that caused them.
   */
  appendUnsynced(records: unknown[]): number[] {
    const fd = this.writableFd();
    const framed = records.map((r) => frame(encodeRecord(r)));
    const offsets: number[] = [];
    let at = this._size;
    for (const f of framed) {
      offsets.push(at);
      at += f.length;
    }
    try {
      writeFully(fd, Buffer.concat(framed), this._size);
    } catch (err) {
      this.fail(err as Error);
      throw err;
    }
    this._size = at;
    return offsets;
  }

  /**
   * Resolves once every record written so far is on disk. Calls made while an fdatasync is running share
   * the next one (group commit), and the event loop keeps running meanwhile.
   */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failedError());
    const target = this._size;
    if (this.durableSize >= target) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.syncWaiters.push({ target, resolve, reject });
      this.startSync();
    });
  }

  /** Appends one record and resolves with its offset once it is durable (`appendUnsynced` + `sync`). */
  async commit(record: unknown): Promise<number> {
    const [offset] = this.appendUnsynced([record]);
    await this.sync();
    return offset;
  }

  private startSync(): void {
    if (this.syncInFlight || this.fd === undefined) return;
    this.syncInFlight = true;
    const fd = this.fd;
    const target = this._size;
    fs.fdatasync(fd, (err) => {
      this.syncInFlight = false;
      if (err) this.fail(err);
      else this.markDurable(target);
      if (this.closing) {
        this.closing = false;
        fs.closeSync(fd);
        this.fd = undefined;
      } else if (this.syncWaiters.length > 0) {
        this.startSync();
      }
    });
  }

  private markDurable(size: number): void {
    this.durableSize = Math.max(this.durableSize, size);
    const waiting = this.syncWaiters;
    this.syncWaiters = [];
    for (const w of waiting) {
      if (w.target <= this.durableSize) w.resolve();
      else this.syncWaiters.push(w);
    }
  }

  private fail(err: Error): void {
    this.failure = err;
    const waiting = this.syncWaiters;
    this.syncWaiters = [];
    for (const w of waiting) w.reject(this.failedError());
  }

  private failedError(): Error {
    return new Error(
      `Journal ${this.file} stopped accepting writes after an I/O error (${this.failure?.message}); ` +
        `restart the devserver to repair the tail`,
    );
  }

  /**
   * Replaces the whole journal with `records` (e.g. one snapshot per live execution), atomically: they
   * are written to `<file>.compact`, fdatasync'ed, and renamed over the journal, so a crash at any point
   * leaves either the old or the new file complete. Returns the records' new offsets; offsets handed
   * out before are invalid afterwards. Waits for nothing: call it when no `sync()` is pending.
   */
  compact(records: unknown[]): number[] {
    const oldFd = this.writableFd();
    if (this.syncInFlight || this.syncWaiters.length > 0) {
      throw new Error(`Journal ${this.file}: compact() while sync() calls are pending; await them first`);
    }
    const tmp = `${this.file}.compact`;
    const framed = records.map((r) => frame(encodeRecord(r)));
    const offsets: number[] = [];
    let at = JOURNAL_HEADER_BYTES;
    for (const f of framed) {
      offsets.push(at);
      at += f.length;
    }
    const fd = fs.openSync(tmp, 'w+');
    try {
      writeFully(fd, Buffer.concat([fileHeader(), ...framed]), 0);
      fs.fdatasyncSync(fd);
      fs.renameSync(tmp, this.file);
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    fsyncDirectory(this.file);
    fs.closeSync(oldFd);
    this.fd = fd;
    this._size = at;
    this.durableSize = at;
    return offsets;
  }

  /** Re-reads the record written at `offset` (as returned by append or open). */
  readAt(offset: number): unknown {
    const fd = this.openFd();
    if (!Number.isInteger(offset) || offset < JOURNAL_HEADER_BYTES || offset >= this._size) {
      throw new RangeError(
        `Journal ${this.file}: offset ${offset} is outside the record area [${JOURNAL_HEADER_BYTES}, ${this._size})`,
      );
    }
    // No read-ahead: one record is wanted, and reloading a history must not cost a 4 MiB read per record.
    const found = new RecordScanner(fd, this._size, 0).recordAt(offset);
    if ('problem' in found) throw new JournalCorruptError(this.file, offset, `${found.problem} (readAt)`);
    return decodeRecord(found.payload);
  }

  /** Makes everything written durable, settles pending `sync()` calls and closes the file. */
  close(): void {
    const fd = this.fd;
    if (fd === undefined || this.closing) return;
    if (!this.failure && this.durableSize < this._size) {
      try {
        fs.fdatasyncSync(fd);
        this.markDurable(this._size);
      } catch (err) {
        this.fail(err as Error);
      }
    }
    if (this.syncInFlight) {
      // The running fdatasync still uses the descriptor; its callback closes it.
      this.closing = true;
      return;
    }
    fs.closeSync(fd);
    this.fd = undefined;
  }

  private openFd(): number {
    if (this.fd === undefined || this.closing) throw new Error(`Journal ${this.file} is closed`);
    return this.fd;
  }

  private writableFd(): number {
    const fd = this.openFd();
    if (this.failure) throw this.failedError();
    return fd;
  }
}

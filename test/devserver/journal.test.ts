import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { spawn } from 'node:child_process';
import { Journal, JournalCorruptError, JOURNAL_HEADER_BYTES, RECORD_HEADER_BYTES } from '../../devserver/journal';

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-test-'));
  file = path.join(dir, 'dev.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function reopen(options?: Parameters<typeof Journal.open>[1]) {
  const result = Journal.open(file, options);
  result.journal.close();
  return result;
}

function writeRecords(records: unknown[]): number[] {
  const { journal } = Journal.open(file);
  const offsets = records.map((r) => journal.append(r));
  journal.close();
  return offsets;
}

describe('Journal', () => {
  test('creates the file with a header and replays nothing', () => {
    const { journal, records, offsets, tornTail } = Journal.open(file);
    assert.deepEqual(records, []);
    assert.deepEqual(offsets, []);
    assert.equal(tornTail, undefined);
    assert.equal(journal.size, JOURNAL_HEADER_BYTES);
    journal.close();
    assert.equal(fs.statSync(file).size, JOURNAL_HEADER_BYTES);
    assert.equal(fs.readFileSync(file).subarray(0, 8).toString('ascii'), 'TDEVJRNL');
  });

  test('records survive close and reopen, in order, with their offsets', () => {
    const input = [{ type: 'start', id: 'wf-1' }, 'plain string', 42, [1, 2, { nested: null }], { unicode: 'ß漢字🙂' }];
    const offsets = writeRecords(input);
    const { records, offsets: replayed } = reopen();
    assert.deepEqual(records, input);
    assert.deepEqual(replayed, offsets);
    assert.equal(offsets[0], JOURNAL_HEADER_BYTES);
  });

  test('appends after reopen continue the same file', () => {
    writeRecords([{ n: 1 }]);
    const { journal } = Journal.open(file);
    journal.append({ n: 2 });
    journal.close();
    assert.deepEqual(reopen().records, [{ n: 1 }, { n: 2 }]);
  });

  test('append returns the offset at which readAt finds the record; size tracks the file', () => {
    const { journal } = Journal.open(file);
    const a = journal.append({ a: 1 });
    const b = journal.append({ b: 'two' });
    assert.equal(journal.size, fs.statSync(file).size);
    assert.deepEqual(journal.readAt(b), { b: 'two' });
    assert.deepEqual(journal.readAt(a), { a: 1 });
    assert.throws(() => journal.readAt(a + 1), JournalCorruptError);
    assert.throws(() => journal.readAt(journal.size), RangeError);
    assert.throws(() => journal.readAt(0), RangeError);
    journal.close();
  });

  test('appendMany writes a batch and appendAll reports every offset', () => {
    const { journal } = Journal.open(file);
    const first = journal.appendMany([{ i: 0 }, { i: 1 }]);
    const offsets = journal.appendAll([{ i: 2 }, { i: 3 }, { i: 4 }]);
    assert.equal(first, JOURNAL_HEADER_BYTES);
    assert.deepEqual(
      offsets.map((o) => journal.readAt(o)),
      [{ i: 2 }, { i: 3 }, { i: 4 }],
    );
    assert.throws(() => journal.appendMany([]), RangeError);
    journal.close();
    assert.deepEqual(
      reopen().records.map((r) => (r as { i: number }).i),
      [0, 1, 2, 3, 4],
    );
  });

  test('byte arrays round-trip as Buffers in compact base64 form', () => {
    const data = new Uint8Array([0, 1, 2, 250, 255]);
    writeRecords([{ payload: { metadata: { encoding: Buffer.from('json/plain') }, data } }]);
    const { records } = reopen();
    const rec = records[0] as { payload: { metadata: { encoding: Buffer }; data: Buffer } };
    assert.ok(Buffer.isBuffer(rec.payload.data));
    assert.deepEqual([...rec.payload.data], [0, 1, 2, 250, 255]);
    assert.equal(rec.payload.metadata.encoding.toString(), 'json/plain');
    assert.ok(fs.readFileSync(file).includes('"$bytes"'));
  });

  test('large records round-trip', () => {
    const big = { blob: 'x'.repeat(5 * 1024 * 1024 + 17), tail: 'end' };
    const offsets = writeRecords([{ small: true }, big, { after: 1 }]);
    const { journal, records } = Journal.open(file);
    assert.deepEqual(records[1], big);
    assert.deepEqual(records[2], { after: 1 });
    assert.deepEqual(journal.readAt(offsets[1]), big);
    journal.close();
  });

  test('a torn last record is cut off at every possible byte position, earlier records kept', () => {
    writeRecords([{ keep: 1 }, { keep: 2 }]);
    const goodSize = fs.statSync(file).size;
    writeRecords([{ torn: 'this record is cut short by a crash' }]);
    const full = fs.readFileSync(file);
    for (let cut = goodSize + 1; cut < full.length; cut++) {
      fs.writeFileSync(file, full.subarray(0, cut));
      const warnings: string[] = [];
      const { journal, records, tornTail } = Journal.open(file, { onWarning: (m) => warnings.push(m) });
      assert.deepEqual(records, [{ keep: 1 }, { keep: 2 }], `cut at ${cut}`);
      assert.deepEqual(tornTail, { offset: goodSize, droppedBytes: cut - goodSize }, `cut at ${cut}`);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /torn last record at offset \d+/);
      assert.equal(fs.statSync(file).size, goodSize, 'file truncated to the last good record');
      // The repaired journal accepts new records right after the good ones.
      journal.append({ next: true });
      journal.close();
      assert.deepEqual(reopen().records, [{ keep: 1 }, { keep: 2 }, { next: true }]);
    }
  });

  test('a final record with a bad checksum and nothing after it is a torn tail', () => {
    writeRecords([{ keep: 1 }, { last: 'flipped' }]);
    const buf = fs.readFileSync(file);
    buf[buf.length - 2] ^= 0xff;
    fs.writeFileSync(file, buf);
    const { records, tornTail } = reopen();
    assert.deepEqual(records, [{ keep: 1 }]);
    assert.ok(tornTail);
  });

  test('zero-filled tail (file extended but data not written) is a torn tail', () => {
    writeRecords([{ keep: 1 }]);
    const size = fs.statSync(file).size;
    fs.appendFileSync(file, Buffer.alloc(4096));
    const { records, tornTail } = reopen();
    assert.deepEqual(records, [{ keep: 1 }]);
    assert.deepEqual(tornTail, { offset: size, droppedBytes: 4096 });
  });

  test('damage in the middle (valid records follow) is fatal and names file and offset', () => {
    const offsets = writeRecords([{ a: 1 }, { b: 2 }, { c: 3 }]);
    const pristine = fs.readFileSync(file);
    const damages: [string, (b: Buffer) => void][] = [
      ['payload byte', (b) => (b[offsets[1] + RECORD_HEADER_BYTES + 2] ^= 0x01)],
      ['checksum byte', (b) => (b[offsets[1] + 5] ^= 0x80)],
      ['length field', (b) => b.writeUInt32LE(3, offsets[1])],
      ['huge length', (b) => b.writeUInt32LE(0xffffffff, offsets[1])],
    ];
    for (const [what, damage] of damages) {
      const buf = Buffer.from(pristine);
      damage(buf);
      fs.writeFileSync(file, buf);
      assert.throws(
        () => Journal.open(file),
        (err: unknown) => {
          assert.ok(err instanceof JournalCorruptError, what);
          assert.equal(err.file, file);
          assert.equal(err.offset, offsets[1], what);
          assert.ok(err.message.includes(file), what);
          assert.ok(err.message.includes(`offset ${offsets[1]}`), what);
          assert.match(err.message, /To recover/);
          return true;
        },
      );
      // Refusing must not modify the file: the user decides how to recover.
      assert.deepEqual(fs.readFileSync(file), buf, what);
    }
  });

  test('wrong magic or unsupported version is fatal', () => {
    fs.writeFileSync(file, 'SQLite format 3\0 and some more bytes');
    assert.throws(
      () => Journal.open(file),
      (err: unknown) => err instanceof JournalCorruptError && err.offset === 0 && /bad magic/.test(err.message),
    );

    fs.rmSync(file);
    writeRecords([{ a: 1 }]);
    const buf = fs.readFileSync(file);
    buf.writeUInt32LE(99, 8);
    fs.writeFileSync(file, buf);
    assert.throws(() => Journal.open(file), /unsupported journal format version 99/);
  });

  test('a short file that is not a prefix of the header is fatal', () => {
    fs.writeFileSync(file, 'abc');
    assert.throws(() => Journal.open(file), JournalCorruptError);
  });

  test('an empty or partially-created file is initialised (crash during creation)', () => {
    fs.writeFileSync(file, '');
    assert.deepEqual(reopen().records, []);
    assert.equal(fs.statSync(file).size, JOURNAL_HEADER_BYTES);

    fs.writeFileSync(file, 'TDEVJ');
    const warnings: string[] = [];
    assert.deepEqual(reopen({ onWarning: (m) => warnings.push(m) }).records, []);
    assert.equal(warnings.length, 1);
    writeRecords([{ ok: true }]);
    assert.deepEqual(reopen().records, [{ ok: true }]);
  });

  test('a checksummed record that is not JSON is reported, not skipped', () => {
    writeRecords([{ a: 1 }]);
    const payload = Buffer.from('{not json');
    const head = Buffer.alloc(8);
    head.writeUInt32LE(payload.length, 0);
    head.writeUInt32LE(crc32(payload), 4);
    fs.appendFileSync(file, Buffer.concat([head, payload]));
    assert.throws(() => Journal.open(file), /not valid JSON/);
  });

  test('rejects unserialisable records and use after close with clear errors', () => {
    const { journal } = Journal.open(file);
    assert.throws(() => journal.append(undefined), /JSON-serializable/);
    assert.throws(() => journal.append({ n: 1n }), TypeError);
    journal.close();
    assert.throws(() => journal.append({}), /is closed/);
    assert.throws(() => journal.readAt(JOURNAL_HEADER_BYTES), /is closed/);
    journal.close(); // idempotent
  });

  test('commit() resolves with offsets; concurrent commits share fdatasyncs', async () => {
    const { journal } = Journal.open(file);
    const syncs = countFdatasyncs();
    try {
      const offsets = await Promise.all(Array.from({ length: 50 }, (_, i) => journal.commit({ i })));
      assert.deepEqual(
        offsets.map((o) => (journal.readAt(o) as { i: number }).i),
        Array.from({ length: 50 }, (_, i) => i),
      );
      assert.ok(syncs.count() <= 2, `50 concurrent commits used ${syncs.count()} fdatasyncs`);
    } finally {
      syncs.restore();
    }
    // Synchronous appends may be mixed in, even while a sync is running: writes never leave holes.
    const inFlight = journal.commit({ late: true });
    journal.append({ sync: true });
    await inFlight;
    journal.close();
    const { records } = reopen();
    assert.equal(records.length, 52);
    assert.deepEqual(records.slice(-2), [{ late: true }, { sync: true }]);
  });

  test('appendUnsynced writes at once; sync() makes it durable with one shared fdatasync', async () => {
    const { journal } = Journal.open(file);
    const syncs = countFdatasyncs();
    try {
      const offsets = journal.appendUnsynced([{ n: 1 }, { n: 2 }]);
      offsets.push(...journal.appendUnsynced([{ n: 3 }]));
      assert.equal(syncs.count(), 0, 'no fdatasync before sync()');
      assert.equal(journal.size, fs.statSync(file).size, 'written to the file immediately');
      assert.deepEqual(journal.readAt(offsets[2]), { n: 3 });
      await Promise.all([journal.sync(), journal.sync(), journal.sync()]);
      assert.equal(syncs.count(), 1);
      await journal.sync(); // nothing new: resolves without another fdatasync
      assert.equal(syncs.count(), 1);
    } finally {
      syncs.restore();
    }
    journal.close();
    assert.deepEqual(reopen().records, [{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  test('close() while a sync is running settles it and closes afterwards', async () => {
    const { journal } = Journal.open(file);
    journal.appendUnsynced([{ a: 1 }]);
    const pending = journal.sync();
    journal.appendUnsynced([{ b: 2 }]);
    const second = journal.sync();
    journal.close();
    await Promise.all([pending, second]);
    assert.throws(() => journal.append({}), /is closed/);
    assert.deepEqual(reopen().records, [{ a: 1 }, { b: 2 }]);
  });
});

/** Counts fs.fdatasync (async) calls made by the journal, by patching node's shared fs module object. */
function countFdatasyncs(): { count(): number; restore(): void } {
  const nodeFs = require('node:fs') as typeof fs;
  const original = nodeFs.fdatasync;
  let calls = 0;
  nodeFs.fdatasync = ((...args: Parameters<typeof fs.fdatasync>) => {
    calls++;
    return original(...args);
  }) as typeof fs.fdatasync;
  return {
    count: () => calls,
    restore: () => {
      nodeFs.fdatasync = original;
    },
  };
}

describe('Journal.compact', () => {
  test('replaces the file with the given records and keeps accepting appends', () => {
    const { journal } = Journal.open(file);
    for (let i = 0; i < 20; i++) journal.append({ state: i });
    const before = journal.size;
    const offsets = journal.compact([{ snapshot: 19 }, { other: true }]);
    assert.ok(journal.size < before);
    assert.equal(journal.size, fs.statSync(file).size);
    assert.deepEqual(journal.readAt(offsets[1]), { other: true });
    journal.append({ after: 1 });
    journal.close();
    assert.deepEqual(reopen().records, [{ snapshot: 19 }, { other: true }, { after: 1 }]);
    assert.equal(fs.existsSync(`${file}.compact`), false);
  });

  test('a leftover temporary file from a crashed compaction is ignored and overwritten', () => {
    writeRecords([{ a: 1 }]);
    fs.writeFileSync(`${file}.compact`, 'half-written garbage');
    const { journal, records } = Journal.open(file);
    assert.deepEqual(records, [{ a: 1 }]);
    journal.compact([{ b: 2 }]);
    journal.close();
    assert.deepEqual(reopen().records, [{ b: 2 }]);
  });

  test('refuses while a sync is pending', async () => {
    const { journal } = Journal.open(file);
    journal.appendUnsynced([{ a: 1 }]);
    const pending = journal.sync();
    assert.throws(() => journal.compact([]), /compact\(\) while sync\(\) calls are pending/);
    await pending;
    assert.deepEqual(journal.compact([]), []);
    journal.close();
    assert.deepEqual(reopen().records, []);
  });
});

describe('Journal under damage and crashes', () => {
  test('any single corrupted byte yields either a clean prefix or JournalCorruptError, never garbage', () => {
    const input = [{ a: 1 }, { b: 'two' }, { c: [3] }, { d: { e: 4 } }];
    writeRecords(input);
    const pristine = fs.readFileSync(file);
    for (let at = 0; at < pristine.length; at++) {
      const buf = Buffer.from(pristine);
      buf[at] ^= 0x5a;
      fs.writeFileSync(file, buf);
      try {
        const { journal, records, tornTail } = Journal.open(file);
        journal.close();
        assert.deepEqual(records, input.slice(0, records.length), `byte ${at}`);
        assert.equal(records.length < input.length, tornTail !== undefined, `byte ${at}`);
      } catch (err) {
        assert.ok(err instanceof JournalCorruptError, `byte ${at}: ${String(err)}`);
      }
    }
  });

  test('kill -9 of a writing process loses no acknowledged record', async () => {
    // The child prints each offset only after append() returned; everything printed must survive.
    const script = `
      const { Journal } = require(${JSON.stringify(path.resolve(__dirname, '../../devserver/journal.ts'))});
      const { journal } = Journal.open(process.argv[1]);
      for (let i = 0; ; i++) {
        journal.append({ i, pad: 'p'.repeat(i % 300) });
        process.stdout.write(i + '\\n');
      }`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let acked = -1;
    let buffered = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        if (lines.length) acked = Number(lines[lines.length - 1]);
        if (acked >= 200) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    const { records } = reopen();
    assert.ok(records.length > acked, `${records.length} records replayed, ${acked + 1} acknowledged`);
    records.forEach((r, i) => assert.equal((r as { i: number }).i, i));
  });
});

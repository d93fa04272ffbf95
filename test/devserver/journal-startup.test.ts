// A damaged journal at server start-up, in-process (startDevServer) and through bin/temporal-devserver:
// a torn last record is dropped with a warning and the server starts; damage before the last record
// stops the start with an error naming the file and the byte offset.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDevServer } from '../../devserver';
import { JOURNAL_HEADER_BYTES, RECORD_HEADER_BYTES } from '../../devserver/journal';
import { uniqueId } from './helpers';

const launcher = path.resolve(__dirname, '../../bin/temporal-devserver');

/** Starts two workflows (no worker needed) on a fresh journal and returns their ids. */
async function journalWithTwoStarts(dbFile: string): Promise<string[]> {
  const server = await startDevServer({ port: 0, dbFile, log: () => undefined });
  const connection = await Connection.connect({ address: server.address });
  try {
    const client = new Client({ connection });
    const ids = [uniqueId('journaled'), uniqueId('journaled')];
    for (const workflowId of ids) await client.workflow.start('blockForever', { taskQueue: 'nobody', workflowId });
    return ids;
  } finally {
    await connection.close();
    await server.close();
  }
}

/** A record header promising 100 payload bytes followed by only 10 of them: a crash mid-write. */
function tearTail(dbFile: string): void {
  const header = Buffer.alloc(RECORD_HEADER_BYTES);
  header.writeUInt32LE(100, 0);
  appendFileSync(dbFile, Buffer.concat([header, Buffer.alloc(10, 0x41)]));
}

/** Flips a payload byte of the first record, which valid records follow: damage in the middle. */
function corruptFirstRecord(dbFile: string): number {
  const bytes = readFileSync(dbFile);
  bytes[JOURNAL_HEADER_BYTES + RECORD_HEADER_BYTES + 2] ^= 0x5a;
  writeFileSync(dbFile, bytes);
  return JOURNAL_HEADER_BYTES;
}

function runLauncher(dbFile: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [launcher, '--port', '0', '--db-file', dbFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    // Started: stop it the way the SDK's test environments do.
    if (stdout.includes('listening')) child.kill('SIGTERM');
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('devserver start-up on a damaged journal', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'devserver-journal-startup-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('startDevServer drops a torn last record, logs it, and keeps every complete change', async () => {
    const dbFile = path.join(dir, 'torn.db');
    const ids = await journalWithTwoStarts(dbFile);
    tearTail(dbFile);
    const logged: string[] = [];
    const server = await startDevServer({ port: 0, dbFile, log: (m) => logged.push(m) });
    const connection = await Connection.connect({ address: server.address });
    try {
      assert.ok(
        logged.some((m) => m.includes(dbFile) && /dropped 18 trailing bytes/.test(m)),
        logged.join('\n'),
      );
      const client = new Client({ connection });
      for (const id of ids) assert.equal((await client.workflow.getHandle(id).describe()).status.name, 'RUNNING');
    } finally {
      await connection.close();
      await server.close();
    }
  });

  it('startDevServer refuses a corrupt journal with an error naming the file and offset', async () => {
    const dbFile = path.join(dir, 'corrupt.db');
    await journalWithTwoStarts(dbFile);
    const offset = corruptFirstRecord(dbFile);
    const before = readFileSync(dbFile);
    await assert.rejects(startDevServer({ port: 0, dbFile, log: () => undefined }), (err: Error) => {
      assert.equal(err.name, 'JournalCorruptError');
      assert.ok(err.message.includes(`Journal ${dbFile} is corrupt at byte offset ${offset}`), err.message);
      return true;
    });
    assert.deepEqual(readFileSync(dbFile), before, 'a refused journal is left untouched');
  });

  it('bin/temporal-devserver starts on a torn journal and exits 1 naming file and offset on a corrupt one', async () => {
    const torn = path.join(dir, 'bin-torn.db');
    await journalWithTwoStarts(torn);
    tearTail(torn);
    const started = await runLauncher(torn);
    assert.match(started.stdout, /listening on 127\.0\.0\.1:\d+/);
    assert.match(started.stderr, /dropped 18 trailing bytes/);
    assert.equal(started.code, 0);

    const corrupt = path.join(dir, 'bin-corrupt.db');
    await journalWithTwoStarts(corrupt);
    const offset = corruptFirstRecord(corrupt);
    const refused = await runLauncher(corrupt);
    assert.equal(refused.code, 1);
    assert.doesNotMatch(refused.stdout, /listening/);
    assert.ok(refused.stderr.includes(`Journal ${corrupt} is corrupt at byte offset ${offset}`), refused.stderr);
  });
});

// The devserver's own gRPC transport (devserver/grpc/unary-server.ts) seen on the wire, the spliced
// history encoding, and what RespondWorkflowTaskCompleted hands straight back to the worker.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { msToTs } from '@temporalio/common/lib/time';
import { parseGrpcTimeout, startUnaryServer, type UnaryServer } from '../../devserver/grpc/unary-server';
import { startDevServer, type DevServer } from '../../devserver';
import { ServiceError } from '../../devserver/grpc/status';
import { uniqueId } from './helpers';

interface WireAnswer {
  httpStatus: number;
  grpcStatus?: number;
  grpcMessage?: string;
  body: Buffer;
}

function frame(message: Buffer, compressed = false): Buffer {
  const head = Buffer.alloc(5);
  head[0] = compressed ? 1 : 0;
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/** One raw HTTP/2 request; the gRPC status comes from trailers, or headers for a trailers-only answer. */
function rawCall(
  address: string,
  path: string,
  body: Buffer,
  headers: http2.OutgoingHttpHeaders = {},
): Promise<WireAnswer> {
  const session = http2.connect(`http://${address}`);
  return new Promise<WireAnswer>((resolve, reject) => {
    session.on('error', reject);
    const req = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...headers,
    });
    const chunks: Buffer[] = [];
    let answer: Partial<WireAnswer> = {};
    const status = (h: http2.IncomingHttpHeaders) => {
      if (h['grpc-status'] !== undefined) {
        answer.grpcStatus = Number(h['grpc-status']);
        answer.grpcMessage = decodeURIComponent(String(h['grpc-message'] ?? ''));
      }
    };
    req.on('response', (h) => {
      answer = { httpStatus: Number(h[':status']) };
      status(h);
    });
    req.on('trailers', status);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve({ ...(answer as WireAnswer), body: Buffer.concat(chunks) }));
    req.on('error', reject);
    req.end(body);
  }).finally(() => session.close());
}

describe('devserver transport: gRPC over node:http2', () => {
  let server: UnaryServer;
  let address: string;
  const cancelled: string[] = [];
  let releaseWaiter: () => void = () => undefined;

  before(async () => {
    server = await startUnaryServer('127.0.0.1', 0, {
      maxReceiveBytes: 64,
      methods: new Map([
        ['/t.S/Echo', { call: async (req) => Buffer.concat([Buffer.from('echo:'), req]) }],
        [
          '/t.S/Fail',
          {
            call: async () => {
              throw new ServiceError(5, 'no such thing: “ünïcode” 100%');
            },
          },
        ],
        [
          '/t.S/Wait',
          {
            call: (req, cancellation) =>
              new Promise<Buffer>((resolve) => {
                releaseWaiter = () => resolve(Buffer.from('released'));
                cancellation.addEventListener('abort', () => {
                  cancelled.push(req.toString());
                  resolve(Buffer.alloc(0));
                });
              }),
          },
        ],
      ]),
      toStatus: (err) =>
        err instanceof ServiceError ? { code: err.code, message: err.message } : { code: 13, message: String(err) },
    });
    address = `127.0.0.1:${server.port}`;
  });
  after(async () => {
    releaseWaiter();
    await server?.close(100);
  });

  it('answers a unary call with one framed message and grpc-status 0 in the trailers', async () => {
    const answer = await rawCall(address, '/t.S/Echo', frame(Buffer.from('hi')));
    assert.equal(answer.httpStatus, 200);
    assert.equal(answer.grpcStatus, 0);
    assert.deepEqual(answer.body, frame(Buffer.from('echo:hi')));
  });

  it('inflates gzip and deflate requests and refuses other encodings', async () => {
    const gz = await rawCall(address, '/t.S/Echo', frame(gzipSync('zipped'), true), { 'grpc-encoding': 'gzip' });
    assert.deepEqual(gz.body, frame(Buffer.from('echo:zipped')));
    const bad = await rawCall(address, '/t.S/Echo', frame(Buffer.from('not gzip'), true), { 'grpc-encoding': 'gzip' });
    assert.equal(bad.grpcStatus, 13);
    assert.match(bad.grpcMessage!, /not valid gzip/);
    const snappy = await rawCall(address, '/t.S/Echo', frame(Buffer.from('x'), true), { 'grpc-encoding': 'snappy' });
    assert.equal(snappy.grpcStatus, 12);
    assert.match(snappy.grpcMessage!, /unsupported encoding "snappy"/);
  });

  it('refuses oversized requests, inflated or not, with RESOURCE_EXHAUSTED', async () => {
    const big = await rawCall(address, '/t.S/Echo', frame(Buffer.alloc(1000)));
    assert.equal(big.grpcStatus, 8);
    const bomb = await rawCall(address, '/t.S/Echo', frame(gzipSync(Buffer.alloc(1000)), true), {
      'grpc-encoding': 'gzip',
    });
    assert.equal(bomb.grpcStatus, 8);
    assert.match(bomb.grpcMessage!, /more than 64 bytes/);
  });

  it('names an unknown RPC in UNIMPLEMENTED, sends errors percent-encoded, and rejects non-gRPC requests', async () => {
    const unknown = await rawCall(address, '/t.S/Nope', frame(Buffer.alloc(0)));
    assert.equal(unknown.grpcStatus, 12);
    assert.equal(unknown.grpcMessage, 't.S/Nope is not implemented by the devserver');
    const failed = await rawCall(address, '/t.S/Fail', frame(Buffer.alloc(0)));
    assert.equal(failed.grpcStatus, 5);
    assert.equal(failed.grpcMessage, 'no such thing: “ünïcode” 100%');
    const truncated = await rawCall(address, '/t.S/Echo', Buffer.from([0, 0, 0]));
    assert.equal(truncated.grpcStatus, 13);
    const notGrpc = await rawCall(address, '/t.S/Echo', Buffer.from('{}'), { 'content-type': 'application/json' });
    assert.equal(notGrpc.httpStatus, 415);
  });

  it('cancels the handler when the client resets the stream', async () => {
    const session = http2.connect(`http://${address}`);
    const req = session.request({ ':method': 'POST', ':path': '/t.S/Wait', 'content-type': 'application/grpc' });
    req.on('error', () => undefined);
    req.end(frame(Buffer.from('first')));
    await new Promise((r) => setTimeout(r, 50));
    req.close(http2.constants.NGHTTP2_CANCEL);
    for (let i = 0; i < 100 && cancelled.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    session.close();
    assert.deepEqual(cancelled, ['first']);
    assert.ok(server.calls >= 1);
  });

  it('reads grpc-timeout in every unit and ignores malformed ones', () => {
    assert.equal(parseGrpcTimeout('70000000u'), 70_000);
    assert.equal(parseGrpcTimeout('2S'), 2_000);
    assert.equal(parseGrpcTimeout('1M'), 60_000);
    assert.equal(parseGrpcTimeout('1H'), 3_600_000);
    assert.equal(parseGrpcTimeout('250m'), 250);
    assert.equal(parseGrpcTimeout('5000000n'), 5);
    assert.equal(parseGrpcTimeout(undefined), undefined);
    assert.equal(parseGrpcTimeout('123456789S'), undefined, 'at most 8 digits');
    assert.equal(parseGrpcTimeout('10s'), undefined, 'units are case-sensitive');
  });

  it('close() ends calls still open after the grace period', async () => {
    const extra = await startUnaryServer('127.0.0.1', 0, {
      maxReceiveBytes: 64,
      methods: new Map([
        [
          '/t.S/Hang',
          {
            call: (_req, cancellation) =>
              new Promise<Buffer>((resolve) => cancellation.addEventListener('abort', () => resolve(Buffer.alloc(0)))),
          },
        ],
      ]),
      toStatus: () => ({ code: 13, message: 'x' }),
    });
    const pending = rawCall(`127.0.0.1:${extra.port}`, '/t.S/Hang', frame(Buffer.alloc(0))).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 50));
    await extra.close(50);
    assert.ok(await pending, 'the open call ended when the server closed');
  });
});

describe('devserver responses: spliced histories and hand-backs to the completing worker', () => {
  let server: DevServer;
  let connection: Connection;
  before(async () => {
    server = await startDevServer({ port: 0, log: () => undefined, pollTimeoutMs: 300 });
    connection = await Connection.connect({ address: server.address });
  });
  after(async () => {
    await connection?.close();
    await server?.close();
  });

  const payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"x"') };

  it('a second server on a port in use fails with a clear error and closes its journal again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'devserver-port-'));
    const openFiles = () => readdirSync('/proc/self/fd').length;
    try {
      const before = openFiles();
      await assert.rejects(
        startDevServer({ port: server.port, dbFile: path.join(dir, 'journal.db'), log: () => undefined }),
        /cannot listen on 127\.0\.0\.1:\d+: the port is in use .*choose another port/,
      );
      assert.equal(openFiles(), before, 'no file descriptor left open by the failed start');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("long polls end empty a second before the client's deadline instead of failing with DEADLINE_EXCEEDED", async () => {
    // This server's own poll timeout is a minute; the clients below give up after 1.5 s.
    const patient = await startDevServer({ port: 0, log: () => undefined });
    const client = await Connection.connect({ address: patient.address });
    try {
      const svc = client.workflowService;
      const soon = () => new Date(Date.now() + 1_500);
      const taskQueue = { name: uniqueId('deadline') };
      const poll = await client.withDeadline(soon(), () =>
        svc.pollWorkflowTaskQueue({ namespace: 'default', taskQueue, identity: 'me' }),
      );
      assert.ok(!poll.taskToken?.length, 'an empty poll answer');
      const activityPoll = await client.withDeadline(soon(), () =>
        svc.pollActivityTaskQueue({ namespace: 'default', taskQueue, identity: 'me' }),
      );
      assert.ok(!activityPoll.taskToken?.length);
      const workflowId = uniqueId('deadline-wf');
      await svc.startWorkflowExecution({
        namespace: 'default',
        workflowId,
        requestId: workflowId,
        workflowType: { name: 'w' },
        taskQueue: { name: uniqueId('nobody') },
      });
      const page = await client.withDeadline(soon(), () =>
        svc.getWorkflowExecutionHistory({
          namespace: 'default',
          execution: { workflowId },
          historyEventFilterType: 2,
          waitNewEvent: true,
        }),
      );
      assert.deepEqual(page.history?.events, [], 'no close event yet, and no error');
      assert.ok(page.nextPageToken?.length, 'a token to go on waiting with');
      await svc.terminateWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId } });
    } finally {
      await client.close();
      await patient.close();
    }
  });

  it('encodes histories from cached event bytes exactly as protobufjs encodes them', async () => {
    const { encodeMessage, protoType, decodeMessage } = await import('../../devserver/proto');
    const type = protoType('temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedResponse');
    const events = [
      {
        eventId: 1,
        eventTime: { seconds: 1, nanos: 5 },
        eventType: 1,
        workflowExecutionStartedEventAttributes: { workflowType: { name: 'w' }, input: { payloads: [payload] } },
      },
      {
        eventId: 2,
        eventTime: { seconds: 2, nanos: 0 },
        eventType: 5,
        workflowTaskScheduledEventAttributes: { attempt: 1, taskQueue: { name: 'q', kind: 1 } },
      },
    ];
    const response = {
      workflowTask: {
        taskToken: Buffer.from('t'),
        startedEventId: 3,
        history: { events },
        workflowType: { name: 'w' },
      },
      activityTasks: [{ activityId: 'a', attempt: 1 }],
    };
    const spliced = encodeMessage(type, response);
    const reference = Buffer.from(type.encode(type.fromObject(response)).finish());
    assert.deepEqual(decodeMessage(type, spliced), decodeMessage(type, reference));
    assert.equal(spliced.length, reference.length);
  });

  it('with DEVSERVER_CHECK_ENCODING=1 a value of the wrong wire type fails loudly instead of going out mis-encoded', () => {
    const script = `
      const { encodeMessage, protoType } = require('./devserver/proto');
      const type = protoType('temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse');
      encodeMessage(type, { history: { events: [{ eventId: 1, eventType: 'EVENT_TYPE_TIMER_FIRED' }] } });`;
    const run = (check: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
        cwd: path.join(__dirname, '..', '..'),
        env: { ...process.env, DEVSERVER_CHECK_ENCODING: check },
        encoding: 'utf8',
      });
    const checked = run('1');
    assert.notEqual(checked.status, 0);
    assert.match(checked.stderr, /temporal\.api\.history\.v1\.HistoryEvent encodes differently without fromObject/);
    assert.equal(run('0').status, 0, 'without the check the same call goes through (which is why tests turn it on)');
  });

  /** Starts a workflow no worker runs and takes its first workflow task by hand. */
  async function startAndTakeFirstTask(prefix: string) {
    const svc = connection.workflowService;
    const taskQueue = uniqueId(prefix);
    const workflowId = uniqueId(`${prefix}-wf`);
    await svc.startWorkflowExecution({
      namespace: 'default',
      workflowId,
      requestId: workflowId,
      workflowType: { name: 'w' },
      taskQueue: { name: taskQueue },
    });
    const task = await svc.pollWorkflowTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      identity: 'me',
    });
    return { svc, taskQueue, workflowId, task };
  }

  it('hands eagerly requested activities back in the completion instead of to a poller', async () => {
    const { svc, taskQueue, workflowId, task: wft } = await startAndTakeFirstTask('eager');
    const activityPoll = svc.pollActivityTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      identity: 'other',
    });
    const completed: temporal.api.workflowservice.v1.IRespondWorkflowTaskCompletedResponse =
      await svc.respondWorkflowTaskCompleted({
        taskToken: wft.taskToken,
        identity: 'me',
        commands: [
          {
            commandType: 1,
            scheduleActivityTaskCommandAttributes: {
              activityId: 'eager-1',
              activityType: { name: 'a' },
              taskQueue: { name: taskQueue },
              input: { payloads: [payload] },
              startToCloseTimeout: msToTs(30_000),
              requestEagerExecution: true,
            },
          },
          {
            commandType: 1,
            scheduleActivityTaskCommandAttributes: {
              activityId: 'polled-2',
              activityType: { name: 'a' },
              taskQueue: { name: taskQueue },
              startToCloseTimeout: msToTs(30_000),
            },
          },
        ],
      });
    assert.deepEqual(
      completed.activityTasks?.map((t) => t.activityId),
      ['eager-1'],
    );
    assert.equal((await activityPoll).activityId, 'polled-2', 'the poller gets only the other activity');
    const empty = await svc.pollActivityTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      identity: 'x',
    });
    assert.ok(!empty.taskToken?.length, 'the eager activity is never handed out a second time');
    await svc.respondActivityTaskCompleted({ taskToken: completed.activityTasks![0].taskToken, identity: 'me' });
    const history = await svc.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
    const started = history.history?.events?.find((e) => e.activityTaskStartedEventAttributes);
    assert.equal(started?.activityTaskStartedEventAttributes?.identity, 'me');
    await svc.terminateWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId } });
  });

  it('returns the next workflow task inline when a signal arrived during the task', async () => {
    const { svc, taskQueue, workflowId, task: first } = await startAndTakeFirstTask('inline');
    await svc.signalWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId }, signalName: 'go' });
    const otherPoller = svc.pollWorkflowTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      identity: 'other',
    });
    const completed = await svc.respondWorkflowTaskCompleted({
      taskToken: first.taskToken,
      identity: 'me',
      returnNewWorkflowTask: true,
    });
    const next = completed.workflowTask;
    assert.ok(next?.taskToken?.length, 'the next task came back inline');
    const signaled = next.history?.events?.find((e) => e.workflowExecutionSignaledEventAttributes);
    assert.equal(
      signaled?.workflowExecutionSignaledEventAttributes?.signalName,
      'go',
      'the history handed back holds the signal',
    );
    assert.equal(Number(next.startedEventId), Number(next.history?.events?.at(-1)?.eventId));
    assert.ok(!(await otherPoller).taskToken?.length, 'no poller gets the same task');
    await svc.respondWorkflowTaskCompleted({
      taskToken: next.taskToken,
      identity: 'me',
      commands: [{ commandType: 2, completeWorkflowExecutionCommandAttributes: {} }],
    });
    const described = await svc.describeWorkflowExecution({ namespace: 'default', execution: { workflowId } });
    assert.equal(described.workflowExecutionInfo?.status, 2);
  });
});

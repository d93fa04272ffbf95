/**
 * Error classification: the table itself, then every way a call can fail on the wire (Alibaba error
 * codes, statuses without codes, non-JSON bodies, refused and dropped connections, time-outs), for the
 * RPC transport (pop-core) and the FC ROA transport alike.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AlibabaCloudError, classifyError, createCloudClients, type ErrorKind } from '../../activities/cloud';
import {
  decodeForm,
  rpcError,
  startFakeServer,
  TEST_CREDENTIALS,
  type FakeAnswer,
  type FakeServer,
} from './fake-alibaba-server';

describe('classification table', () => {
  const cases: [code: string, status: number, kind: ErrorKind, retryable: boolean][] = [
    ['Throttling', 400, 'throttling', true],
    ['Throttling.User', 400, 'throttling', true],
    ['Throttling.Api', 503, 'throttling', true],
    ['ServiceUnavailable', 503, 'server', true],
    ['InternalError', 500, 'server', true],
    ['SystemBusy', 400, 'server', true],
    ['IncorrectStatus.cbnStatus', 400, 'conflict', true],
    ['IncorrectVpcStatus', 400, 'conflict', true],
    ['IncorrectVSwitchStatus', 400, 'conflict', true],
    ['IncorrectInstanceStatus', 403, 'conflict', true],
    ['TaskConflict', 400, 'conflict', true],
    ['OperationConflict', 400, 'conflict', true],
    ['LastTokenProcessing', 400, 'conflict', true],
    ['Operation.Blocking', 400, 'conflict', true],
    ['InvalidOperation.CenInstanceStatus', 400, 'conflict', true],
    ['ConcurrencyLockTimeout', 400, 'conflict', true],
    ['ConcurrentUpdateError', 409, 'conflict', true],
    ['ResourceThrottled', 429, 'throttling', true],
    ['PreconditionFailed', 412, 'conflict', true],
    ['DependencyViolation.VSwitch', 400, 'dependency', true],
    ['DependencyViolation', 400, 'dependency', true],
    ['DeleteConflict.Role.Policy', 409, 'dependency', false],
    ['InvalidOperation.CloudRouteStatusNotAllow', 400, 'conflict', true],
    ['InvalidOperation.RouteServiceNotExist', 400, 'not-found', false],
    ['InvalidOperation.RouteServiceExists', 400, 'already-exists', false],
    ['InvalidOperation.ChildInstanceAttached', 400, 'already-exists', false],
    ['MissingParameter', 400, 'invalid-input', false],
    ['MissingParameter.VpcId', 400, 'invalid-input', false],
    ['InvalidParameter', 400, 'invalid-input', false],
    ['InvalidParameter.CidrBlock', 400, 'invalid-input', false],
    ['InvalidParameterValue', 400, 'invalid-input', false],
    ['InvalidAction.NotFound', 400, 'invalid-input', false],
    ['InvalidRegionId', 400, 'invalid-input', false],
    ['InvalidRegionId.NotFound', 404, 'invalid-input', false],
    ['IdempotentParameterMismatch', 400, 'invalid-input', false],
    ['InvalidAccessKeyId.NotFound', 404, 'auth', false],
    ['InvalidAccessKeyId.Inactive', 400, 'auth', false],
    ['SignatureDoesNotMatch', 400, 'auth', false],
    ['InvalidTimeStamp.Expired', 400, 'auth', false],
    ['SignatureNonceUsed', 400, 'auth', true],
    ['Forbidden', 403, 'permission', false],
    ['Forbidden.RAM', 403, 'permission', false],
    ['Forbidden.Release', 400, 'permission', false],
    ['NoPermission', 403, 'permission', false],
    ['AccessDenied', 403, 'permission', false],
    ['QuotaExceeded', 400, 'quota', false],
    ['QuotaExceeded.Vpc', 400, 'quota', false],
    ['InsufficientBalance', 400, 'billing', false],
    ['InvalidVpcId.NotFound', 404, 'not-found', false],
    ['InvalidInstanceId.NotFound', 404, 'not-found', false],
    ['EntityNotExist.Role', 404, 'not-found', false],
    ['FunctionNotFound', 404, 'not-found', false],
    ['NotFoundApiGroup', 400, 'not-found', false],
    ['ParameterCenInstanceId', 400, 'not-found', false],
    ['ParameterInstanceId', 400, 'not-found', false],
    ['ParameterBwpInstanceId', 400, 'not-found', false],
    ['ParameterIllegal.BandwidthLimit', 400, 'invalid-input', false],
    ['EntityAlreadyExists.Role', 409, 'already-exists', false],
    ['EntityAlreadyExists.Role.Policy', 409, 'already-exists', false],
    ['FunctionAlreadyExists', 409, 'already-exists', false],
  ];
  for (const [code, status, kind, retryable] of cases) {
    it(`${code} (HTTP ${status}) → ${kind}, ${retryable ? 'retryable' : 'not retryable'}`, () => {
      assert.deepEqual(classifyError(code, status), { kind, retryable });
    });
  }

  it('falls back on the HTTP status for codes it does not know', () => {
    assert.deepEqual(classifyError('SomethingNew', 502), { kind: 'server', retryable: true });
    assert.deepEqual(classifyError(undefined, 429), { kind: 'throttling', retryable: true });
    assert.deepEqual(classifyError('SomethingNew', 400), { kind: 'invalid-input', retryable: false });
    assert.deepEqual(classifyError('SomethingNew', undefined), { kind: 'unknown', retryable: false });
  });
});

describe('errors on the wire', () => {
  let server: FakeServer;
  /** Answer per Action (RPC) or per function name (FC path /2023-03-30/functions/<name>). */
  const answers = new Map<string, FakeAnswer>();

  before(async () => {
    server = await startFakeServer((req) => {
      const key = req.path.startsWith('/2023-03-30/functions/')
        ? `fc:${req.path.split('/')[3]}`
        : (decodeForm(req.body).get('VpcId') ?? '');
      return answers.get(key) ?? { status: 500, json: { Code: 'NoAnswerConfigured', Message: key } };
    });
  });
  after(() => server.close());

  const clients = (timeoutMs = 60_000) =>
    createCloudClients({
      endpoint: server.url,
      credentials: TEST_CREDENTIALS,
      accountId: '1234567890123456',
      timeoutMs,
      env: {},
    });

  async function rpcFailure(answer: FakeAnswer, timeoutMs?: number): Promise<AlibabaCloudError> {
    const id = `vpc-${answers.size}`;
    answers.set(id, answer);
    return failure(clients(timeoutMs).vpc.describeVpcAttribute({ RegionId: 'cn-shanghai', VpcId: id }));
  }

  async function fcFailure(answer: FakeAnswer, timeoutMs?: number): Promise<AlibabaCloudError> {
    const name = `fn${answers.size}`;
    answers.set(`fc:${name}`, answer);
    return failure(clients(timeoutMs).fc.getFunction('cn-shanghai', name));
  }

  async function failure(promise: Promise<unknown>): Promise<AlibabaCloudError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof AlibabaCloudError, `expected AlibabaCloudError, got ${String(error)}`);
      return error;
    }
    assert.fail('the call succeeded');
  }

  for (const [name, get] of [
    ['RPC', rpcFailure],
    ['FC', fcFailure],
  ] as const) {
    describe(`${name} transport`, () => {
      it('an Alibaba error body keeps code, message, RequestId and HTTP status', async () => {
        const error = await get(rpcError('Throttling.User', 'Request was denied due to user flow control.', 400));
        assert.equal(error.code, 'Throttling.User');
        assert.equal(error.serverMessage, 'Request was denied due to user flow control.');
        assert.equal(error.requestId, 'req-Throttling.User');
        assert.equal(error.httpStatus, 400);
        assert.equal(error.kind, 'throttling');
        assert.equal(error.retryable, true);
        assert.equal(error.product, name === 'RPC' ? 'vpc' : 'fc');
        assert.equal(error.region, 'cn-shanghai');
        assert.match(error.message, /Throttling\.User: Request was denied/);
      });

      it('a not-found error says so (teardown treats it as done)', async () => {
        const error = await get(rpcError(name === 'RPC' ? 'InvalidVpcId.NotFound' : 'FunctionNotFound', 'gone', 404));
        assert.equal(error.isNotFound, true);
        assert.equal(error.isAlreadyExists, false);
        assert.equal(error.retryable, false);
      });

      it('an already-exists error says so', async () => {
        const error = await get(rpcError('EntityAlreadyExists.Role', 'exists', 409));
        assert.equal(error.isAlreadyExists, true);
      });

      it('a 503 with a JSON error is retryable', async () => {
        const error = await get(rpcError('ServiceUnavailable', 'down', 503));
        assert.equal(error.kind, 'server');
        assert.equal(error.retryable, true);
      });

      it('a non-JSON 5xx (proxy page) becomes a retryable server error with the status', async () => {
        const error = await get({ status: 502, text: '<html><body>502 Bad Gateway</body></html>' });
        assert.equal(error.code, 'BadResponse');
        assert.equal(error.httpStatus, 502);
        assert.equal(error.kind, 'server');
        assert.equal(error.retryable, true);
        assert.match(error.message, /502 Bad Gateway/);
      });

      it('a 4xx without an error code is an error, not a success', async () => {
        const error = await get({ status: 403, json: { RequestId: 'r-403', Message: 'denied by a proxy' } });
        assert.equal(error.httpStatus, 403);
        assert.equal(error.kind, 'permission');
        assert.equal(error.retryable, false);
      });

      it('a non-JSON success body is a non-retryable bad response', async () => {
        const error = await get({ status: 200, text: 'plain text, not JSON' });
        assert.equal(error.code, 'BadResponse');
        assert.equal(error.kind, 'bad-response');
        assert.equal(error.retryable, false);
      });

      it('a time-out is retryable and flags the outcome as unknown', async () => {
        const error = await get({ hang: true }, 150);
        assert.equal(error.code, 'RequestTimeout');
        assert.equal(error.kind, 'timeout');
        assert.equal(error.retryable, true);
        assert.equal(error.outcomeUnknown, true);
        assert.match(error.message, /no answer within 150 ms; outcome unknown/);
      });

      it('a connection dropped after the request was sent is a retryable network error, outcome unknown', async () => {
        const error = await get({ reset: true });
        assert.equal(error.kind, 'network');
        assert.equal(error.retryable, true);
        assert.equal(error.outcomeUnknown, true);
      });
    });
  }

  it('a refused connection is a retryable network error whose outcome is known (nothing was sent)', async () => {
    const closed = await startFakeServer(() => ({ json: {} }));
    await closed.close();
    const c = createCloudClients({
      endpoint: closed.url,
      credentials: TEST_CREDENTIALS,
      accountId: '1234567890123456',
      env: {},
    });
    for (const call of [
      () => c.vpc.describeVpcs({ RegionId: 'cn-shanghai' }),
      () => c.fc.getFunction('cn-shanghai', 'fn'),
    ]) {
      const error = await failure(call());
      assert.equal(error.code, 'ECONNREFUSED');
      assert.equal(error.kind, 'network');
      assert.equal(error.retryable, true);
      assert.equal(error.outcomeUnknown, false);
    }
  });

  it('bad input is refused before anything is sent', async () => {
    server.requests.length = 0;
    const c = clients();
    const missingRegion = await failure(c.vpc.describeVpcs({} as never));
    assert.equal(missingRegion.code, 'MissingParameter.RegionId');
    assert.equal(missingRegion.retryable, false);
    const badRegion = await failure(c.vpc.describeVpcs({ RegionId: 'Shanghai!' }));
    assert.equal(badRegion.kind, 'invalid-input');
    const badName = await failure(c.fc.getFunction('cn-shanghai', '../etc'));
    assert.equal(badName.kind, 'invalid-input');
    assert.equal(server.requests.length, 0);
  });
});

import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Fc, * as $Fc from '@alicloud/fc20230330';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { startEmulator } from '../../emulator';
import type { EmulatorHandle, ProductName } from '../../emulator';
import { crc64 } from '../../emulator/products/fc/crc64';
import { readZip, ZipFormatError } from '../../emulator/products/fc/zip';
import { SECRET, type RawResponse } from './core-signers';
import { FUNCTIONS, fcCall, zipOf } from './fc-fixtures';

/** FC 3.0 (ROA, 2023-03-30) over HTTP: function CRUD, validation against VPC/ECS/RAM, invocations. */

const REGION = 'cn-shanghai';
let emu: EmulatorHandle;

before(async () => {
  // A frozen clock: only advanceClock moves time, so Pending/InProgress hold however slow the machine is.
  const frozen = Date.now();
  emu = await startEmulator({ port: 0, clock: () => frozen });
});
after(() => emu.close());

type Answer = RawResponse & { json: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

const fc = (
  method: string,
  path: string,
  opts: { body?: unknown; raw?: string; query?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Answer> => fcCall(emu, REGION, method, path, opts);

const PYTHON = `
import json, os

def handler(event, context):
    if event == b"raise":
        raise ValueError("asked to fail")
    print("log line from the function")
    return json.dumps({"event": event.decode(), "greeting": os.environ.get("GREETING"),
                       "name": context.function.name, "region": context.region, "requestId": context.request_id})
`;

const TRUST_FC = JSON.stringify({
  Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }],
  Version: '1',
});

function insert(product: ProductName, type: string, id: string, status: string, attrs: Record<string, unknown>) {
  emu.store.insert({ product, type, id, region: REGION, status, attrs });
}

const roleArn = (name: string) => `acs:ram::${emu.accountId}:role/${name}`;

describe('FC 3.0', () => {
  before(() => {
    insert('vpc', 'Vpc', 'vpc-fc1', 'Available', { cidrBlock: '10.0.0.0/16' });
    insert('vpc', 'VSwitch', 'vsw-fc1', 'Available', { vpcId: 'vpc-fc1', zoneId: `${REGION}-b` });
    insert('vpc', 'Vpc', 'vpc-fc2', 'Available', { cidrBlock: '10.1.0.0/16' });
    insert('vpc', 'VSwitch', 'vsw-fc2', 'Available', { vpcId: 'vpc-fc2', zoneId: `${REGION}-b` });
    insert('ecs', 'SecurityGroup', 'sg-fc1', 'Available', { vpcId: 'vpc-fc1', rules: [] });
    const eni = [{ policyName: 'AliyunECSNetworkInterfaceManagementAccess', policyType: 'System' }];
    insert('ram', 'RamRole', 'fc-vpc-role', 'Active', { assumeRolePolicyDocument: TRUST_FC, policies: eni });
    insert('ram', 'RamRole', 'fc-plain-role', 'Active', { assumeRolePolicyDocument: TRUST_FC, policies: [] });
    insert('ram', 'RamRole', 'ecs-role', 'Active', {
      assumeRolePolicyDocument: TRUST_FC.replace('fc.aliyuncs.com', 'ecs.aliyuncs.com'),
      policies: eni,
    });
    insert('ram', 'RamRole', 'young-role', 'Propagating', { assumeRolePolicyDocument: TRUST_FC, policies: eni });
  });

  const base = () => ({
    functionName: 'echo-fn',
    runtime: 'python3.10',
    handler: 'index.handler',
    code: { zipFile: zipOf({ 'index.py': PYTHON }) },
    timeout: 30,
    memorySize: 256,
    environmentVariables: { GREETING: 'hi' },
  });
  const vpcConfig = { vpcId: 'vpc-fc1', vSwitchIds: ['vsw-fc1'], securityGroupId: 'sg-fc1' };

  async function expectError(answer: Promise<Answer>, status: number, code: string, message?: RegExp) {
    const { status: got, json } = await answer;
    assert.equal(json.Code, code, JSON.stringify(json));
    assert.equal(got, status);
    if (message) assert.match(String(json.Message), message);
  }

  it('CreateFunction rejects bad input with FC error codes', async () => {
    await expectError(fc('POST', FUNCTIONS, { raw: '{oops' }), 400, 'InvalidArgument', /JSON/);
    await expectError(
      fc('POST', FUNCTIONS, { body: { ...base(), functionName: undefined } }),
      400,
      'InvalidArgument',
      /functionName/,
    );
    await expectError(
      fc('POST', FUNCTIONS, { body: { ...base(), runtime: 'cobol' } }),
      400,
      'InvalidArgument',
      /runtime/,
    );
    await expectError(
      fc('POST', FUNCTIONS, { body: { ...base(), code: { zipFile: Buffer.from('not a zip').toString('base64') } } }),
      400,
      'InvalidArgument',
      /ZIP/,
    );
    await expectError(
      fc('POST', FUNCTIONS, { body: { ...base(), code: { zipFile: zipOf({ '../escape.py': 'x = 1' }) } } }),
      400,
      'InvalidArgument',
      /outside the code directory/,
    );
    await expectError(fc('POST', FUNCTIONS, { body: { ...base(), memorySize: 200 } }), 400, 'InvalidArgument', /64/);
    await expectError(
      fc('POST', FUNCTIONS, { body: { ...base(), role: 'fc-vpc-role' } }),
      400,
      'InvalidArgument',
      /ARN/,
    );
    await expectError(
      fc('POST', FUNCTIONS, { body: { ...base(), role: roleArn('nobody') } }),
      403,
      'AccessDenied',
      /does not exist/,
    );
    await expectError(
      fc('POST', FUNCTIONS, { body: { ...base(), role: roleArn('young-role') } }),
      403,
      'AccessDenied',
      /propagating/,
    );
    await expectError(
      fc('POST', FUNCTIONS, { body: { ...base(), role: roleArn('ecs-role') } }),
      403,
      'AccessDenied',
      /trust policy/,
    );
    await expectError(
      fc('POST', FUNCTIONS, { body: { ...base(), vpcConfig } }),
      400,
      'InvalidArgument',
      /role is required/,
    );
    await expectError(
      fc('POST', FUNCTIONS, { body: { ...base(), vpcConfig, role: roleArn('fc-plain-role') } }),
      403,
      'AccessDenied',
      /AliyunECSNetworkInterfaceManagementAccess/,
    );
    await expectError(
      fc('POST', FUNCTIONS, {
        body: { ...base(), vpcConfig: { ...vpcConfig, vpcId: 'vpc-nope' }, role: roleArn('fc-vpc-role') },
      }),
      400,
      'InvalidArgument',
      /vpc-nope does not exist/,
    );
    await expectError(
      fc('POST', FUNCTIONS, {
        body: { ...base(), vpcConfig: { ...vpcConfig, vSwitchIds: ['vsw-fc2'] }, role: roleArn('fc-vpc-role') },
      }),
      400,
      'InvalidArgument',
      /belongs to vpc-fc2/,
    );
  });

  it('CreateFunction → Pending → Active; Get, List, Update, Delete', async () => {
    // RAM role names are case-insensitive: the ARN may spell the name differently.
    const created = await fc('POST', FUNCTIONS, { body: { ...base(), vpcConfig, role: roleArn('FC-VPC-Role') } });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.json.functionName, 'echo-fn');
    assert.equal(created.json.state, 'Pending');
    assert.equal(created.json.functionArn, `acs:fc:${REGION}:${emu.accountId}:functions/echo-fn`);
    assert.deepEqual(created.json.vpcConfig, vpcConfig);
    assert.match(String(created.json.codeChecksum), /^\d+$/);
    await expectError(fc('POST', FUNCTIONS, { body: base() }), 409, 'FunctionAlreadyExists');

    const pending = await fc('POST', `${FUNCTIONS}/echo-fn/invocations`, { raw: 'x' });
    assert.equal(pending.status, 412);
    emu.advanceClock(10_000);
    const got = await fc('GET', `${FUNCTIONS}/echo-fn`);
    assert.equal(got.json.state, 'Active');
    assert.equal(got.json.lastUpdateStatus, 'Successful');

    await fc('POST', FUNCTIONS, { body: { ...base(), functionName: 'other-fn' } });
    const listed = await fc('GET', FUNCTIONS, { query: { prefix: 'echo' } });
    assert.deepEqual(
      (listed.json.functions as { functionName: string }[]).map((f) => f.functionName),
      ['echo-fn'],
    );
    const paged = await fc('GET', FUNCTIONS, { query: { limit: '1' } });
    assert.equal((paged.json.functions as unknown[]).length, 1);
    assert.ok(paged.json.nextToken);

    const updated = await fc('PUT', `${FUNCTIONS}/echo-fn`, { body: { environmentVariables: { GREETING: 'hello' } } });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.json.lastUpdateStatus, 'InProgress');
    emu.advanceClock(10_000);
    const after = await fc('GET', `${FUNCTIONS}/echo-fn`);
    assert.equal(after.json.lastUpdateStatus, 'Successful');
    assert.deepEqual(after.json.environmentVariables, { GREETING: 'hello' });

    const deleted = await fc('DELETE', `${FUNCTIONS}/other-fn`);
    assert.equal(deleted.status, 204);
    await expectError(fc('GET', `${FUNCTIONS}/other-fn`), 404, 'FunctionNotFound');
  });

  it('InvokeFunction runs the Python code with its event, environment and context', async () => {
    const answer = await fc('POST', `${FUNCTIONS}/echo-fn/invocations`, {
      raw: 'ping',
      headers: { 'x-fc-invocation-type': 'Sync', 'x-fc-log-type': 'Tail' },
    });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.headers['x-fc-error-type'], undefined);
    assert.ok(answer.headers['x-fc-request-id']);
    assert.deepEqual(
      { ...answer.json, requestId: typeof answer.json.requestId },
      { event: 'ping', greeting: 'hello', name: 'echo-fn', region: REGION, requestId: 'string' },
    );
    const logs = Buffer.from(String(answer.headers['x-fc-log-result']), 'base64').toString('utf8');
    assert.match(logs, /log line from the function/);
  });

  it("InvokeFunction reports the function's unhandled error as FC does", async () => {
    const answer = await fc('POST', `${FUNCTIONS}/echo-fn/invocations`, { raw: 'raise' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['x-fc-error-type'], 'UnhandledInvocationError');
    assert.equal(answer.json.errorType, 'ValueError');
    assert.equal(answer.json.errorMessage, 'asked to fail');
    const frames = answer.json.stackTrace as string[][];
    assert.ok(frames.some((frame) => frame.some((part) => part.includes('index.py'))));
  });

  it('InvokeFunction refuses Async and unknown functions', async () => {
    await expectError(
      fc('POST', `${FUNCTIONS}/echo-fn/invocations`, { raw: '', headers: { 'x-fc-invocation-type': 'Async' } }),
      400,
      'InvalidArgument',
    );
    await expectError(fc('POST', `${FUNCTIONS}/ghost/invocations`, { raw: '' }), 404, 'FunctionNotFound');
  });

  it('with code execution off the emulator answers from the model', async () => {
    const url = `${emu.url}/_emulator/fc/settings`;
    const bad = await fetch(url, { method: 'POST', body: JSON.stringify({ codeExecution: 'sometimes' }) });
    assert.equal(bad.status, 400);
    const set = await fetch(url, { method: 'POST', body: JSON.stringify({ codeExecution: 'model' }) });
    assert.equal(((await set.json()) as { codeExecution: string }).codeExecution, 'model');
    try {
      const answer = await fc('POST', `${FUNCTIONS}/echo-fn/invocations`, { raw: '' });
      assert.deepEqual(answer.json, {
        status: null,
        body: null,
        error: { kind: 'config', message: 'no target URL: pass {"url": ...} or set API_URL' },
      });
    } finally {
      await fetch(url, { method: 'POST', body: JSON.stringify({ codeExecution: 'auto' }) });
    }
    const traces = (await (await fetch(`${emu.url}/_emulator/fc/invocations`)).json()) as {
      invocations: { mode: string }[];
    };
    assert.ok(traces.invocations.some((t) => t.mode === 'model'));
    assert.ok(traces.invocations.some((t) => t.mode === 'python'));
  });
});

describe('code package helpers', () => {
  it('crc64 is CRC-64/XZ (check value of "123456789")', () => {
    assert.equal(crc64(Buffer.from('123456789')), BigInt('0x995DC9BBDF1939FA').toString(10));
  });

  it('readZip reads deflated entries and rejects what is not a ZIP', () => {
    const entries = readZip(Buffer.from(zipOf({ 'index.py': 'print(1)\n', 'lib/util.py': 'X = 2\n' }), 'base64'));
    assert.deepEqual(
      entries.map((e) => [e.name, e.data.toString('utf8')]),
      [
        ['index.py', 'print(1)\n'],
        ['lib/util.py', 'X = 2\n'],
      ],
    );
    assert.throws(() => readZip(Buffer.from('definitely not a zip file at all')), ZipFormatError);
    const truncated = Buffer.from(zipOf({ 'a.py': 'x' }), 'base64');
    assert.throws(() => readZip(truncated.subarray(0, truncated.length - 30)), ZipFormatError);
  });
});

describe('FC with the official SDK (V3 signatures, streamed invocation)', () => {
  it('creates, reads, invokes and deletes a function', async () => {
    const sdk = new Fc(
      new $OpenApiUtil.Config({
        accessKeyId: 'LTAI5tEmulatorAccessKey',
        accessKeySecret: SECRET,
        endpoint: `${emu.host}:${emu.port}`,
        protocol: 'http',
        regionId: REGION,
      }),
    );
    const created = await sdk.createFunction(
      new $Fc.CreateFunctionRequest({
        body: new $Fc.CreateFunctionInput({
          functionName: 'sdk-fn',
          runtime: 'python3.10',
          handler: 'index.handler',
          code: new $Fc.InputCodeLocation({ zipFile: zipOf({ 'index.py': PYTHON }) }),
          environmentVariables: { GREETING: 'from the sdk' },
        }),
      }),
    );
    assert.equal(created.body?.state, 'Pending');
    emu.advanceClock(10_000);
    const got = await sdk.getFunction('sdk-fn', new $Fc.GetFunctionRequest({}));
    assert.equal(got.body?.state, 'Active');
    const invoked = await sdk.invokeFunction(
      'sdk-fn',
      new $Fc.InvokeFunctionRequest({ body: Readable.from([Buffer.from('pong')]) }),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of invoked.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
    const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event: string; greeting: string };
    assert.deepEqual([answer.event, answer.greeting], ['pong', 'from the sdk']);
    await sdk.deleteFunction('sdk-fn');
    await assert.rejects(
      sdk.getFunction('sdk-fn', new $Fc.GetFunctionRequest({})),
      (error: { code?: string }) => error.code === 'FunctionNotFound',
    );
  });
});

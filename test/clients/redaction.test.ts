/**
 * No AccessKeyId, secret, security token or signature may appear anywhere in what the client layer
 * throws or exposes: message, stack, properties, util.inspect, JSON.stringify.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { AlibabaCloudError, CloudCredentials, createCloudClients, redact } from '../../activities/cloud';
import { startEmulator } from '../../emulator';
import { decodeForm, startFakeServer, TEST_CREDENTIALS, type FakeServer } from './fake-alibaba-server';

const SECRETS = [TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.accessKeySecret, TEST_CREDENTIALS.securityToken];

/** Everything a log line, a Temporal failure or a debugger could show of `value`. */
function everyRendering(value: unknown): string {
  const parts = [inspect(value, { showHidden: true, depth: Infinity, getters: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) {
    parts.push(String(value), value.stack ?? '', value.message);
    for (const key of Object.getOwnPropertyNames(value))
      parts.push(inspect((value as unknown as Record<string, unknown>)[key]));
  }
  return parts.join('\n');
}

function assertClean(value: unknown, extra: string[] = []): void {
  const text = everyRendering(value);
  for (const secret of [...SECRETS, ...extra]) {
    assert.ok(!text.includes(secret), `leaked ${secret.slice(0, 6)}… in:\n${text}`);
    assert.ok(!text.includes(encodeURIComponent(secret)), `leaked encoded ${secret.slice(0, 6)}…`);
  }
}

describe('redact()', () => {
  it('scrubs signing parameters from URLs and form bodies', () => {
    const url =
      'https://vpc.aliyuncs.com/?AccessKeyId=LTAIabc123def&Action=X&Signature=Zm9v%2Bbar%3D&SecurityToken=tok';
    const out = redact(url);
    assert.equal(
      out,
      'https://vpc.aliyuncs.com/?AccessKeyId=<redacted>&Action=X&Signature=<redacted>&SecurityToken=<redacted>',
    );
  });

  it('scrubs JSON fields, Authorization headers (ROA and V3) and security token headers', () => {
    assert.equal(
      redact('{"AccessKeyId":"LTAIabc","accessKeySecret" : "s3cr3t","Other":"kept"}'),
      '{"AccessKeyId":"<redacted>","accessKeySecret" : "<redacted>","Other":"kept"}',
    );
    assert.equal(redact('authorization: acs LTAIabc:Zm9vYmFy='), 'authorization: acs <redacted>');
    assert.equal(
      redact('ACS3-HMAC-SHA256 Credential=LTAIabc,SignedHeaders=host;x-acs-date,Signature=0a1b2c'),
      'ACS3-HMAC-SHA256 Credential=<redacted>,SignedHeaders=host;x-acs-date,Signature=<redacted>',
    );
    assert.equal(redact('x-acs-security-token: CAISabc'), 'x-acs-security-token: <redacted>');
  });

  it('blanks sensitive keys and scrubs every string in nested objects, arrays and errors, surviving cycles', () => {
    const cyclic: Record<string, unknown> = {
      url: 'http://x/?Signature=abc',
      headers: { Authorization: 'anything', 'x-acs-security-token': 'tok' },
      list: ['AccessKeyId=LTAIzzz'],
      accessKeySecret: 'plain',
      error: new Error('failed, URL: http://x/?AccessKeyId=LTAIyyy'),
    };
    cyclic.self = cyclic;
    const out = redact(cyclic) as Record<string, unknown>;
    const text = JSON.stringify(out);
    for (const leak of ['abc', 'anything', 'LTAIzzz', 'plain', 'LTAIyyy', '"tok"'])
      assert.ok(!text.includes(leak), leak);
    assert.equal(out.self, '[omitted]');
    assert.match(String((out.error as { message: string }).message), /AccessKeyId=<redacted>/);
  });

  it('removes the literal values of loaded credentials wherever they appear', () => {
    const creds = new CloudCredentials({ accessKeyId: 'LTAIliteral0001', accessKeySecret: 'literal-secret-value' });
    assert.equal(creds.accessKeyId, 'LTAIliteral0001');
    assert.equal(
      redact('key LTAIliteral0001 and literal-secret-value, encoded literal%2Dsecret'),
      'key <redacted> and <redacted>, encoded literal%2Dsecret',
    );
  });

  it('leaves ordinary text alone', () => {
    const text = 'vpc CreateVpc failed: InvalidCidrBlock.Malformed: 10.0.0.0/33 (RequestId 5A2F)';
    assert.equal(redact(text), text);
  });
});

describe('credentials never leak', () => {
  let server: FakeServer;
  let lastSignature = '';

  before(async () => {
    server = await startFakeServer((req) => {
      if (req.path.startsWith('/2023-03-30/')) {
        lastSignature = String(req.headers.authorization).split(':')[1] ?? '';
        // A server that echoes what it received, headers included, in its error message.
        return {
          status: 403,
          json: { Code: 'AccessDenied', Message: `denied: ${JSON.stringify(req.headers)}`, RequestId: 'r-fc' },
        };
      }
      const params = decodeForm(req.body);
      lastSignature = params.get('Signature') ?? '';
      if (params.get('Action') === 'DescribeVpcs') return { status: 502, text: `upstream saw ${req.body.toString()}` };
      return {
        status: 400,
        json: { Code: 'InvalidParameter', Message: `bad request ${req.body.toString()}`, RequestId: 'r-rpc' },
      };
    });
  });
  after(() => server.close());

  const clients = () =>
    createCloudClients({ endpoint: server.url, credentials: TEST_CREDENTIALS, accountId: '1234567890123456', env: {} });

  async function caught(promise: Promise<unknown>): Promise<AlibabaCloudError> {
    const error = await promise.then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof AlibabaCloudError);
    return error;
  }

  it('from an RPC error whose message echoes the signed request', async () => {
    const error = await caught(clients().vpc.createVpc({ RegionId: 'cn-shanghai', VpcName: 'v' }));
    assert.ok(lastSignature.length > 10);
    assertClean(error, [lastSignature]);
    assert.match(error.message, /Action=CreateVpc/, 'the useful part stays');
  });

  it('from a non-JSON 5xx echoing the request', async () => {
    const error = await caught(clients().vpc.describeVpcs({ RegionId: 'cn-shanghai' }));
    assert.equal(error.retryable, true);
    assertClean(error, [lastSignature]);
  });

  it('from an FC error echoing the Authorization and security token headers', async () => {
    const error = await caught(clients().fc.getFunction('cn-shanghai', 'fn'));
    assert.equal(error.kind, 'permission');
    assertClean(error, [lastSignature]);
  });

  it('from time-outs and network errors', async () => {
    const hanging = await startFakeServer(() => ({ hang: true }));
    try {
      const c = createCloudClients({
        endpoint: hanging.url,
        credentials: TEST_CREDENTIALS,
        accountId: '1234567890123456',
        timeoutMs: 100,
        env: {},
      });
      assertClean(await caught(c.vpc.describeVpcs({ RegionId: 'cn-shanghai' })));
      assertClean(await caught(c.fc.getFunction('cn-shanghai', 'fn')));
    } finally {
      await hanging.close();
    }
  });

  it("from the emulator's auth errors (SignatureDoesNotMatch echoes the string to sign with the AccessKeyId)", async () => {
    // Same key id, another secret: every call fails its signature check; then a server that knows no such key.
    const wrongSecret = await startEmulator({
      port: 0,
      accessKeyId: TEST_CREDENTIALS.accessKeyId,
      accessKeySecret: 'the-emulator-has-another-secret',
    });
    const unknownKey = await startEmulator({ port: 0 });
    try {
      for (const emu of [wrongSecret, unknownKey]) {
        const c = createCloudClients({
          endpoint: emu.url,
          credentials: TEST_CREDENTIALS,
          accountId: emu.accountId,
          env: {},
        });
        for (const call of [
          () => c.vpc.createVpc({ RegionId: 'cn-shanghai', VpcName: 'v' }),
          () => c.fc.getFunction('cn-shanghai', 'fn'),
        ]) {
          const error = await caught(call());
          assert.equal(error.kind, 'auth', error.message);
          assertClean(error);
        }
      }
    } finally {
      await Promise.all([wrongSecret.close(), unknownKey.close()]);
    }
  });

  it('from the client objects and credentials themselves', () => {
    const c = clients();
    assertClean(c);
    const creds = new CloudCredentials(TEST_CREDENTIALS);
    assertClean(creds);
    assertClean({ creds });
    assert.equal(String(creds).includes(TEST_CREDENTIALS.accessKeySecret), false);
  });

  it('a check that can fail: an unredacted value is detected', () => {
    const expected = createHmac('sha1', 'k').update('x').digest('base64');
    assert.throws(() => assertClean({ leak: TEST_CREDENTIALS.accessKeyId }));
    assert.throws(() => assertClean({ sig: expected }, [expected]));
  });
});

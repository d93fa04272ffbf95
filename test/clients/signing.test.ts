/**
 * Signatures re-computed independently from the notes' algorithm by a local server: V1 (RPC, HMAC-SHA1
 * over the canonical form body) and ROA (FC 3.0). A request that does not verify gets
 * SignatureDoesNotMatch, which the client must surface as a non-retryable auth error.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AlibabaCloudError, createCloudClients } from '../../activities/cloud';
import {
  decodeForm,
  rpcError,
  startFakeServer,
  TEST_CREDENTIALS,
  type CapturedRequest,
  type FakeServer,
} from './fake-alibaba-server';

const ACCOUNT = '1234567890123456';

function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function verifyV1(req: CapturedRequest, secret: string): { ok: boolean; params: Map<string, string> } {
  const params = decodeForm(req.body);
  const signature = params.get('Signature');
  params.delete('Signature');
  const canonical = [...params.keys()]
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params.get(k) as string)}`)
    .join('&');
  const stringToSign = `${req.method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  const expected = createHmac('sha1', `${secret}&`).update(stringToSign).digest('base64');
  return { ok: signature === expected, params };
}

function verifyRoa(req: CapturedRequest, secret: string): boolean {
  const h = req.headers;
  const md5 = createHash('md5').update(req.body).digest('base64');
  if (h['content-md5'] !== md5) return false;
  const acs = Object.keys(h)
    .filter((k) => k.startsWith('x-acs-'))
    .sort()
    .map((k) => `${k}:${String(h[k]).trim()}\n`)
    .join('');
  const keys = [...req.query.keys()].sort();
  const resource = keys.length ? `${req.path}?${keys.map((k) => `${k}=${req.query.get(k)}`).join('&')}` : req.path;
  const stringToSign =
    [req.method, h['accept'] ?? '', h['content-md5'] ?? '', h['content-type'] ?? '', h['date'] ?? ''].join('\n') +
    `\n${acs}${resource}`;
  const expected = createHmac('sha1', secret).update(stringToSign).digest('base64');
  return h['authorization'] === `acs ${TEST_CREDENTIALS.accessKeyId}:${expected}`;
}

describe('request signing', () => {
  let server: FakeServer;
  let verifiedWith = TEST_CREDENTIALS.accessKeySecret;

  before(async () => {
    server = await startFakeServer((req) => {
      if (req.path.startsWith('/2023-03-30/')) {
        if (!verifyRoa(req, verifiedWith)) return rpcError('SignatureDoesNotMatch', 'roa signature mismatch');
        return { json: { functionName: 'fn', state: 'Active' } };
      }
      const { ok, params } = verifyV1(req, verifiedWith);
      if (!ok) return rpcError('SignatureDoesNotMatch', 'v1 signature mismatch');
      if (params.get('Action') === 'GetCallerIdentity') return { json: { RequestId: 'r', AccountId: ACCOUNT } };
      return { json: { RequestId: 'r', VpcId: 'vpc-1' } };
    });
  });
  after(() => server.close());

  const clients = () =>
    createCloudClients({ endpoint: server.url, credentials: TEST_CREDENTIALS, accountId: ACCOUNT, env: {} });

  it('RPC: POST / with every parameter and a valid V1 signature in a form body', async () => {
    server.requests.length = 0;
    const name = "vpc name with spaces, *stars*, (parens) !bang 'quote' ~tilde/slash 中文";
    const res = await clients().vpc.createVpc({ RegionId: 'cn-shanghai', VpcName: name, ClientToken: 'tok-1' });
    assert.equal(res.VpcId, 'vpc-1');
    const [req] = server.requests;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/');
    assert.equal([...req.query.keys()].length, 0, 'nothing in the URL');
    assert.match(String(req.headers['content-type']), /application\/x-www-form-urlencoded/);
    const params = decodeForm(req.body);
    assert.equal(params.get('Action'), 'CreateVpc');
    assert.equal(params.get('Version'), '2016-04-28');
    assert.equal(params.get('RegionId'), 'cn-shanghai');
    assert.equal(params.get('VpcName'), name);
    assert.equal(params.get('ClientToken'), 'tok-1');
    assert.equal(params.get('Format'), 'JSON');
    assert.equal(params.get('SignatureMethod'), 'HMAC-SHA1');
    assert.equal(params.get('SignatureVersion'), '1.0');
    assert.match(params.get('Timestamp') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(params.get('SignatureNonce'));
    assert.equal(params.get('SecurityToken'), TEST_CREDENTIALS.securityToken);
  });

  it('RPC: a fresh nonce on every call', async () => {
    server.requests.length = 0;
    const c = clients();
    await c.vpc.describeVpcs({ RegionId: 'cn-shanghai' });
    await c.vpc.describeVpcs({ RegionId: 'cn-shanghai' });
    const nonces = server.requests.map((r) => decodeForm(r.body).get('SignatureNonce'));
    assert.notEqual(nonces[0], nonces[1]);
  });

  it('RPC: global products send no RegionId and use their own version', async () => {
    server.requests.length = 0;
    const identity = await clients().sts.getCallerIdentity();
    assert.equal(identity.AccountId, ACCOUNT);
    const params = decodeForm(server.requests[0].body);
    assert.equal(params.get('Version'), '2015-04-01');
    assert.equal(params.has('RegionId'), false);
  });

  it('ROA (FC 3.0): valid acs signature, content-md5, version header and the FC Host behind an override', async () => {
    server.requests.length = 0;
    const fn = await clients().fc.createFunction('cn-zhangjiakou', {
      functionName: 'fn',
      runtime: 'python3.10',
      handler: 'index.handler',
      code: { zipFile: 'UEsDBA==' },
      vpcConfig: { vpcId: 'vpc-1', vSwitchIds: ['vsw-1'], securityGroupId: 'sg-1' },
    });
    assert.equal(fn.functionName, 'fn');
    const [req] = server.requests;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/2023-03-30/functions');
    assert.equal(req.headers.host, `${ACCOUNT}.cn-zhangjiakou.fc.aliyuncs.com`);
    assert.equal(req.headers['x-acs-version'], '2023-03-30');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['x-acs-security-token'], TEST_CREDENTIALS.securityToken);
    assert.ok(!Number.isNaN(Date.parse(String(req.headers.date))));
    assert.deepEqual(JSON.parse(req.body.toString()).vpcConfig.vSwitchIds, ['vsw-1']);
  });

  it('ROA: GET with a query string and an empty body verifies too', async () => {
    server.requests.length = 0;
    await clients().fc.listFunctions('cn-shanghai', { prefix: 'fc-apigw', limit: 10 });
    const [req] = server.requests;
    assert.equal(req.method, 'GET');
    assert.equal(req.query.get('prefix'), 'fc-apigw');
    assert.equal(req.query.get('limit'), '10');
  });

  it('the verifier can fail: a different secret is refused and surfaces as a non-retryable auth error', async () => {
    verifiedWith = 'some-other-secret';
    try {
      for (const call of [
        () => clients().vpc.createVpc({ RegionId: 'cn-shanghai' }),
        () => clients().fc.getFunction('cn-shanghai', 'fn'),
      ]) {
        await assert.rejects(call(), (error: unknown) => {
          assert.ok(error instanceof AlibabaCloudError);
          assert.equal(error.code, 'SignatureDoesNotMatch');
          assert.equal(error.kind, 'auth');
          assert.equal(error.retryable, false);
          return true;
        });
      }
    } finally {
      verifiedWith = TEST_CREDENTIALS.accessKeySecret;
    }
  });
});

/** Endpoints per product and region, the endpoint override, credentials from the environment, time-out config. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCloudClients, PRODUCTS, resolveEndpoint } from '../../activities/cloud';
import { credentialsFromEnv } from '../../activities/cloud/credentials';
import { endpointOverrideFrom } from '../../activities/cloud/endpoints';
import { startFakeServer, TEST_CREDENTIALS } from './fake-alibaba-server';

describe('endpoints', () => {
  it('maps every product to its documented public endpoint', () => {
    const url = (p: keyof typeof PRODUCTS, region?: string) =>
      resolveEndpoint(p, { region, accountId: '1234567890123456' }).url;
    assert.equal(url('vpc', 'cn-shanghai'), 'https://vpc.cn-shanghai.aliyuncs.com');
    assert.equal(url('ecs', 'cn-zhangjiakou'), 'https://ecs.cn-zhangjiakou.aliyuncs.com');
    assert.equal(url('cloudapi', 'cn-shanghai'), 'https://apigateway.cn-shanghai.aliyuncs.com');
    assert.equal(url('ram'), 'https://ram.aliyuncs.com');
    assert.equal(url('cbn'), 'https://cbn.aliyuncs.com');
    assert.equal(url('sts'), 'https://sts.aliyuncs.com');
    assert.equal(url('fc', 'cn-zhangjiakou'), 'https://1234567890123456.cn-zhangjiakou.fc.aliyuncs.com');
  });

  it('pins the API versions the project is written against', () => {
    const versions = Object.fromEntries(Object.entries(PRODUCTS).map(([p, spec]) => [p, spec.version]));
    assert.deepEqual(versions, {
      vpc: '2016-04-28',
      ecs: '2014-05-26',
      cloudapi: '2016-07-14',
      ram: '2015-05-01',
      cbn: '2017-09-12',
      sts: '2015-04-01',
      fc: '2023-03-30',
    });
  });

  it('sends everything to the override; FC keeps its real host name in the Host header', () => {
    const override = 'http://127.0.0.1:9100';
    assert.deepEqual(resolveEndpoint('vpc', { region: 'cn-shanghai', override }), { url: override });
    assert.deepEqual(resolveEndpoint('fc', { region: 'cn-shanghai', accountId: '1234567890123456', override }), {
      url: override,
      hostHeader: '1234567890123456.cn-shanghai.fc.aliyuncs.com',
    });
  });

  it('reads and checks ALIBABA_CLOUD_ENDPOINT', () => {
    assert.equal(endpointOverrideFrom(undefined, {}), undefined);
    assert.equal(
      endpointOverrideFrom(undefined, { ALIBABA_CLOUD_ENDPOINT: 'http://127.0.0.1:9100/' }),
      'http://127.0.0.1:9100',
    );
    assert.equal(
      endpointOverrideFrom('http://localhost:1', { ALIBABA_CLOUD_ENDPOINT: 'http://x:2' }),
      'http://localhost:1',
    );
    assert.throws(() => endpointOverrideFrom('127.0.0.1:9100', {}), /must start with http/);
    assert.throws(() => endpointOverrideFrom('http://exa mple', {}), /is not a URL/);
    assert.throws(() => endpointOverrideFrom('http://127.0.0.1:9100/api', {}), /must have no path/);
  });

  it('refuses regions and account ids that cannot be real', () => {
    assert.throws(() => resolveEndpoint('vpc', {}), /region "" is not an Alibaba Cloud region id/);
    assert.throws(() => resolveEndpoint('fc', { region: 'cn-shanghai', accountId: 'abc' }), /account id "abc"/);
  });
});

describe('credentials', () => {
  it('come from ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / optional _SECURITY_TOKEN', () => {
    const creds = credentialsFromEnv({
      ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_CREDENTIALS.accessKeySecret,
    });
    assert.equal(creds.accessKeyId, TEST_CREDENTIALS.accessKeyId);
    assert.equal(creds.accessKeySecret, TEST_CREDENTIALS.accessKeySecret);
    assert.equal(creds.securityToken, undefined);
  });

  it('missing ones are named, with how to fix it', () => {
    assert.throws(
      () => credentialsFromEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIx' }),
      /credentials missing: set ALIBABA_CLOUD_ACCESS_KEY_SECRET \(and optionally ALIBABA_CLOUD_SECURITY_TOKEN\)/,
    );
    assert.throws(
      () => createCloudClients({ env: {} }),
      /set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/,
    );
  });
});

describe('createCloudClients', () => {
  it('rejects a time-out that is not a positive number', () => {
    const base = { credentials: TEST_CREDENTIALS, env: {} };
    assert.throws(() => createCloudClients({ ...base, timeoutMs: 0 }), /timeoutMs must be a positive number/);
    assert.throws(
      () => createCloudClients({ ...base, env: { ALIBABA_CLOUD_TIMEOUT_MS: 'soon' } }),
      /ALIBABA_CLOUD_TIMEOUT_MS="soon" must be a positive number/,
    );
  });

  it('is driven by the environment alone: endpoint, credentials, security token, deadline', async () => {
    const server = await startFakeServer((req) =>
      req.body.toString().includes('Action=GetCallerIdentity')
        ? { json: { RequestId: 'r', AccountId: '42' } }
        : { hang: true },
    );
    try {
      const env = {
        ALIBABA_CLOUD_ENDPOINT: server.url,
        ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_CREDENTIALS.accessKeySecret,
        ALIBABA_CLOUD_SECURITY_TOKEN: TEST_CREDENTIALS.securityToken,
      };
      // A generous deadline for the call that must succeed (the machine may be loaded), a short one for the hang.
      const c = createCloudClients({ env: { ...env, ALIBABA_CLOUD_TIMEOUT_MS: '60000' } });
      assert.equal(c.endpointOverride, server.url);
      assert.equal((await c.sts.getCallerIdentity()).AccountId, '42');
      const sent = new URLSearchParams(server.requests[0].body.toString());
      assert.equal(sent.get('AccessKeyId'), TEST_CREDENTIALS.accessKeyId);
      assert.equal(sent.get('SecurityToken'), TEST_CREDENTIALS.securityToken);
      const impatient = createCloudClients({ env: { ...env, ALIBABA_CLOUD_TIMEOUT_MS: '120' } });
      await assert.rejects(impatient.vpc.describeVpcs({ RegionId: 'cn-shanghai' }), /no answer within 120 ms/);
    } finally {
      await server.close();
    }
  });

  it('looks the account id up once with STS and retries the look-up after a failure', async () => {
    let calls = 0;
    const server = await startFakeServer(() => {
      calls += 1;
      return calls === 1
        ? { status: 503, json: { Code: 'ServiceUnavailable', Message: 'try later', RequestId: 'r1' } }
        : { json: { RequestId: 'r2', AccountId: '5555555555555555' } };
    });
    try {
      const c = createCloudClients({ endpoint: server.url, credentials: TEST_CREDENTIALS, env: {} });
      await assert.rejects(c.accountId(), /ServiceUnavailable/);
      assert.equal(await c.accountId(), '5555555555555555');
      assert.equal(await c.accountId(), '5555555555555555');
      assert.equal(calls, 2);
    } finally {
      await server.close();
    }
  });
});

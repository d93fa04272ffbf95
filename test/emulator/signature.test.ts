import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle } from '../../emulator';
import { testProducts } from './core-fixtures';
import { isoSeconds, roaRequest, rpcV1, send, signRpcV1, v3Request } from './core-signers';

describe('emulator signatures', () => {
  let emu: EmulatorHandle;
  before(async () => {
    emu = await startEmulator({ port: 0, products: testProducts });
  });
  after(() => emu.close());

  describe('RPC V1 (HMAC-SHA1)', () => {
    it('accepts a correctly signed POST form body and GET query', async () => {
      for (const method of ['POST', 'GET'] as const) {
        const res = await rpcV1(emu.url, method, {
          Action: 'Echo',
          Version: '2016-04-28',
          RegionId: 'cn-beijing',
          Name: "a b!'()*~",
        });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.json.Params, { RegionId: 'cn-beijing', Name: "a b!'()*~" });
        assert.equal(res.json.Region, 'cn-beijing');
        assert.match(String(res.json.RequestId), /^[0-9A-F-]{36}$/);
      }
    });

    it('answers SignatureDoesNotMatch with the string to sign for a wrong secret', async () => {
      const res = await rpcV1(emu.url, 'POST', { Action: 'Echo', Version: '2016-04-28' }, { secret: 'wrong' });
      assert.equal(res.status, 400);
      assert.equal(res.json.Code, 'SignatureDoesNotMatch');
      assert.match(String(res.json.Message), /server string to sign is:POST&%2F&AccessKeyId%3D/);
      assert.ok(res.json.RequestId && res.json.HostId);
      assert.doesNotMatch(res.text, /emulator-secret/);
    });

    it('rejects a parameter changed after signing', async () => {
      const signed = signRpcV1('POST', { Action: 'Echo', Version: '2016-04-28', Name: 'x' });
      signed.Name = 'y';
      const body = new URLSearchParams(signed).toString();
      const res = await send(emu.url, {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      assert.equal(res.json.Code, 'SignatureDoesNotMatch');
    });

    it('answers InvalidAccessKeyId.NotFound (404) for an unknown key', async () => {
      const res = await rpcV1(
        emu.url,
        'POST',
        { Action: 'Echo', Version: '2016-04-28' },
        { accessKeyId: 'LTAIunknown' },
      );
      assert.equal(res.status, 404);
      assert.equal(res.json.Code, 'InvalidAccessKeyId.NotFound');
    });

    it('answers InvalidTimeStamp.Expired beyond 15 minutes of skew and .Format for garbage', async () => {
      const stale = await rpcV1(
        emu.url,
        'GET',
        { Action: 'Echo', Version: '2016-04-28' },
        { timestamp: isoSeconds(Date.now() - 16 * 60_000) },
      );
      assert.equal(stale.status, 400);
      assert.equal(stale.json.Code, 'InvalidTimeStamp.Expired');
      const future = await rpcV1(
        emu.url,
        'GET',
        { Action: 'Echo', Version: '2016-04-28' },
        { timestamp: isoSeconds(Date.now() + 16 * 60_000) },
      );
      assert.equal(future.json.Code, 'InvalidTimeStamp.Expired');
      const garbage = await rpcV1(
        emu.url,
        'GET',
        { Action: 'Echo', Version: '2016-04-28' },
        { timestamp: 'yesterday' },
      );
      assert.equal(garbage.json.Code, 'InvalidTimeStamp.Format');
    });

    it('answers SignatureNonceUsed when a nonce comes back', async () => {
      const first = await rpcV1(emu.url, 'POST', { Action: 'Echo', Version: '2016-04-28' }, { nonce: 'nonce-reuse-1' });
      assert.equal(first.status, 200);
      const again = await rpcV1(emu.url, 'POST', { Action: 'Echo', Version: '2016-04-28' }, { nonce: 'nonce-reuse-1' });
      assert.equal(again.status, 400);
      assert.equal(again.json.Code, 'SignatureNonceUsed');
    });

    it('does not burn a nonce on a request whose signature fails', async () => {
      await rpcV1(
        emu.url,
        'POST',
        { Action: 'Echo', Version: '2016-04-28' },
        { nonce: 'nonce-bad-sig', secret: 'wrong' },
      );
      const ok = await rpcV1(emu.url, 'POST', { Action: 'Echo', Version: '2016-04-28' }, { nonce: 'nonce-bad-sig' });
      assert.equal(ok.status, 200, ok.text);
    });

    it('names missing protocol parameters and rejects other signature methods', async () => {
      const unsigned = await send(emu.url, { method: 'GET', path: '/?Action=Echo&Version=2016-04-28' });
      assert.equal(unsigned.status, 400);
      assert.equal(unsigned.json.Code, 'MissingAccessKeyId');
      const sha256 = await rpcV1(
        emu.url,
        'GET',
        { Action: 'Echo', Version: '2016-04-28' },
        { extra: { SignatureMethod: 'HMAC-SHA256' } },
      );
      assert.equal(sha256.json.Code, 'InvalidSignatureMethod');
    });

    it('rejects duplicate keys in the query', async () => {
      const signed = signRpcV1('GET', { Action: 'Echo', Version: '2016-04-28' });
      const qs = new URLSearchParams(signed).toString();
      const res = await send(emu.url, { method: 'GET', path: `/?${qs}&Name=a&Name=b` });
      assert.equal(res.status, 400);
      assert.equal(res.json.Code, 'InvalidParameter');
      assert.match(String(res.json.Message), /"Name" appears more than once/);
    });
  });

  describe('V3 (ACS3-HMAC-SHA256)', () => {
    const rpcHeaders = { 'x-acs-action': 'Echo', 'x-acs-version': '2016-04-28' };

    it('accepts a signed RPC call with params in the query', async () => {
      const res = await v3Request(emu.url, {
        method: 'POST',
        path: '/',
        query: { RegionId: 'cn-hangzhou', Name: 'x y' },
        headers: rpcHeaders,
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.Params, { RegionId: 'cn-hangzhou', Name: 'x y' });
    });

    it('rejects a wrong secret, a tampered body and an unsigned Host', async () => {
      const wrong = await v3Request(emu.url, { method: 'POST', path: '/', headers: rpcHeaders, secret: 'nope' });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.json.Code, 'SignatureDoesNotMatch');
      const tampered = await v3Request(emu.url, {
        method: 'POST',
        path: '/',
        headers: { ...rpcHeaders, 'content-type': 'application/json' },
        body: '{"a":1}',
        tamperBody: '{"a":2}',
      });
      assert.equal(tampered.json.Code, 'SignatureDoesNotMatch');
      assert.match(String(tampered.json.Message), /x-acs-content-sha256/);
    });

    it('checks x-acs-date skew and nonce reuse', async () => {
      const stale = await v3Request(emu.url, {
        method: 'POST',
        path: '/',
        headers: rpcHeaders,
        date: isoSeconds(Date.now() - 20 * 60_000),
      });
      assert.equal(stale.json.Code, 'InvalidTimeStamp.Expired');
      await v3Request(emu.url, { method: 'POST', path: '/', headers: rpcHeaders, nonce: 'v3-nonce' });
      const again = await v3Request(emu.url, { method: 'POST', path: '/', headers: rpcHeaders, nonce: 'v3-nonce' });
      assert.equal(again.json.Code, 'SignatureNonceUsed');
    });

    it('answers InvalidAccessKeyId.NotFound (404) for an unknown key', async () => {
      const res = await v3Request(emu.url, {
        method: 'POST',
        path: '/',
        headers: rpcHeaders,
        accessKeyId: 'LTAI5tSomebodyElse',
      });
      assert.deepEqual([res.status, res.json.Code], [404, 'InvalidAccessKeyId.NotFound']);
    });

    it('signs ROA paths too (official FC SDK style)', async () => {
      const res = await v3Request(emu.url, {
        method: 'GET',
        path: '/2023-03-30/functions/my-fn',
        query: { qualifier: 'LATEST' },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.functionName, 'my-fn');
      assert.deepEqual(res.json.query, { qualifier: 'LATEST' });
    });
  });

  describe('ROA (acs AK:sig)', () => {
    it('accepts a signed FC call; the region and account come from the FC endpoint in Host', async () => {
      const res = await roaRequest(emu.url, {
        method: 'GET',
        path: '/2023-03-30/functions/fn1',
        host: '1234567890123456.cn-zhangjiakou.fc.aliyuncs.com',
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.region, 'cn-zhangjiakou');
      assert.equal(res.json.accountId, '1234567890123456');
      assert.ok(res.headers['x-acs-request-id']);
    });

    it('falls back to the default region without an FC Host', async () => {
      const res = await roaRequest(emu.url, { method: 'GET', path: '/2023-03-30/functions/fn1' });
      assert.equal(res.json.region, 'cn-shanghai');
    });

    it('rejects a wrong secret, a content-md5 that does not match and a stale date', async () => {
      const wrong = await roaRequest(emu.url, {
        method: 'POST',
        path: '/2023-03-30/functions',
        body: '{}',
        secret: 'nope',
      });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.json.Code, 'SignatureDoesNotMatch');
      const md5 = await roaRequest(emu.url, {
        method: 'POST',
        path: '/2023-03-30/functions',
        body: '{}',
        md5: 'AAAAAAAAAAAAAAAAAAAAAA==',
      });
      assert.equal(md5.json.Code, 'InvalidDigest');
      const stale = await roaRequest(emu.url, {
        method: 'GET',
        path: '/2023-03-30/functions/x',
        date: new Date(Date.now() - 3_600_000).toUTCString(),
      });
      assert.equal(stale.json.Code, 'InvalidTimeStamp.Expired');
    });

    it('answers InvalidAccessKeyId.NotFound (404) for an unknown key and SignatureNonceUsed for a reused nonce', async () => {
      const unknown = await roaRequest(emu.url, {
        method: 'GET',
        path: '/2023-03-30/functions/x',
        accessKeyId: 'LTAI5tSomebodyElse',
      });
      assert.deepEqual([unknown.status, unknown.json.Code], [404, 'InvalidAccessKeyId.NotFound']);
      const first = await roaRequest(emu.url, { method: 'GET', path: '/2023-03-30/functions/x', nonce: 'roa-nonce' });
      assert.equal(first.status, 200, first.text);
      const again = await roaRequest(emu.url, { method: 'GET', path: '/2023-03-30/functions/x', nonce: 'roa-nonce' });
      assert.deepEqual([again.status, again.json.Code], [400, 'SignatureNonceUsed']);
    });
  });

  describe('security token', () => {
    it('requires exactly the configured token when one is configured', async () => {
      const sts = await startEmulator({ port: 0, products: testProducts, securityToken: 'sts-token-1' });
      try {
        const withToken = await rpcV1(
          sts.url,
          'POST',
          { Action: 'Echo', Version: '2016-04-28' },
          { extra: { SecurityToken: 'sts-token-1' } },
        );
        assert.equal(withToken.status, 200, withToken.text);
        assert.equal((withToken.json.Params as Record<string, string>).SecurityToken, undefined);
        const without = await rpcV1(sts.url, 'POST', { Action: 'Echo', Version: '2016-04-28' });
        assert.equal(without.json.Code, 'MissingSecurityToken');
        const wrong = await v3Request(sts.url, {
          method: 'POST',
          path: '/',
          headers: { 'x-acs-action': 'Echo', 'x-acs-version': '2016-04-28', 'x-acs-security-token': 'other' },
        });
        assert.equal(wrong.json.Code, 'InvalidSecurityToken.MismatchWithAccessKey');
        const roa = await roaRequest(sts.url, {
          method: 'GET',
          path: '/2023-03-30/functions/f',
          headers: { 'x-acs-security-token': 'sts-token-1', 'x-acs-accesskey-id': 'LTAI5tEmulatorAccessKey' },
        });
        assert.equal(roa.status, 200, roa.text);
      } finally {
        await sts.close();
      }
    });
  });
});

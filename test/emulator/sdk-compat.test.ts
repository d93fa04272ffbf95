/**
 * Real Alibaba Cloud clients against the emulator: pop-core (RPC V1 POST/GET, ROA) and the official
 * SDKs, which sign with V3 ACS3-HMAC-SHA256. Products are the core's test stand-ins plus real RAM/STS,
 * so this suite checks the wire and signing, not the other product models.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import OpenApiClient, * as $OpenApi from '@alicloud/openapi-client';
import CloudApi, * as $CloudApi from '@alicloud/cloudapi20160714';
import Fc, * as $Fc from '@alicloud/fc20230330';
import Ram, * as $Ram from '@alicloud/ram20150501';
import Vpc, * as $Vpc from '@alicloud/vpc20160428';
import * as $Util from '@alicloud/tea-util';
import { startEmulator, type EmulatorHandle } from '../../emulator';
import { lastCloudApiParams, lastRoaCall, testProducts } from './core-fixtures';
import { AK, SECRET } from './core-signers';

// pop-core ships without types; the shapes used here are its documented API.
interface PopRpc {
  request(
    action: string,
    params: Record<string, unknown>,
    opts: { method: string; timeout?: number },
  ): Promise<Record<string, unknown>>;
}
interface PopRoa {
  request(
    method: string,
    path: string,
    query?: Record<string, string>,
    body?: string,
    headers?: Record<string, string>,
    opts?: { timeout?: number },
  ): Promise<unknown>;
}
const { RPCClient, ROAClient } = require('@alicloud/pop-core') as {
  RPCClient: new (c: Record<string, unknown>) => PopRpc;
  ROAClient: new (c: Record<string, unknown>) => PopRoa;
};

const TRUST = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['fc.aliyuncs.com'] } }],
});

describe('SDK compatibility', () => {
  let emu: EmulatorHandle;
  let endpoint: string;
  before(async () => {
    emu = await startEmulator({ port: 0, products: testProducts, regionPorts: { 'cn-zhangjiakou': 0 } });
    endpoint = `${emu.host}:${emu.port}`;
  });
  after(() => emu.close());

  const officialConfig = (regionId = 'cn-shanghai') =>
    new $OpenApiUtil.Config({ accessKeyId: AK, accessKeySecret: SECRET, endpoint, protocol: 'http', regionId });

  describe('@alicloud/pop-core', () => {
    it('RPC POST and GET (V1 signatures)', async () => {
      const client = new RPCClient({
        accessKeyId: AK,
        accessKeySecret: SECRET,
        endpoint: emu.url,
        apiVersion: '2016-04-28',
      });
      // 'post' (lower case) signs as POST but sends the parameters in the query.
      for (const method of ['POST', 'GET', 'post']) {
        const res = await client.request('Echo', { RegionId: 'cn-beijing', Tag: 'a/b c' }, { method, timeout: 10_000 });
        assert.equal(res.Region, 'cn-beijing');
        assert.deepEqual({ ...(res.Params as object) }, { RegionId: 'cn-beijing', Tag: 'a/b c' });
      }
    });

    it('RPC errors reach the caller with code and RequestId', async () => {
      const client = new RPCClient({
        accessKeyId: AK,
        accessKeySecret: 'wrong',
        endpoint: emu.url,
        apiVersion: '2015-04-01',
      });
      await assert.rejects(
        client.request('GetCallerIdentity', {}, { method: 'POST' }),
        (err: { code?: string; data?: { RequestId?: string } }) => {
          assert.equal(err.code, 'SignatureDoesNotMatch');
          assert.ok(err.data?.RequestId);
          return true;
        },
      );
    });

    it('STS GetCallerIdentity and RAM CreateRole', async () => {
      const sts = new RPCClient({
        accessKeyId: AK,
        accessKeySecret: SECRET,
        endpoint: emu.url,
        apiVersion: '2015-04-01',
      });
      const me = await sts.request('GetCallerIdentity', {}, { method: 'POST' });
      assert.equal(me.AccountId, emu.accountId);
      const ram = new RPCClient({
        accessKeyId: AK,
        accessKeySecret: SECRET,
        endpoint: emu.url,
        apiVersion: '2015-05-01',
      });
      const created = await ram.request(
        'CreateRole',
        { RoleName: 'pop-role', AssumeRolePolicyDocument: TRUST },
        { method: 'POST' },
      );
      assert.equal((created.Role as Record<string, unknown>).RoleName, 'pop-role');
    });

    it('ROA (FC path, acs signature, content-md5)', async () => {
      const client = new ROAClient({
        accessKeyId: AK,
        accessKeySecret: SECRET,
        endpoint: emu.url,
        apiVersion: '2023-03-30',
      });
      const got = (await client.request(
        'GET',
        '/2023-03-30/functions/f1',
        { qualifier: 'LATEST', 'x y': 'a/b' },
        '',
        {},
        { timeout: 10_000 },
      )) as Record<string, unknown>;
      assert.equal(got.functionName, 'f1');
      assert.deepEqual({ ...(got.query as object) }, { qualifier: 'LATEST', 'x y': 'a/b' });
      const created = (await client.request(
        'POST',
        '/2023-03-30/functions',
        {},
        JSON.stringify({ functionName: 'f2' }),
        {
          'content-type': 'application/json',
        },
      )) as Record<string, unknown>;
      assert.deepEqual({ ...(created.received as object) }, { functionName: 'f2' });
    });
  });

  describe('official SDKs (V3 ACS3-HMAC-SHA256)', () => {
    it('@alicloud/vpc20160428 DescribeVpcs', async () => {
      const vpc = new Vpc(officialConfig());
      const res = await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: 'cn-shanghai', pageSize: 20 }));
      assert.equal(res.statusCode, 200);
      assert.equal(res.body?.pageSize, 20);
      assert.deepEqual(res.body?.vpcs?.vpc, []);
      assert.ok(res.body?.requestId);
    });

    it('@alicloud/ram20150501 CreateRole, GetRole and a typed error', async () => {
      const ram = new Ram(officialConfig());
      const created = await ram.createRole(
        new $Ram.CreateRoleRequest({ roleName: 'sdk-role', assumeRolePolicyDocument: TRUST, description: 'd' }),
      );
      assert.equal(created.body?.role?.roleName, 'sdk-role');
      assert.equal(created.body?.role?.arn, `acs:ram::${emu.accountId}:role/sdk-role`);
      const got = await ram.getRole(new $Ram.GetRoleRequest({ roleName: 'sdk-role' }));
      assert.equal(got.body?.role?.description, 'd');
      await assert.rejects(
        ram.getRole(new $Ram.GetRoleRequest({ roleName: 'nobody' })),
        (err: { code?: string; statusCode?: number }) => {
          assert.equal(err.code, 'EntityNotExist.Role');
          assert.equal(err.statusCode, 404);
          return true;
        },
      );
    });

    it('@alicloud/ram20150501 with a wrong secret gets SignatureDoesNotMatch', async () => {
      const ram = new Ram(
        new $OpenApiUtil.Config({ accessKeyId: AK, accessKeySecret: 'wrong', endpoint, protocol: 'http' }),
      );
      await assert.rejects(ram.listRoles(new $Ram.ListRolesRequest({})), (err: { code?: string }) => {
        assert.equal(err.code, 'SignatureDoesNotMatch');
        return true;
      });
    });

    it('@alicloud/fc20230330 GetFunction (region falls back to the default) and a streamed invocation', async () => {
      const fc = new Fc(officialConfig('cn-zhangjiakou'));
      const got = await fc.getFunction('sdk-fn', new $Fc.GetFunctionRequest({ qualifier: 'LATEST' }));
      assert.equal(got.statusCode, 200);
      assert.equal(got.body?.functionName, 'sdk-fn');
      const invoked = await fc.invokeFunction(
        'sdk-fn',
        new $Fc.InvokeFunctionRequest({ body: Readable.from([Buffer.from('ping')]) }),
      );
      const chunks: Buffer[] = [];
      for await (const chunk of invoked.body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
      assert.equal(Buffer.concat(chunks).toString(), 'echo:ping');
    });

    it('@alicloud/cloudapi20160714 CreateApi (query plus signed form body)', async () => {
      const cloudapi = new CloudApi(officialConfig());
      const res = await cloudapi.createApi(
        new $CloudApi.CreateApiRequest({
          groupId: 'g1',
          apiName: 'web',
          visibility: 'PRIVATE',
          authType: 'ANONYMOUS',
          requestConfig: JSON.stringify({ RequestPath: '/web/cloudapi' }),
          serviceConfig: JSON.stringify({ ServiceVpcEnable: 'TRUE' }),
          requestParameters: '[]',
        }),
      );
      assert.equal(res.statusCode, 200);
      assert.equal(res.body?.apiId, 'echo');
      const seen = lastCloudApiParams.value ?? {};
      assert.equal(seen.GroupId, 'g1');
      assert.equal(seen.RequestParameters, '[]');
      assert.equal(seen.ServiceConfig, JSON.stringify({ ServiceVpcEnable: 'TRUE' }));
    });

    it('@alicloud/fc20230330 reaches another region through a region listener (regionPorts)', async () => {
      const regionEndpoint = new URL(emu.regionUrls['cn-zhangjiakou']).host;
      const fc = new Fc(
        new $OpenApiUtil.Config({
          accessKeyId: AK,
          accessKeySecret: SECRET,
          endpoint: regionEndpoint,
          protocol: 'http',
        }),
      );
      const got = await fc.getFunction('far-fn', new $Fc.GetFunctionRequest({}));
      assert.equal(got.body?.functionName, 'far-fn');
      assert.deepEqual({ ...lastRoaCall }, { region: 'cn-zhangjiakou', accountId: emu.accountId });
      await fc.getFunction('near-fn', new $Fc.GetFunctionRequest({}));
      assert.equal(lastRoaCall.region, 'cn-zhangjiakou');
      await new Fc(officialConfig()).getFunction('near-fn', new $Fc.GetFunctionRequest({}));
      assert.equal(lastRoaCall.region, 'cn-shanghai');
    });

    it('@alicloud/openapi-client generic callApi (RPC, V3)', async () => {
      const client = new OpenApiClient(
        new $OpenApi.Config({
          accessKeyId: AK,
          accessKeySecret: SECRET,
          endpoint,
          protocol: 'http',
          regionId: 'cn-shanghai',
        }),
      );
      const params = new $OpenApi.Params({
        action: 'GetCallerIdentity',
        version: '2015-04-01',
        protocol: 'HTTP',
        pathname: '/',
        method: 'POST',
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      });
      const res = (await client.callApi(params, new $OpenApi.OpenApiRequest({}), new $Util.RuntimeOptions({}))) as {
        body: Record<string, unknown>;
      };
      assert.equal(res.body.AccountId, emu.accountId);
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import CloudApi, * as $CloudApi from '@alicloud/cloudapi20160714';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import RPCClient from '@alicloud/pop-core';
import { startEmulator } from '../../emulator';
import type { EmulatorHandle, ProductName } from '../../emulator';

/** CloudAPI 2016-07-14 over HTTP with pop-core, as the runbook drives it. */

const REGION = 'cn-shanghai';
let emu: EmulatorHandle;
let client: RPCClient;

before(async () => {
  // A frozen clock: only advanceClock moves time, so a short-lived state (CREATING, MODIFYING, DELETING)
  // is still there when the next call arrives however slow the machine is.
  const frozen = Date.now();
  emu = await startEmulator({ port: 0, clock: () => frozen });
  client = new RPCClient({
    endpoint: emu.url,
    apiVersion: '2016-07-14',
    accessKeyId: 'LTAI5tEmulatorAccessKey',
    accessKeySecret: 'emulator-secret-do-not-use-in-production',
  });
});
after(() => emu.close());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function call(action: string, params: Record<string, string | number | boolean> = {}): Promise<Json> {
  return client.request<Json>(action, { RegionId: REGION, ...params }, { method: 'POST', timeout: 10_000 });
}

async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: { code?: string; message?: string }) => {
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    if (message) assert.match(error.message ?? '', message);
    return true;
  });
}

/** Network records owned by the VPC/ECS products, inserted directly: this suite is about the gateway. */
function insertNetwork(product: ProductName, type: string, id: string, status: string, attrs: Record<string, unknown>) {
  emu.store.insert({ product, type, id, region: REGION, status, attrs });
}

const requestConfig = JSON.stringify({
  RequestProtocol: 'HTTP',
  RequestHttpMethod: 'GET',
  RequestPath: '/web/cloudapi',
  RequestMode: 'PASSTHROUGH',
});
const serviceConfig = (name: string) =>
  JSON.stringify({
    ServiceProtocol: 'HTTP',
    ServiceHttpMethod: 'GET',
    ServicePath: '/web/cloudapi',
    ServiceTimeout: 10000,
    ServiceVpcEnable: 'TRUE',
    VpcConfig: { Name: name },
  });

describe('CloudAPI', () => {
  let instanceId = '';
  let groupId = '';
  let apiId = '';

  it('DescribeZones lists the region zones; an unknown region is refused', async () => {
    const zones = (await call('DescribeZones')).Zones.Zone as Json[];
    assert.ok(zones.length > 0);
    assert.ok(zones.every((z) => String(z.ZoneId).startsWith(REGION)));
    await rejectsWith(call('DescribeZones', { RegionId: 'xx-nowhere-1' }), 'InvalidRegionId');
  });

  it('CreateInstance validates, is idempotent by Token and goes CREATING → RUNNING', async () => {
    const base = {
      InstanceName: 'gw',
      InstanceSpec: 'api.s1.small',
      ChargeType: 'PostPaid',
      HttpsPolicy: 'HTTPS2_TLS1_0',
    };
    await rejectsWith(call('CreateInstance', { ...base, InstanceName: '', Token: 't0' }), 'MissingInstanceName');
    await rejectsWith(
      call('CreateInstance', { ...base, InstanceSpec: 'api.shared', Token: 't0' }),
      'InvalidInstanceSpec',
      /dedicated/,
    );
    await rejectsWith(call('CreateInstance', { ...base, ChargeType: 'Monthly', Token: 't0' }), 'InvalidChargeType');
    await rejectsWith(call('CreateInstance', base), 'MissingToken');
    const first = await call('CreateInstance', { ...base, Token: 'token-1' });
    const again = await call('CreateInstance', { ...base, Token: 'token-1' });
    assert.equal(again.InstanceId, first.InstanceId);
    instanceId = first.InstanceId as string;
    assert.match(instanceId, /^apigateway-sh-[0-9a-f]{12}$/);

    const listed = (await call('DescribeInstances')).Instances.InstanceAttribute as Json[];
    assert.equal(listed.length, 1, 'a repeated Token creates nothing new');
    const created = listed[0] as Json;
    assert.equal(created.Status, 'CREATING');
    assert.equal(created.InstanceType, 'VPC_DEDICATED');
    assert.match(created.VpcEgressAddress, /^100\.104\.\d+\.\d+\/26$/);
    assert.equal(created.VpcIntranetEnable, false);

    await rejectsWith(
      call('CreateApiGroup', { GroupName: 'early_group', InstanceId: instanceId }),
      'IncorrectInstanceStatus',
    );
    emu.advanceClock(60_000);
    const running = (await call('DescribeInstances', { InstanceId: instanceId })).Instances
      .InstanceAttribute[0] as Json;
    assert.equal(running.Status, 'RUNNING');

    const other = await call('CreateInstance', { ...base, Token: 'token-2' });
    const both = (await call('DescribeInstances')).Instances.InstanceAttribute as Json[];
    const egress = new Set(both.map((i) => i.VpcEgressAddress));
    assert.equal(egress.size, 2, 'each instance has its own egress CIDR');
    emu.advanceClock(60_000);
    await call('DeleteInstance', { InstanceId: other.InstanceId as string });
  });

  it('DescribeInstances answers an empty list for an unknown id, and filters by type', async () => {
    const answer = await call('DescribeInstances', { InstanceId: 'apigateway-sh-000000000000' });
    assert.deepEqual(answer.Instances.InstanceAttribute, []);
    assert.equal(answer.TotalCount, 0);
    assert.equal((await call('DescribeInstances', { InstanceType: 'VPC_SHARED' })).TotalCount, 0);
    assert.ok((await call('DescribeInstances', { InstanceType: 'VPC_DEDICATED' })).TotalCount >= 1);
  });

  it('ModifyInstanceVpcAttributeForConsole binds and unbinds through MODIFYING', async () => {
    insertNetwork('vpc', 'Vpc', 'vpc-access1', 'Available', { cidrBlock: '10.0.0.0/16' });
    insertNetwork('vpc', 'VSwitch', 'vsw-access1', 'Available', { vpcId: 'vpc-access1', zoneId: `${REGION}-b` });
    insertNetwork('vpc', 'Vpc', 'vpc-other', 'Available', { cidrBlock: '10.1.0.0/16' });
    await rejectsWith(
      call('ModifyInstanceVpcAttributeForConsole', { InstanceId: instanceId, VpcId: 'vpc-nope' }),
      'NotFoundVpc',
    );
    await rejectsWith(
      call('ModifyInstanceVpcAttributeForConsole', {
        InstanceId: instanceId,
        VpcId: 'vpc-other',
        VswitchId: 'vsw-access1',
      }),
      'InvalidVswitchId',
    );
    await rejectsWith(
      call('ModifyInstanceVpcAttributeForConsole', { InstanceId: 'apigateway-sh-000000000000', VpcId: 'vpc-access1' }),
      'NotFoundInstance',
    );
    const bind = {
      InstanceId: instanceId,
      VpcId: 'vpc-access1',
      VswitchId: 'vsw-access1',
      VpcOwnerId: emu.accountId,
      Token: 'bind-1',
    };
    await call('ModifyInstanceVpcAttributeForConsole', bind);
    await call('ModifyInstanceVpcAttributeForConsole', bind); // same Token: the first answer, no second change
    let instance = (await call('DescribeInstances', { InstanceId: instanceId })).Instances.InstanceAttribute[0] as Json;
    assert.equal(instance.Status, 'MODIFYING');
    await rejectsWith(
      call('ModifyInstanceVpcAttributeForConsole', { ...bind, Token: 'bind-2' }),
      'IncorrectInstanceStatus',
    );
    emu.advanceClock(60_000);
    instance = (await call('DescribeInstances', { InstanceId: instanceId })).Instances.InstanceAttribute[0] as Json;
    assert.equal(instance.Status, 'RUNNING');
    assert.equal(instance.VpcIntranetEnable, true);
    assert.equal(instance.UserVpcId, 'vpc-access1');
    assert.equal(String(instance.VpcOwnerId), emu.accountId); // pop-core parses big numbers as BigNumber

    const unbind = { InstanceId: instanceId, DeleteVpcAccess: true };
    await rejectsWith(call('ModifyInstanceVpcAttributeForConsole', { ...unbind, VpcId: 'vpc-other' }), 'InvalidVpcId');
    await call('ModifyInstanceVpcAttributeForConsole', { ...unbind, VpcId: 'vpc-access1' });
    emu.advanceClock(60_000);
    instance = (await call('DescribeInstances', { InstanceId: instanceId })).Instances.InstanceAttribute[0] as Json;
    assert.equal(instance.VpcIntranetEnable, false);
    assert.equal(instance.UserVpcId, '');
  });

  it('CreateApiGroup / DescribeApiGroup(s) and the domain policies', async () => {
    await rejectsWith(call('CreateApiGroup', { InstanceId: instanceId }), 'MissingGroupName');
    await rejectsWith(call('CreateApiGroup', { GroupName: 'bad name!', InstanceId: instanceId }), 'InvalidGroupName');
    await rejectsWith(call('CreateApiGroup', { GroupName: 'fc_access' }), 'InvalidInstanceId', /dedicated/);
    await rejectsWith(
      call('CreateApiGroup', { GroupName: 'fc_access', InstanceId: 'apigateway-sh-000000000000' }),
      'NotFoundInstance',
    );
    const group = await call('CreateApiGroup', {
      GroupName: 'fc_access',
      InstanceId: instanceId,
      Description: 'runbook',
    });
    groupId = group.GroupId as string;
    assert.match(groupId, /^[0-9a-f]{32}$/);
    assert.equal(group.SubDomain, `${groupId}-${REGION}.alicloudapi.com`);
    assert.equal(group.InstanceType, 'VPC_DEDICATED');
    await rejectsWith(call('CreateApiGroup', { GroupName: 'fc_access', InstanceId: instanceId }), 'RepeatedGroupName');

    await rejectsWith(call('DescribeApiGroup', { GroupId: '0'.repeat(32) }), 'NotFoundApiGroup');
    let described = await call('DescribeApiGroup', { GroupId: groupId });
    assert.equal(described.VpcDomain, '');
    assert.equal(described.DisableInnerDomain, false);
    const found = await call('DescribeApiGroups', { GroupName: 'fc_acc' });
    assert.deepEqual(
      (found.ApiGroupAttributes.ApiGroupAttribute as Json[]).map((g) => g.GroupId),
      [groupId],
    );
    assert.equal((await call('DescribeApiGroups', { GroupName: 'nothing' })).TotalCount, 0);

    await rejectsWith(call('ModifyIntranetDomainPolicy', { GroupId: groupId }), 'MissingVpcIntranetEnable');
    await rejectsWith(
      call('ModifyIntranetDomainPolicy', { GroupId: groupId, VpcIntranetEnable: 'yes' }),
      'InvalidVpcIntranetEnable',
    );
    await call('ModifyIntranetDomainPolicy', { GroupId: groupId, VpcIntranetEnable: true });
    await rejectsWith(call('ModifyApiGroupNetworkPolicy', { GroupId: groupId }), 'MissingInternetEnable');
    await call('ModifyApiGroupNetworkPolicy', { GroupId: groupId, InternetEnable: false });
    described = await call('DescribeApiGroup', { GroupId: groupId });
    assert.equal(described.VpcDomain, `${groupId}-${REGION}-vpc.alicloudapi.com`);
    assert.equal(described.DisableInnerDomain, true);
  });

  it('SetVpcAccess / DescribeVpcAccesses validate the ECS instance and the VPC', async () => {
    insertNetwork('vpc', 'Vpc', 'vpc-backend1', 'Available', { cidrBlock: '172.16.0.0/16' });
    insertNetwork('ecs', 'EcsInstance', 'i-backend1', 'Running', { vpcId: 'vpc-backend1', securityGroupIds: [] });
    const access = { Name: 'backend_8080', VpcId: 'vpc-backend1', InstanceId: 'i-backend1', Port: 8080 };
    await rejectsWith(call('SetVpcAccess', { ...access, Port: 70000 }), 'InvalidPort');
    await rejectsWith(call('SetVpcAccess', { ...access, VpcId: 'vpc-nope' }), 'NotFoundVpc');
    await rejectsWith(
      call('SetVpcAccess', { ...access, VpcId: 'vpc-access1' }),
      'InvalidInstanceId',
      /not in vpc-access1/,
    );
    await rejectsWith(call('SetVpcAccess', { ...access, InstanceId: 'i-nope' }), 'InvalidInstanceId');
    const created = await call('SetVpcAccess', access);
    assert.match(created.VpcAccessId, /^[0-9a-f]{32}$/);
    await rejectsWith(call('SetVpcAccess', access), 'RepeatedVpcAccessName');
    const listed = await call('DescribeVpcAccesses', { VpcId: 'vpc-backend1' });
    const item = listed.VpcAccessAttributes.VpcAccessAttribute[0] as Json;
    assert.deepEqual(
      { Name: item.Name, InstanceId: item.InstanceId, Port: item.Port, VpcAccessId: item.VpcAccessId },
      { Name: 'backend_8080', InstanceId: 'i-backend1', Port: 8080, VpcAccessId: created.VpcAccessId },
    );
    assert.equal((await call('DescribeVpcAccesses', { Name: 'backend', AccurateQuery: true })).TotalCount, 0);
  });

  it('CreateApi validates its JSON configs and names', async () => {
    const api = {
      GroupId: groupId,
      ApiName: 'web_cloudapi',
      Visibility: 'PRIVATE',
      AuthType: 'ANONYMOUS',
      RequestConfig: requestConfig,
      ServiceConfig: serviceConfig('backend_8080'),
      ResultType: 'JSON',
    };
    await rejectsWith(call('CreateApi', { ...api, RequestConfig: '{not json' }), 'InvalidFormatRequestConfig');
    await rejectsWith(
      call('CreateApi', {
        ...api,
        RequestConfig: JSON.stringify({ RequestProtocol: 'HTTP', RequestHttpMethod: 'GET' }),
      }),
      'InvalidRequestConfig',
      /RequestPath/,
    );
    await rejectsWith(call('CreateApi', { ...api, ServiceConfig: serviceConfig('nobody') }), 'NotFoundVpcAccess');
    await rejectsWith(call('CreateApi', { ...api, Visibility: 'SECRET' }), 'InvalidVisibility');
    await rejectsWith(call('CreateApi', { ...api, GroupId: '0'.repeat(32) }), 'NotFoundApiGroup');
    apiId = (await call('CreateApi', api)).ApiId as string;
    assert.match(apiId, /^[0-9a-f]{32}$/);
    await rejectsWith(call('CreateApi', api), 'RepeatedApiName');

    const summary = (await call('DescribeApis', { GroupId: groupId })).ApiSummarys.ApiSummary[0] as Json;
    assert.equal(summary.ApiName, 'web_cloudapi');
    const release = (summary.DeployedInfos.DeployedInfo as Json[]).find((d) => d.StageName === 'RELEASE');
    assert.equal(release?.DeployedStatus, 'NONDEPLOYED');
    const detail = await call('DescribeApi', { ApiId: apiId });
    assert.equal(detail.ServiceConfig.ServiceVpcEnable, 'TRUE');
    assert.deepEqual(
      { ...detail.ServiceConfig.VpcConfig },
      { Name: 'backend_8080', VpcId: 'vpc-backend1', InstanceId: 'i-backend1', Port: 8080, VpcScheme: 'HTTP' },
    );
    assert.equal(detail.RequestConfig.RequestPath, '/web/cloudapi');
    await rejectsWith(call('DescribeApi', { ApiId: '0'.repeat(32) }), 'NotFoundApi');
  });

  it('DeployApi / AbolishApi / deletes enforce the teardown order', async () => {
    await rejectsWith(call('DeployApi', { ApiId: apiId, StageName: 'RELEASE' }), 'MissingDescription');
    await rejectsWith(call('DeployApi', { ApiId: apiId, StageName: 'PROD', Description: 'x' }), 'InvalidStageName');
    await call('DeployApi', { GroupId: groupId, ApiId: apiId, StageName: 'RELEASE', Description: 'first release' });
    const deployed = (await call('DescribeApis', { GroupId: groupId, StageName: 'RELEASE' })).ApiSummarys
      .ApiSummary[0] as Json;
    const release = (deployed.DeployedInfos.DeployedInfo as Json[]).find((d) => d.StageName === 'RELEASE');
    assert.equal(release?.DeployedStatus, 'DEPLOYED');
    assert.match(String(release?.EffectiveVersion), /^\d{17}$/);

    await rejectsWith(
      call('DeleteApi', { GroupId: groupId, ApiId: apiId }),
      'DependencyViolation.Deployment',
      /AbolishApi/,
    );
    await rejectsWith(call('DeleteApiGroup', { GroupId: groupId }), 'DependencyViolation.Api');
    await rejectsWith(call('DeleteInstance', { InstanceId: instanceId }), 'DependencyViolation.ApiGroup');

    await rejectsWith(call('AbolishApi', { GroupId: groupId, ApiId: apiId }), 'MissingStageName');
    await rejectsWith(call('AbolishApi', { GroupId: groupId, ApiId: apiId, StageName: 'PROD' }), 'InvalidStageName');
    await rejectsWith(
      call('AbolishApi', { GroupId: groupId, ApiId: '0'.repeat(32), StageName: 'RELEASE' }),
      'NotFoundApi',
    );
    await call('AbolishApi', { GroupId: groupId, ApiId: apiId, StageName: 'RELEASE' });
    // Abolishing a stage the API is not deployed to changes nothing (a retried teardown step).
    await call('AbolishApi', { GroupId: groupId, ApiId: apiId, StageName: 'RELEASE' });
    await call('DeleteApi', { GroupId: groupId, ApiId: apiId });
    await rejectsWith(call('DeleteApi', { GroupId: groupId, ApiId: apiId }), 'NotFoundApi');
    const removed = await call('RemoveVpcAccess', { VpcId: 'vpc-backend1', InstanceId: 'i-backend1', Port: 8080 });
    assert.deepEqual(removed.Apis.Api, []);
    await rejectsWith(
      call('RemoveVpcAccess', { VpcId: 'vpc-backend1', InstanceId: 'i-backend1', Port: 8080 }),
      'NotFoundVpcAccess',
    );
    await call('DeleteApiGroup', { GroupId: groupId });
    await rejectsWith(call('DeleteApiGroup', { GroupId: groupId }), 'NotFoundApiGroup');
    await call('DeleteInstance', { InstanceId: instanceId });
    const deleting = (await call('DescribeInstances', { InstanceId: instanceId })).Instances
      .InstanceAttribute[0] as Json;
    assert.equal(deleting.Status, 'DELETING');
    await rejectsWith(call('DeleteInstance', { InstanceId: instanceId }), 'IncorrectInstanceStatus');
    emu.advanceClock(10 * 60_000);
    assert.equal((await call('DescribeInstances', { InstanceId: instanceId })).TotalCount, 0);
    await rejectsWith(call('DeleteInstance', { InstanceId: instanceId }), 'NotFoundInstance');
  });
});

describe('CloudAPI with the official SDK (V3 signatures)', () => {
  it('creates an instance, a group and an API and reads them back typed', async () => {
    const sdk = new CloudApi(
      new $OpenApiUtil.Config({
        accessKeyId: 'LTAI5tEmulatorAccessKey',
        accessKeySecret: 'emulator-secret-do-not-use-in-production',
        endpoint: `${emu.host}:${emu.port}`,
        protocol: 'http',
        regionId: REGION,
      }),
    );
    const created = await sdk.createInstance(
      new $CloudApi.CreateInstanceRequest({
        instanceName: 'sdk_gw',
        instanceSpec: 'api.s1.medium',
        chargeType: 'PostPaid',
        httpsPolicy: 'HTTPS2_TLS1_2',
        token: 'sdk-token',
      }),
    );
    const instanceId = created.body?.instanceId ?? '';
    emu.advanceClock(60_000);
    const described = await sdk.describeInstances(new $CloudApi.DescribeInstancesRequest({ instanceId }));
    const instance = described.body?.instances?.instanceAttribute?.[0];
    assert.equal(instance?.status, 'RUNNING');
    assert.equal(instance?.vpcOwnerId, Number(emu.accountId));
    assert.match(instance?.vpcEgressAddress ?? '', /\/26$/);

    const group = await sdk.createApiGroup(new $CloudApi.CreateApiGroupRequest({ groupName: 'sdk_group', instanceId }));
    const groupId = group.body?.groupId ?? '';
    await sdk.modifyIntranetDomainPolicy(
      new $CloudApi.ModifyIntranetDomainPolicyRequest({ groupId, vpcIntranetEnable: true }),
    );
    const read = await sdk.describeApiGroup(new $CloudApi.DescribeApiGroupRequest({ groupId }));
    assert.equal(read.body?.vpcDomain, `${groupId}-${REGION}-vpc.alicloudapi.com`);

    insertNetwork('vpc', 'Vpc', 'vpc-sdk', 'Available', { cidrBlock: '10.2.0.0/16' });
    insertNetwork('ecs', 'EcsInstance', 'i-sdk', 'Running', { vpcId: 'vpc-sdk', securityGroupIds: [] });
    await sdk.setVpcAccess(
      new $CloudApi.SetVpcAccessRequest({ name: 'sdk_access', vpcId: 'vpc-sdk', instanceId: 'i-sdk', port: 8080 }),
    );
    const api = await sdk.createApi(
      new $CloudApi.CreateApiRequest({
        groupId,
        apiName: 'sdk_api',
        visibility: 'PRIVATE',
        authType: 'ANONYMOUS',
        requestConfig,
        serviceConfig: serviceConfig('sdk_access'),
        resultType: 'JSON',
      }),
    );
    const apiId = api.body?.apiId ?? '';
    const detail = await sdk.describeApi(new $CloudApi.DescribeApiRequest({ apiId }));
    assert.equal(detail.body?.serviceConfig?.vpcConfig?.instanceId, 'i-sdk');
    assert.equal(detail.body?.serviceConfig?.vpcConfig?.port, 8080);
    await assert.rejects(
      sdk.describeApi(new $CloudApi.DescribeApiRequest({ apiId: '0'.repeat(32) })),
      (error: { code?: string }) => error.code === 'NotFoundApi',
    );
  });
});

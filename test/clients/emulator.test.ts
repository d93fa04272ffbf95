/**
 * The typed clients against the project's emulator (emulator/index.ts): real signatures, real
 * parameter encodings and response shapes, and the error classes the emulator answers with.
 */
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  AlibabaCloudError,
  createCloudClients,
  items,
  trustPolicyFor,
  type CloudClients,
} from '../../activities/cloud';
import { startEmulator, type EmulatorHandle } from '../../emulator';

const KEY = { accessKeyId: 'LTAI5tClientLayerTestKey', accessKeySecret: 'client-layer-test-secret-value' };
const REGION = 'cn-shanghai';

/** A one-file ZIP (stored, no compression), base64 — what FC's code.zipFile takes. */
function zipBase64(name: string, content: string): string {
  const data = Buffer.from(content);
  const fileName = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]).toString('base64');
}

async function failure(promise: Promise<unknown>): Promise<AlibabaCloudError> {
  const error = await promise.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AlibabaCloudError, `expected AlibabaCloudError, got ${String(error)}`);
  return error;
}

describe('typed clients against the emulator', () => {
  let emu: EmulatorHandle;
  let cloud: CloudClients;

  before(async () => {
    // A frozen clock: states change only when a test calls settle(), however slow the machine is.
    const frozen = Date.now();
    emu = await startEmulator({ port: 0, ...KEY, clock: () => frozen });
    cloud = createCloudClients({ endpoint: emu.url, credentials: KEY, timeoutMs: 60_000, env: {} });
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  /** Lets the emulator's asynchronous transitions (Pending → Available, ...) happen. */
  const settle = () => emu.advanceClock(600_000);

  async function availableVpc(name: string, cidr = '192.168.0.0/16'): Promise<string> {
    const { VpcId } = await cloud.vpc.createVpc({ RegionId: REGION, VpcName: name, CidrBlock: cidr });
    settle();
    return VpcId;
  }

  it('STS: the account id, also looked up for the FC endpoint', async () => {
    const identity = await cloud.sts.getCallerIdentity();
    assert.equal(identity.AccountId, emu.accountId);
    assert.equal(await cloud.accountId(), emu.accountId);
  });

  it('VPC: create (idempotent token) → Pending → Available, look-up by name, vSwitch, delete, NotFound', async () => {
    const req = { RegionId: REGION, VpcName: 'client-vpc', CidrBlock: '192.168.0.0/16', ClientToken: 'tok-vpc-1' };
    const created = await cloud.vpc.createVpc(req);
    assert.match(created.VpcId, /^vpc-/);
    assert.ok(created.RequestId);
    assert.equal((await cloud.vpc.createVpc(req)).VpcId, created.VpcId, 'same token, same VPC');

    const pending = await cloud.vpc.describeVpcAttribute({ RegionId: REGION, VpcId: created.VpcId });
    assert.equal(pending.Status, 'Pending');
    settle();
    const byName = await cloud.vpc.describeVpcs({ RegionId: REGION, VpcName: 'client-vpc' });
    assert.deepEqual(
      items(byName.Vpcs).map((v) => [v.VpcId, v.Status]),
      [[created.VpcId, 'Available']],
    );

    const zone = items((await cloud.vpc.describeZones({ RegionId: REGION })).Zones)[0].ZoneId;
    const { VSwitchId } = await cloud.vpc.createVSwitch({
      RegionId: REGION,
      VpcId: created.VpcId,
      ZoneId: zone,
      CidrBlock: '192.168.1.0/24',
      VSwitchName: 'client-vsw',
    });
    settle();
    const vsw = await cloud.vpc.describeVSwitchAttributes({ RegionId: REGION, VSwitchId });
    assert.equal(vsw.Status, 'Available');
    assert.equal(vsw.VpcId, created.VpcId);

    const blocked = await failure(cloud.vpc.deleteVpc({ RegionId: REGION, VpcId: created.VpcId }));
    assert.match(blocked.code, /^DependencyViolation/);
    assert.equal(blocked.kind, 'dependency');
    assert.equal(blocked.retryable, true);

    await cloud.vpc.deleteVSwitch({ RegionId: REGION, VSwitchId });
    settle();
    await cloud.vpc.deleteVpc({ RegionId: REGION, VpcId: created.VpcId });
    settle();
    const gone = await failure(cloud.vpc.describeVpcAttribute({ RegionId: REGION, VpcId: created.VpcId }));
    assert.equal(gone.isNotFound, true);
    assert.equal(gone.retryable, false);
  });

  it('VPC: regions are kept apart by RegionId behind one endpoint', async () => {
    const vpcId = await availableVpc('sh');
    const other = await failure(cloud.vpc.describeVpcAttribute({ RegionId: 'cn-zhangjiakou', VpcId: vpcId }));
    assert.equal(other.isNotFound, true);
  });

  it('ECS: security group with a Permissions.N rule list, read back', async () => {
    const vpcId = await availableVpc('ecs');
    const { SecurityGroupId } = await cloud.ecs.createSecurityGroup({
      RegionId: REGION,
      VpcId: vpcId,
      SecurityGroupName: 'backend',
    });
    await cloud.ecs.authorizeSecurityGroup({
      RegionId: REGION,
      SecurityGroupId,
      Permissions: [{ IpProtocol: 'tcp', PortRange: '8080/8080', SourceCidrIp: '100.104.0.0/26', Policy: 'accept' }],
    });
    const attrs = await cloud.ecs.describeSecurityGroupAttribute({ RegionId: REGION, SecurityGroupId });
    const rules = items(attrs.Permissions).map((p) => [p.IpProtocol.toLowerCase(), p.PortRange, p.SourceCidrIp]);
    assert.deepEqual(rules, [['tcp', '8080/8080', '100.104.0.0/26']]);
    const found = await cloud.ecs.describeSecurityGroups({ RegionId: REGION, VpcId: vpcId });
    assert.deepEqual(
      items(found.SecurityGroups).map((g) => g.SecurityGroupId),
      [SecurityGroupId],
    );
    await cloud.ecs.deleteSecurityGroup({ RegionId: REGION, SecurityGroupId });
  });

  it('RAM: role with a JSON trust policy; EntityAlreadyExists and EntityNotExist classified', async () => {
    const req = { RoleName: 'client-fc-role', AssumeRolePolicyDocument: trustPolicyFor('fc.aliyuncs.com') };
    const { Role } = await cloud.ram.createRole(req);
    assert.equal(Role.RoleName, 'client-fc-role');
    assert.deepEqual(JSON.parse(Role.AssumeRolePolicyDocument ?? '{}'), req.AssumeRolePolicyDocument);
    assert.equal((await failure(cloud.ram.createRole(req))).isAlreadyExists, true);

    const policy = {
      RoleName: req.RoleName,
      PolicyType: 'System',
      PolicyName: 'AliyunECSNetworkInterfaceManagementAccess',
    } as const;
    await cloud.ram.attachPolicyToRole(policy);
    assert.equal((await failure(cloud.ram.attachPolicyToRole(policy))).isAlreadyExists, true);
    const listed = await cloud.ram.listPoliciesForRole({ RoleName: req.RoleName });
    assert.deepEqual(
      items(listed.Policies).map((p) => p.PolicyName),
      [policy.PolicyName],
    );
    await cloud.ram.detachPolicyFromRole(policy);
    await cloud.ram.deleteRole({ RoleName: req.RoleName });
    assert.equal((await failure(cloud.ram.getRole({ RoleName: req.RoleName }))).isNotFound, true);
  });

  it('CloudAPI: dedicated instance CREATING → RUNNING with its egress CIDR, group, VPC access, API with JSON configs', async () => {
    const { InstanceId } = await cloud.cloudapi.createInstance({
      RegionId: REGION,
      InstanceName: 'client-gw',
      InstanceSpec: 'api.s1.small',
      HttpsPolicy: 'HTTPS2_TLS1_0',
      ChargeType: 'PostPaid',
      Token: 'tok-gw-1',
    });
    const creating = items((await cloud.cloudapi.describeInstances({ RegionId: REGION, InstanceId })).Instances);
    assert.equal(creating[0].Status, 'CREATING');
    settle();
    const [gw] = items((await cloud.cloudapi.describeInstances({ RegionId: REGION, InstanceId })).Instances);
    assert.equal(gw.Status, 'RUNNING');
    assert.match(gw.VpcEgressAddress ?? '', /^\d+\.\d+\.\d+\.\d+\/\d+$/);

    const vpcId = await availableVpc('gw-backend');
    const { SecurityGroupId } = await cloud.ecs.createSecurityGroup({ RegionId: REGION, VpcId: vpcId });
    const zone = items((await cloud.vpc.describeZones({ RegionId: REGION })).Zones)[0].ZoneId;
    const { VSwitchId } = await cloud.vpc.createVSwitch({
      RegionId: REGION,
      VpcId: vpcId,
      ZoneId: zone,
      CidrBlock: '192.168.2.0/24',
    });
    settle();
    const run = await cloud.ecs.runInstances({
      RegionId: REGION,
      ImageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
      InstanceType: 'ecs.t6-c1m1.large',
      VSwitchId,
      SecurityGroupId,
      InstanceName: 'backend',
      UserData: Buffer.from('#!/bin/sh\n').toString('base64'),
      ClientToken: 'tok-ecs-1',
    });
    const [ecsId] = items(run.InstanceIdSets);
    assert.match(ecsId, /^i-/);
    const described = await cloud.ecs.describeInstances({ RegionId: REGION, InstanceIds: [ecsId] });
    assert.deepEqual(
      items(described.Instances).map((i) => [i.InstanceId, i.VpcAttributes?.VpcId]),
      [[ecsId, vpcId]],
    );

    await cloud.cloudapi.setVpcAccess({
      RegionId: REGION,
      Name: 'backend',
      VpcId: vpcId,
      InstanceId: ecsId,
      Port: 8080,
    });
    const accesses = await cloud.cloudapi.describeVpcAccesses({ RegionId: REGION, Name: 'backend' });
    assert.deepEqual(
      items(accesses.VpcAccessAttributes).map((a) => [a.VpcId, a.InstanceId, Number(a.Port)]),
      [[vpcId, ecsId, 8080]],
    );

    const group = await cloud.cloudapi.createApiGroup({ RegionId: REGION, GroupName: 'client_group', InstanceId });
    assert.ok(group.GroupId);
    const { ApiId } = await cloud.cloudapi.createApi({
      RegionId: REGION,
      GroupId: group.GroupId,
      ApiName: 'client_api',
      Visibility: 'PRIVATE',
      AuthType: 'ANONYMOUS',
      RequestConfig: {
        RequestProtocol: 'HTTP',
        RequestHttpMethod: 'GET',
        RequestPath: '/web/cloudapi',
        RequestMode: 'PASSTHROUGH',
      },
      ServiceConfig: {
        ServiceProtocol: 'HTTP',
        ServiceHttpMethod: 'GET',
        ServicePath: '/web/cloudapi',
        ServiceTimeout: 10_000,
        ServiceVpcEnable: 'TRUE',
        VpcConfig: { Name: 'backend' },
      },
      ResultType: 'PASSTHROUGH',
      ResultSample: 'ok',
    });
    assert.ok(ApiId);
    await cloud.cloudapi.deployApi({
      RegionId: REGION,
      GroupId: group.GroupId,
      ApiId,
      StageName: 'RELEASE',
      Description: 'client layer test',
    });
    const apis = await cloud.cloudapi.describeApis({ RegionId: REGION, GroupId: group.GroupId });
    assert.deepEqual(
      items(apis.ApiSummarys).map((a) => a.ApiName),
      ['client_api'],
    );
    await cloud.cloudapi.modifyIntranetDomainPolicy({
      RegionId: REGION,
      GroupId: group.GroupId,
      VpcIntranetEnable: true,
    });
    const groupInfo = await cloud.cloudapi.describeApiGroup({ RegionId: REGION, GroupId: group.GroupId });
    assert.ok(groupInfo.VpcDomain, 'VPC intranet domain is on');

    const badConfig = await failure(
      cloud.cloudapi.createApi({
        RegionId: REGION,
        GroupId: group.GroupId,
        ApiName: 'bad_api',
        Visibility: 'PRIVATE',
        AuthType: 'ANONYMOUS',
        RequestConfig: {
          RequestProtocol: 'HTTP',
          RequestHttpMethod: 'GET',
          RequestPath: 'no-slash',
          RequestMode: 'MAPPING',
        },
        ServiceConfig: {
          ServiceProtocol: 'HTTP',
          ServiceHttpMethod: 'GET',
          ServicePath: '/',
          ServiceTimeout: 1000,
          ServiceVpcEnable: 'TRUE',
          VpcConfig: { Name: 'backend' },
        },
        ResultType: 'PASSTHROUGH',
        ResultSample: 'ok',
      }),
    );
    assert.equal(badConfig.kind, 'invalid-input');
    assert.match(badConfig.message, /RequestPath/);
  });

  it('CBN: CEN, VPC attachments in two regions, bandwidth, route service with AccessRegionIds.N, teardown', async () => {
    const hostVpc = await availableVpc('host');
    const { VpcId: accessVpc } = await cloud.vpc.createVpc({ RegionId: 'cn-zhangjiakou', VpcName: 'access' });
    settle();
    const cenReq = { Name: 'client-cen', ClientToken: 'tok-cen-1' };
    const { CenId } = await cloud.cbn.createCen(cenReq);
    assert.equal((await cloud.cbn.createCen(cenReq)).CenId, CenId, 'same token, same CEN');
    settle();
    const cens = await cloud.cbn.describeCens({ Filter: [{ Key: 'CenId', Value: [CenId] }] });
    assert.deepEqual(
      items(cens.Cens).map((c) => [c.CenId, c.Status]),
      [[CenId, 'Active']],
    );

    const attach = (vpcId: string, region: string) =>
      cloud.cbn.attachCenChildInstance({
        CenId,
        ChildInstanceId: vpcId,
        ChildInstanceType: 'VPC',
        ChildInstanceRegionId: region,
      });
    await attach(hostVpc, REGION);
    const blocked = await failure(attach(accessVpc, 'cn-zhangjiakou'));
    assert.equal(blocked.code, 'Operation.Blocking');
    assert.deepEqual([blocked.kind, blocked.retryable], ['conflict', true]);
    settle();
    await attach(accessVpc, 'cn-zhangjiakou');
    settle();
    const children = await cloud.cbn.describeCenAttachedChildInstances({ CenId });
    assert.deepEqual(
      items(children.ChildInstances).map((c) => c.Status),
      ['Attached', 'Attached'],
    );
    const routers = await cloud.cbn.listTransitRouters({ CenId });
    assert.ok((routers.TransitRouters ?? []).every((r) => r.Type === 'Basic'));

    const { CenBandwidthPackageId } = await cloud.cbn.createCenBandwidthPackage({
      Bandwidth: 2,
      GeographicRegionAId: 'China',
      GeographicRegionBId: 'China',
      BandwidthPackageChargeType: 'POSTPAY',
    });
    await cloud.cbn.associateCenBandwidthPackage({ CenId, CenBandwidthPackageId });
    settle();
    await cloud.cbn.setCenInterRegionBandwidthLimit({
      CenId,
      LocalRegionId: REGION,
      OppositeRegionId: 'cn-zhangjiakou',
      BandwidthLimit: 2,
    });
    settle();

    await cloud.cbn.resolveAndRouteServiceInCen({
      CenId,
      Host: '100.104.0.0/26',
      HostRegionId: REGION,
      HostVpcId: hostVpc,
      AccessRegionIds: ['cn-zhangjiakou'],
    });
    const creating = items((await cloud.cbn.describeRouteServicesInCen({ CenId })).RouteServiceEntries);
    assert.deepEqual(
      creating.map((r) => [r.Host, r.AccessRegionId]),
      [['100.104.0.0/26', 'cn-zhangjiakou']],
    );
    settle();
    const [active] = items((await cloud.cbn.describeRouteServicesInCen({ CenId })).RouteServiceEntries);
    assert.equal(active.Status, 'Active');
    await cloud.cbn.deleteRouteServiceInCen({
      CenId,
      Host: '100.104.0.0/26',
      HostRegionId: REGION,
      AccessRegionId: 'cn-zhangjiakou',
    });
    settle();
    const again = await failure(
      cloud.cbn.deleteRouteServiceInCen({
        CenId,
        Host: '100.104.0.0/26',
        HostRegionId: REGION,
        AccessRegionId: 'cn-zhangjiakou',
      }),
    );
    assert.equal(again.isNotFound, true, `${again.code} means already gone`);

    // The rest of the CEN teardown: each call a second time (a retried activity) reads as "already gone".
    const reassociated = await cloud.cbn.associateCenBandwidthPackage({ CenId, CenBandwidthPackageId });
    assert.ok(reassociated.RequestId, 'associating the same package again is a no-op success');
    await cloud.cbn.setCenInterRegionBandwidthLimit({
      CenId,
      LocalRegionId: REGION,
      OppositeRegionId: 'cn-zhangjiakou',
      BandwidthLimit: 0,
    });
    settle();
    await cloud.cbn.unassociateCenBandwidthPackage({ CenId, CenBandwidthPackageId });
    await cloud.cbn.deleteCenBandwidthPackage({ CenBandwidthPackageId });
    const packageGone = await failure(cloud.cbn.deleteCenBandwidthPackage({ CenBandwidthPackageId }));
    assert.deepEqual([packageGone.code, packageGone.isNotFound], ['ParameterBwpInstanceId', true]);
    const detach = (vpcId: string, region: string) =>
      cloud.cbn.detachCenChildInstance({
        CenId,
        ChildInstanceId: vpcId,
        ChildInstanceType: 'VPC',
        ChildInstanceRegionId: region,
      });
    for (const [vpcId, region] of [
      [hostVpc, REGION],
      [accessVpc, 'cn-zhangjiakou'],
    ] as const) {
      await detach(vpcId, region);
      settle();
      const detached = await failure(detach(vpcId, region));
      assert.deepEqual([detached.code, detached.isNotFound], ['ParameterInstanceId', true]);
    }
    await cloud.cbn.deleteCen({ CenId });
    settle();
    const cenGone = await failure(cloud.cbn.deleteCen({ CenId }));
    assert.deepEqual([cenGone.code, cenGone.isNotFound, cenGone.retryable], ['ParameterCenInstanceId', true, false]);
  });

  it('FC 3.0: create → Pending → Active, list by prefix, already exists, delete, not found', async () => {
    const input = {
      functionName: 'client_fn',
      runtime: 'python3.10',
      handler: 'index.handler',
      code: { zipFile: zipBase64('index.py', 'def handler(event, context):\n    return "ok"\n') },
      memorySize: 128,
      timeout: 10,
    };
    const created = await cloud.fc.createFunction(REGION, input);
    assert.equal(created.functionName, 'client_fn');
    assert.equal((await failure(cloud.fc.createFunction(REGION, input))).isAlreadyExists, true);
    settle();
    const fn = await cloud.fc.getFunction(REGION, 'client_fn');
    assert.equal(fn.state, 'Active');
    assert.equal(fn.runtime, 'python3.10');
    const listed = await cloud.fc.listFunctions(REGION, { prefix: 'client_' });
    assert.deepEqual(
      (listed.functions ?? []).map((f) => f.functionName),
      ['client_fn'],
    );
    assert.equal((await failure(cloud.fc.getFunction('cn-zhangjiakou', 'client_fn'))).isNotFound, true);

    await cloud.fc.deleteFunction(REGION, 'client_fn');
    const gone = await failure(cloud.fc.getFunction(REGION, 'client_fn'));
    assert.deepEqual([gone.code, gone.isNotFound, gone.httpStatus], ['FunctionNotFound', true, 404]);
    assert.equal((await failure(cloud.fc.deleteFunction(REGION, 'client_fn'))).isNotFound, true);
  });

  it('FC 3.0: synchronous invocation returns the raw answer; a raising function is flagged, not thrown', async () => {
    const code = [
      'def handler(event, context):',
      '    if event == b"boom":',
      '        raise ValueError("boom requested")',
      '    return b"echo:" + event',
      '',
    ].join('\n');
    await cloud.fc.createFunction(REGION, {
      functionName: 'echo_fn',
      runtime: 'python3.10',
      handler: 'index.handler',
      code: { zipFile: zipBase64('index.py', code) },
    });
    const early = await failure(cloud.fc.invokeFunction(REGION, 'echo_fn', { payload: 'hi' }));
    assert.deepEqual([early.kind, early.retryable], ['conflict', true], `${early.code} before Active`);
    settle();
    const ok = await cloud.fc.invokeFunction(REGION, 'echo_fn', { payload: Buffer.from('hi') });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.toString(), 'echo:hi');
    assert.equal(ok.functionErrorType, undefined);
    assert.ok(ok.requestId);

    const raised = await cloud.fc.invokeFunction(REGION, 'echo_fn', { payload: 'boom' });
    assert.equal(raised.functionErrorType, 'UnhandledInvocationError');
    assert.match(raised.body.toString(), /boom requested/);

    const missing = await failure(cloud.fc.invokeFunction(REGION, 'no_such_fn'));
    assert.equal(missing.isNotFound, true);
  });

  it('FC 3.0: bad input is a non-retryable InvalidArgument', async () => {
    const error = await failure(
      cloud.fc.createFunction(REGION, {
        functionName: 'bad_fn',
        runtime: 'python3.10',
        handler: 'index.handler',
        code: { zipFile: Buffer.from('not a zip').toString('base64') },
      }),
    );
    assert.deepEqual([error.code, error.kind, error.retryable], ['InvalidArgument', 'invalid-input', false]);
  });

  describe('errors the emulator answers with', () => {
    it('a wrong secret → SignatureDoesNotMatch, an unknown key → InvalidAccessKeyId.NotFound (auth, not retryable)', async () => {
      const wrongSecret = createCloudClients({
        endpoint: emu.url,
        credentials: { accessKeyId: KEY.accessKeyId, accessKeySecret: 'not-the-right-secret' },
        accountId: emu.accountId,
        env: {},
      });
      for (const call of [
        () => wrongSecret.vpc.describeVpcs({ RegionId: REGION }),
        () => wrongSecret.fc.getFunction(REGION, 'fn'),
      ]) {
        const error = await failure(call());
        assert.equal(error.code, 'SignatureDoesNotMatch');
        assert.equal(error.kind, 'auth');
        assert.equal(error.retryable, false);
      }
      const unknownKey = createCloudClients({
        endpoint: emu.url,
        credentials: { accessKeyId: 'LTAI5tSomebodyElse000', accessKeySecret: 'x-secret-value' },
        env: {},
      });
      const error = await failure(unknownKey.sts.getCallerIdentity());
      assert.match(error.code, /^InvalidAccessKeyId\./);
      assert.equal(error.kind, 'auth');
      assert.ok(!error.message.includes('LTAI5tSomebodyElse000'), 'the key id is redacted');
    });

    it('missing and invalid parameters are invalid-input', async () => {
      const missing = await failure(cloud.vpc.createVSwitch({ RegionId: REGION } as never));
      assert.match(missing.code, /^MissingParameter|^InvalidParameter/);
      assert.equal(missing.kind, 'invalid-input');
      const badCidr = await failure(cloud.vpc.createVpc({ RegionId: REGION, CidrBlock: '10.0.0.0/33' }));
      assert.equal(badCidr.kind, 'invalid-input');
      assert.equal(badCidr.retryable, false);
    });

    it('permission, quota and billing answers are final: not retryable', async () => {
      const { CenBandwidthPackageId } = await cloud.cbn.createCenBandwidthPackage({
        Bandwidth: 2,
        GeographicRegionAId: 'China',
        GeographicRegionBId: 'China',
        BandwidthPackageChargeType: 'PREPAY',
        Period: 1,
        PricingCycle: 'Month',
      });
      const prepaid = await failure(cloud.cbn.deleteCenBandwidthPackage({ CenBandwidthPackageId }));
      assert.deepEqual(
        [prepaid.code, prepaid.httpStatus, prepaid.kind, prepaid.retryable],
        ['Forbidden.Release', 403, 'permission', false],
      );
      for (const [code, kind] of [
        ['QuotaExceeded.Vpc', 'quota'],
        ['InsufficientBalance', 'billing'],
      ] as const) {
        emu.addFault({ product: 'vpc', action: 'CreateVpc', count: 1, error: { code, httpStatus: 400 } });
        const error = await failure(cloud.vpc.createVpc({ RegionId: REGION, VpcName: 'refused' }));
        assert.deepEqual([error.code, error.kind, error.retryable], [code, kind, false]);
      }
    });

    it('injected throttling and 5xx faults are retryable, with the emulator RequestId', async () => {
      emu.addFault({
        product: 'vpc',
        action: 'DescribeVpcs',
        count: 1,
        error: { code: 'Throttling.User', httpStatus: 400 },
      });
      const throttled = await failure(cloud.vpc.describeVpcs({ RegionId: REGION }));
      assert.deepEqual([throttled.kind, throttled.retryable], ['throttling', true]);
      assert.ok(throttled.requestId);
      // Every matching rule fires on a request: add the next one only now.
      emu.addFault({
        product: 'vpc',
        action: 'DescribeVpcs',
        count: 1,
        error: { code: 'ServiceUnavailable', httpStatus: 503 },
      });
      const unavailable = await failure(cloud.vpc.describeVpcs({ RegionId: REGION }));
      assert.deepEqual([unavailable.kind, unavailable.retryable, unavailable.httpStatus], ['server', true, 503]);
      await cloud.vpc.describeVpcs({ RegionId: REGION });
    });

    it('a dropped response after the create happened: retryable, outcome unknown, and the VPC exists', async () => {
      emu.addFault({ product: 'vpc', action: 'CreateVpc', count: 1, dropResponse: true });
      const error = await failure(cloud.vpc.createVpc({ RegionId: REGION, VpcName: 'ambiguous' }));
      assert.equal(error.kind, 'network');
      assert.equal(error.retryable, true);
      assert.equal(error.outcomeUnknown, true);
      const found = await cloud.vpc.describeVpcs({ RegionId: REGION, VpcName: 'ambiguous' });
      assert.equal(items(found.Vpcs).length, 1, 'look it up before creating again');
    });

    it('added latency beyond the deadline is a timeout with an unknown outcome', async () => {
      emu.addFault({ product: 'vpc', action: 'DescribeVpcs', count: 1, latencyMs: 2_000 });
      const impatient = createCloudClients({ endpoint: emu.url, credentials: KEY, timeoutMs: 150, env: {} });
      const error = await failure(impatient.vpc.describeVpcs({ RegionId: REGION }));
      assert.deepEqual([error.kind, error.retryable, error.outcomeUnknown], ['timeout', true, true]);
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import Vpc, * as $Vpc from '@alicloud/vpc20160428';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../emulator';
import {
  REGION,
  availableVpc,
  expectError,
  pollUntil,
  startNetworkHarness,
  type NetworkHarness,
} from './network-fixtures';

describe('emulator VPC 2016-04-28', () => {
  let h: NetworkHarness;
  before(async () => {
    h = await startNetworkHarness();
  });
  after(() => h.close());

  describe('VPCs', () => {
    it('CreateVpc returns the ids, uses 172.16.0.0/12 by default and goes Pending → Available', async () => {
      const created = await h.vpc('CreateVpc', { VpcName: 'vpc-default-cidr', Description: 'd' });
      assert.match(created.VpcId, /^vpc-[a-z0-9]+$/);
      assert.match(created.VRouterId, /^vrt-/);
      assert.match(created.RouteTableId, /^vtb-/);
      assert.match(created.ResourceGroupId, /^rg-/);
      assert.ok(created.RequestId);
      const first = await h.vpc('DescribeVpcAttribute', { VpcId: created.VpcId });
      assert.equal(first.Status, 'Pending');
      assert.equal(first.CidrBlock, '172.16.0.0/12');
      assert.equal(first.VpcName, 'vpc-default-cidr');
      assert.equal(first.Description, 'd');
      assert.equal(first.RegionId, REGION);
      assert.match(first.CreationTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const ready = await pollUntil(
        h,
        () => h.vpc('DescribeVpcAttribute', { VpcId: created.VpcId }),
        (v) => v.Status === 'Available',
      );
      assert.deepEqual(ready.VSwitchIds, { VSwitchId: [] });
    });

    it('a repeated ClientToken returns the first VPC instead of creating another', async () => {
      const a = await h.vpc('CreateVpc', { VpcName: 'vpc-token', CidrBlock: '10.0.0.0/8', ClientToken: 'tok-vpc-1' });
      const b = await h.vpc('CreateVpc', { VpcName: 'vpc-token', CidrBlock: '10.0.0.0/8', ClientToken: 'tok-vpc-1' });
      assert.equal(a.VpcId, b.VpcId);
      const listed = await h.vpc('DescribeVpcs', { VpcName: 'vpc-token' });
      assert.equal(listed.TotalCount, 1);
    });

    it('rejects malformed or non-private CIDR blocks and bad names', async () => {
      await expectError(h, h.vpc('CreateVpc', { CidrBlock: '10.0.0.1/8' }), 'InvalidCidrBlock.Malformed', 400);
      await expectError(h, h.vpc('CreateVpc', { CidrBlock: '8.8.0.0/16' }), 'InvalidCidrBlock.Malformed');
      await expectError(h, h.vpc('CreateVpc', { CidrBlock: '10.0.0.0/29' }), 'InvalidCidrBlock.Malformed');
      await expectError(h, h.vpc('CreateVpc', { VpcName: 'http://x' }), 'InvalidVpcName.Malformed', 400);
      await expectError(h, h.vpc('CreateVpc', { RegionId: 'xx-nowhere-1' }), 'InvalidRegionId', 400);
      await expectError(h, h.vpc('CreateVpc', { VpcName: 'vpc-dry', DryRun: true }), 'DryRunOperation', 400);
      assert.equal((await h.vpc('DescribeVpcs', { VpcName: 'vpc-dry' })).TotalCount, 0);
    });

    it('DescribeVpcs filters by ids, name and tags, pages, and keeps regions apart', async () => {
      const tagged = await h.vpc('CreateVpc', {
        VpcName: 'vpc-list',
        'Tag.1.Key': 'team',
        'Tag.1.Value': 'net',
      });
      const other = await h.vpc('CreateVpc', { VpcName: 'vpc-list' });
      const elsewhere = await h.vpc('CreateVpc', { RegionId: 'cn-zhangjiakou', VpcName: 'vpc-list' });

      const byName = await h.vpc('DescribeVpcs', { VpcName: 'vpc-list' });
      assert.equal(byName.TotalCount, 2);
      assert.deepEqual(
        byName.Vpcs.Vpc.map((v: { VpcId: string }) => v.VpcId),
        [tagged.VpcId, other.VpcId],
      );
      const byIds = await h.vpc('DescribeVpcs', { VpcId: `${other.VpcId},${elsewhere.VpcId}` });
      assert.deepEqual(
        byIds.Vpcs.Vpc.map((v: { VpcId: string }) => v.VpcId),
        [other.VpcId],
      );
      const byTag = await h.vpc('DescribeVpcs', { 'Tag.1.Key': 'team', 'Tag.1.Value': 'net' });
      assert.deepEqual(byTag.Vpcs.Vpc[0].Tags, { Tag: [{ Key: 'team', Value: 'net' }] });
      assert.equal(byTag.TotalCount, 1);

      const page2 = await h.vpc('DescribeVpcs', { VpcName: 'vpc-list', PageSize: 1, PageNumber: 2 });
      assert.equal(page2.PageNumber, 2);
      assert.equal(page2.PageSize, 1);
      assert.equal(page2.TotalCount, 2);
      assert.equal(page2.Vpcs.Vpc[0].VpcId, other.VpcId);
      await expectError(h, h.vpc('DescribeVpcs', { PageSize: 51 }), 'InvalidParameter');

      assert.equal((await h.vpc('DescribeVpcs', { VpcName: 'vpc-list', IsDefault: true })).TotalCount, 0);
      const zjk = await h.vpc('DescribeVpcs', { RegionId: 'cn-zhangjiakou', VpcName: 'vpc-list' });
      assert.equal(zjk.TotalCount, 1);
      await expectError(h, h.vpc('DescribeVpcAttribute', { VpcId: elsewhere.VpcId }), 'InvalidVpcId.NotFound', 404);
    });

    it('DescribeVpcAttribute needs VpcId and reports unknown ids', async () => {
      await expectError(h, h.vpc('DescribeVpcAttribute', {}), 'MissingParameter', 400);
      await expectError(h, h.vpc('DescribeVpcAttribute', { VpcId: 'vpc-missing' }), 'InvalidVpcId.NotFound', 404);
    });

    it('DeleteVpc refuses a Pending VPC, deletes an empty one (Deleting → gone)', async () => {
      const { VpcId } = await h.vpc('CreateVpc', {});
      await expectError(h, h.vpc('DeleteVpc', { VpcId }), 'IncorrectVpcStatus', 400);
      await pollUntil(
        h,
        () => h.vpc('DescribeVpcAttribute', { VpcId }),
        (v) => v.Status === 'Available',
      );
      await h.vpc('DeleteVpc', { VpcId });
      assert.equal((await h.vpc('DescribeVpcAttribute', { VpcId })).Status, 'Deleting');
      await pollUntil(
        h,
        () => h.vpc('DescribeVpcs', { VpcId }),
        (r) => r.TotalCount === 0,
      );
      await expectError(h, h.vpc('DeleteVpc', { VpcId }), 'InvalidVpcId.NotFound');
    });

    it('DeleteVpc reports dependents: vSwitches, security groups, CEN attachments', async () => {
      const { vpcId, vSwitchId } = await availableVpc(h, { vSwitchCidr: '192.168.1.0/24' });
      await expectError(h, h.vpc('DeleteVpc', { VpcId: vpcId }), 'DependencyViolation.VSwitch', 400);
      await h.vpc('DeleteVSwitch', { VSwitchId: vSwitchId });
      await pollUntil(
        h,
        () => h.vpc('DescribeVSwitches', { VpcId: vpcId }),
        (r) => r.TotalCount === 0,
      );
      const { SecurityGroupId } = await h.ecs('CreateSecurityGroup', { VpcId: vpcId });
      await expectError(h, h.vpc('DeleteVpc', { VpcId: vpcId }), 'DependencyViolation.SecurityGroup');
      await h.ecs('DeleteSecurityGroup', { SecurityGroupId });

      const { CenId } = await h.cbn('CreateCen', {});
      await pollUntil(
        h,
        () => h.cbn('DescribeCens', { 'Filter.1.Key': 'CenId', 'Filter.1.Value.1': CenId }),
        (r) => r.Cens.Cen[0].Status === 'Active',
      );
      await h.cbn('AttachCenChildInstance', {
        CenId,
        ChildInstanceId: vpcId,
        ChildInstanceType: 'VPC',
        ChildInstanceRegionId: REGION,
      });
      await expectError(h, h.vpc('DeleteVpc', { VpcId: vpcId }), 'DependencyViolation.CenInstance');
      const attr = await pollUntil(
        h,
        () => h.vpc('DescribeVpcAttribute', { VpcId: vpcId }),
        (v) => v.AssociatedCens.AssociatedCen[0]?.CenStatus === 'Attached',
      );
      assert.equal(attr.AssociatedCens.AssociatedCen[0].CenId, CenId);
    });
  });

  describe('vSwitches', () => {
    it('CreateVSwitch creates a Pending vSwitch that becomes Available, with the real shape', async () => {
      const { vpcId } = await availableVpc(h, { cidr: '172.16.0.0/16' });
      const { VSwitchId } = await h.vpc('CreateVSwitch', {
        VpcId: vpcId,
        ZoneId: 'cn-shanghai-b',
        CidrBlock: '172.16.1.0/24',
        VSwitchName: 'vsw-api-access',
      });
      assert.match(VSwitchId, /^vsw-/);
      const pending = await h.vpc('DescribeVSwitchAttributes', { VSwitchId });
      assert.equal(pending.Status, 'Pending');
      const ready = await pollUntil(
        h,
        () => h.vpc('DescribeVSwitchAttributes', { VSwitchId }),
        (v) => v.Status === 'Available',
      );
      assert.equal(ready.VpcId, vpcId);
      assert.equal(ready.ZoneId, 'cn-shanghai-b');
      assert.equal(ready.CidrBlock, '172.16.1.0/24');
      assert.equal(ready.VSwitchName, 'vsw-api-access');
      assert.equal(ready.AvailableIpAddressCount, 252);
      const listed = await h.vpc('DescribeVSwitches', { VpcId: vpcId, VSwitchName: 'vsw-api-access' });
      assert.equal(listed.TotalCount, 1);
      assert.equal(listed.VSwitches.VSwitch[0].VSwitchId, VSwitchId);
      const byZone = await h.vpc('DescribeVSwitches', { VpcId: vpcId, ZoneId: 'cn-shanghai-a' });
      assert.equal(byZone.TotalCount, 0);
      const vpcAttr = await h.vpc('DescribeVpcAttribute', { VpcId: vpcId });
      assert.deepEqual(vpcAttr.VSwitchIds, { VSwitchId: [VSwitchId] });
    });

    it('validates the VPC state, the zone and the CIDR block', async () => {
      const { VpcId: pendingVpc } = await h.vpc('CreateVpc', { CidrBlock: '10.1.0.0/16' });
      const args = { VpcId: pendingVpc, ZoneId: 'cn-shanghai-b', CidrBlock: '10.1.1.0/24' };
      await expectError(h, h.vpc('CreateVSwitch', args), 'IncorrectVpcStatus', 400);
      await expectError(h, h.vpc('CreateVSwitch', { ...args, VpcId: 'vpc-missing' }), 'InvalidVpcId.NotFound', 404);
      await expectError(h, h.vpc('CreateVSwitch', { VpcId: pendingVpc, ZoneId: 'cn-shanghai-b' }), 'MissingParameter');

      const { vpcId } = await availableVpc(h, { cidr: '10.2.0.0/16' });
      const base = { VpcId: vpcId, ZoneId: 'cn-shanghai-b' };
      await expectError(
        h,
        h.vpc('CreateVSwitch', { ...base, ZoneId: 'cn-beijing-a', CidrBlock: '10.2.1.0/24' }),
        'InvalidZoneId.NotFound',
      );
      await expectError(
        h,
        h.vpc('CreateVSwitch', { ...base, ZoneId: 'cn-shanghai-z', CidrBlock: '10.2.1.0/24' }),
        'InvalidZoneId.NotFound',
      );
      await expectError(h, h.vpc('CreateVSwitch', { ...base, CidrBlock: '10.2.1.0/30' }), 'InvalidCidrBlock.Malformed');
      await expectError(h, h.vpc('CreateVSwitch', { ...base, CidrBlock: 'ten/24' }), 'InvalidCidrBlock.Malformed');
      await expectError(h, h.vpc('CreateVSwitch', { ...base, CidrBlock: '10.3.1.0/24' }), 'InvalidParameter');
      await expectError(
        h,
        h.vpc('CreateVSwitch', { ...base, CidrBlock: '10.2.1.0/24', VSwitchName: 'https://x' }),
        'InvalidVSwitchName.Malformed',
      );

      const first = await h.vpc('CreateVSwitch', { ...base, CidrBlock: '10.2.0.0/20', ClientToken: 'tok-vsw' });
      const again = await h.vpc('CreateVSwitch', { ...base, CidrBlock: '10.2.0.0/20', ClientToken: 'tok-vsw' });
      assert.equal(again.VSwitchId, first.VSwitchId);
      await expectError(h, h.vpc('CreateVSwitch', { ...base, CidrBlock: '10.2.32.0/24' }), 'OperationConflict', 400);
      await pollUntil(
        h,
        () => h.vpc('DescribeVSwitchAttributes', { VSwitchId: first.VSwitchId }),
        (v) => v.Status === 'Available',
      );
      await expectError(
        h,
        h.vpc('CreateVSwitch', { ...base, CidrBlock: '10.2.1.0/24' }),
        'InvalidCidrBlock.Overlapped',
        400,
      );
      const second = await h.vpc('CreateVSwitch', { ...base, ZoneId: 'cn-shanghai-g', CidrBlock: '10.2.32.0/24' });
      assert.match(second.VSwitchId, /^vsw-/);
    });

    it('DeleteVSwitch refuses Pending vSwitches and ones holding ECS instances or FC functions', async () => {
      const { vpcId } = await availableVpc(h, { cidr: '10.4.0.0/16' });
      const { VSwitchId } = await h.vpc('CreateVSwitch', {
        VpcId: vpcId,
        ZoneId: 'cn-shanghai-b',
        CidrBlock: '10.4.1.0/24',
      });
      await expectError(h, h.vpc('DeleteVSwitch', { VSwitchId }), 'IncorrectVSwitchStatus', 400);
      await pollUntil(
        h,
        () => h.vpc('DescribeVSwitchAttributes', { VSwitchId }),
        (v) => v.Status === 'Available',
      );

      // An FC function's ENIs hold the vSwitch (the record the FC product writes).
      h.emu.store.insert({
        product: 'fc',
        type: 'FcFunction',
        id: 'fn-in-vsw',
        region: REGION,
        status: 'Active',
        attrs: { vpcConfig: { vpcId, vSwitchIds: [VSwitchId], securityGroupId: 'sg-x' } },
      });
      await expectError(h, h.vpc('DeleteVSwitch', { VSwitchId }), 'DependencyViolation', 400);
      h.emu.store.remove('FcFunction', 'fn-in-vsw');

      const { SecurityGroupId } = await h.ecs('CreateSecurityGroup', { VpcId: vpcId });
      const run = await h.ecs('RunInstances', {
        ImageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
        InstanceType: 'ecs.e-c1m1.large',
        VSwitchId,
        SecurityGroupId,
      });
      const instanceId = run.InstanceIdSets.InstanceIdSet[0];
      await expectError(h, h.vpc('DeleteVSwitch', { VSwitchId }), 'DependencyViolation');
      const attrs = await h.vpc('DescribeVSwitchAttributes', { VSwitchId });
      assert.equal(attrs.AvailableIpAddressCount, 251);

      await pollUntil(
        h,
        () => h.ecs('DescribeInstanceStatus', { 'InstanceId.1': instanceId }),
        (r) => r.InstanceStatuses.InstanceStatus[0].Status === 'Running',
      );
      await h.ecs('DeleteInstance', { InstanceId: instanceId, Force: true });
      // Still there while it is being released.
      await expectError(h, h.vpc('DeleteVSwitch', { VSwitchId }), 'DependencyViolation');
      await pollUntil(
        h,
        () => h.ecs('DescribeInstances', { VSwitchId }),
        (r) => r.TotalCount === 0,
      );
      await h.vpc('DeleteVSwitch', { VSwitchId });
      assert.equal((await h.vpc('DescribeVSwitchAttributes', { VSwitchId })).Status, 'Pending');
      await pollUntil(
        h,
        () => h.vpc('DescribeVSwitches', { VSwitchId }),
        (r) => r.TotalCount === 0,
      );
      await expectError(h, h.vpc('DescribeVSwitchAttributes', { VSwitchId }), 'InvalidVSwitchId.NotFound', 404);
    });
  });

  it('the official @alicloud/vpc20160428 SDK (V3 signatures) reads the shapes into its typed models', async () => {
    const sdk = new Vpc(
      new $OpenApiUtil.Config({
        accessKeyId: DEFAULT_ACCESS_KEY_ID,
        accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
        endpoint: `${h.emu.host}:${h.emu.port}`,
        protocol: 'http',
        regionId: REGION,
      }),
    );
    const created = await sdk.createVpc(
      new $Vpc.CreateVpcRequest({ regionId: REGION, vpcName: 'vpc-sdk', cidrBlock: '192.168.0.0/16' }),
    );
    const vpcId = created.body?.vpcId ?? '';
    assert.match(vpcId, /^vpc-/);
    await pollUntil(
      h,
      () => sdk.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: REGION, vpcId })),
      (r) => r.body?.status === 'Available',
    );
    const vsw = await sdk.createVSwitch(
      new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: 'cn-shanghai-b', cidrBlock: '192.168.1.0/24' }),
    );
    const listed = await sdk.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: REGION, vpcId }));
    assert.equal(listed.body?.totalCount, 1);
    const entry = listed.body?.vSwitches?.vSwitch?.[0];
    assert.equal(entry?.vSwitchId, vsw.body?.vSwitchId);
    assert.equal(entry?.availableIpAddressCount, 252);
    const vpcs = await sdk.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: REGION, vpcName: 'vpc-sdk' }));
    assert.deepEqual(vpcs.body?.vpcs?.vpc?.[0]?.vSwitchIds?.vSwitchId, [vsw.body?.vSwitchId]);
    await assert.rejects(
      sdk.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: REGION, vpcId: 'vpc-missing' })),
      (err: { code?: string; statusCode?: number }) => {
        assert.equal(err.code, 'InvalidVpcId.NotFound');
        assert.equal(err.statusCode, 404);
        return true;
      },
    );
  });

  it('DescribeZones lists the region’s zones and DescribeRegions the known regions', async () => {
    const zones = await h.vpc('DescribeZones', { RegionId: 'cn-zhangjiakou' });
    assert.deepEqual(
      zones.Zones.Zone.map((z: { ZoneId: string }) => z.ZoneId),
      ['cn-zhangjiakou-a', 'cn-zhangjiakou-b', 'cn-zhangjiakou-c'],
    );
    const regions = await h.vpc('DescribeRegions', {});
    assert.ok(regions.Regions.Region.some((r: { RegionId: string }) => r.RegionId === 'cn-shanghai'));
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  REGION,
  availableVpc,
  expectError,
  expectErrors,
  pollUntil,
  startNetworkHarness,
  type NetworkHarness,
  type Response,
} from './network-fixtures';

const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
const TYPE = 'ecs.e-c1m1.large';
const USER_DATA = Buffer.from('#!/bin/sh\npython3 -m http.server 8080\n').toString('base64');

describe('emulator ECS 2014-05-26', () => {
  let h: NetworkHarness;
  before(async () => {
    h = await startNetworkHarness();
  });
  after(() => h.close());

  /** A fresh VPC, vSwitch and security group with `amount` instances launched into them (not yet Running). */
  async function launch(vSwitchCidr: string, amount?: number) {
    const { vpcId, vSwitchId } = await availableVpc(h, { vSwitchCidr });
    const { SecurityGroupId } = await h.ecs('CreateSecurityGroup', { VpcId: vpcId });
    const run = await h.ecs('RunInstances', {
      ImageId: IMAGE,
      InstanceType: TYPE,
      VSwitchId: vSwitchId,
      SecurityGroupId,
      ...(amount ? { Amount: amount } : {}),
    });
    return { vpcId, vSwitchId, SecurityGroupId, ids: run.InstanceIdSets.InstanceIdSet as string[] };
  }

  describe('security groups', () => {
    it('CreateSecurityGroup creates a group in the VPC; a repeated ClientToken returns it again', async () => {
      const { vpcId } = await availableVpc(h);
      const args = { VpcId: vpcId, SecurityGroupName: 'sg-backend', Description: 'backend', ClientToken: 'tok-sg' };
      const { SecurityGroupId } = await h.ecs('CreateSecurityGroup', args);
      assert.match(SecurityGroupId, /^sg-/);
      assert.equal((await h.ecs('CreateSecurityGroup', args)).SecurityGroupId, SecurityGroupId);
      const listed = await h.ecs('DescribeSecurityGroups', { VpcId: vpcId });
      assert.equal(listed.TotalCount, 1);
      const group = listed.SecurityGroups.SecurityGroup[0];
      assert.equal(group.SecurityGroupId, SecurityGroupId);
      assert.equal(group.SecurityGroupName, 'sg-backend');
      assert.equal(group.VpcId, vpcId);
      assert.equal(group.SecurityGroupType, 'normal');
      const byIds = await h.ecs('DescribeSecurityGroups', {
        SecurityGroupIds: JSON.stringify([SecurityGroupId, 'sg-x']),
      });
      assert.equal(byIds.TotalCount, 1);
      const byName = await h.ecs('DescribeSecurityGroups', { SecurityGroupName: 'sg-backend' });
      assert.equal(byName.SecurityGroups.SecurityGroup[0].SecurityGroupId, SecurityGroupId);
      await expectError(h, h.ecs('DescribeSecurityGroups', { SecurityGroupIds: 'sg-1,sg-2' }), 'InvalidParameter', 400);
    });

    it('CreateSecurityGroup validates VpcId, the VPC state and the name', async () => {
      await expectError(h, h.ecs('CreateSecurityGroup', {}), 'MissingParameter', 400);
      await expectError(h, h.ecs('CreateSecurityGroup', { VpcId: 'vpc-missing' }), 'InvalidVpcId.NotFound', 404);
      const { VpcId } = await h.vpc('CreateVpc', {});
      await expectError(h, h.ecs('CreateSecurityGroup', { VpcId }), 'IncorrectVpcStatus');
      const { vpcId } = await availableVpc(h);
      await expectError(
        h,
        h.ecs('CreateSecurityGroup', { VpcId: vpcId, SecurityGroupName: '1abc' }),
        'InvalidSecurityGroupName.Malformed',
      );
      await expectError(
        h,
        h.ecs('CreateSecurityGroup', { VpcId: vpcId, SecurityGroupType: 'weird' }),
        'InvalidParameter',
      );
    });

    it('AuthorizeSecurityGroup adds flat and Permissions.N rules; a duplicate is accepted once', async () => {
      const { vpcId } = await availableVpc(h);
      const { SecurityGroupId } = await h.ecs('CreateSecurityGroup', { VpcId: vpcId });
      const rule = { SecurityGroupId, IpProtocol: 'tcp', PortRange: '8080/8080', SourceCidrIp: '100.104.10.0/26' };
      await h.ecs('AuthorizeSecurityGroup', rule);
      await h.ecs('AuthorizeSecurityGroup', { ...rule, IpProtocol: 'TCP' });
      await h.ecs('AuthorizeSecurityGroup', {
        SecurityGroupId,
        'Permissions.1.IpProtocol': 'icmp',
        'Permissions.1.PortRange': '-1/-1',
        'Permissions.1.SourceCidrIp': '10.0.0.1',
        'Permissions.1.Policy': 'drop',
        'Permissions.1.Priority': '5',
        'Permissions.2.IpProtocol': 'udp',
        'Permissions.2.PortRange': '53/53',
        'Permissions.2.SourceCidrIp': '10.0.0.0/8',
      });
      await h.ecs('AuthorizeSecurityGroupEgress', {
        SecurityGroupId,
        IpProtocol: 'all',
        PortRange: '-1/-1',
        DestCidrIp: '0.0.0.0/0',
      });

      const attr = await h.ecs('DescribeSecurityGroupAttribute', { SecurityGroupId });
      assert.equal(attr.VpcId, vpcId);
      const permissions = attr.Permissions.Permission;
      assert.equal(permissions.length, 4);
      assert.deepEqual(
        {
          IpProtocol: permissions[0].IpProtocol,
          PortRange: permissions[0].PortRange,
          SourceCidrIp: permissions[0].SourceCidrIp,
          Policy: permissions[0].Policy,
          Priority: permissions[0].Priority,
          Direction: permissions[0].Direction,
        },
        {
          IpProtocol: 'TCP',
          PortRange: '8080/8080',
          SourceCidrIp: '100.104.10.0/26',
          Policy: 'Accept',
          Priority: '1',
          Direction: 'ingress',
        },
      );
      assert.equal(permissions[1].Policy, 'Drop');
      const egress = await h.ecs('DescribeSecurityGroupAttribute', { SecurityGroupId, Direction: 'egress' });
      assert.equal(egress.Permissions.Permission.length, 1);
      assert.equal(egress.Permissions.Permission[0].DestCidrIp, '0.0.0.0/0');

      // The record other emulator products (reachability) read.
      const record = h.emu.store.get('SecurityGroup', SecurityGroupId);
      const stored = (record?.attrs.rules as Record<string, unknown>[])[0];
      assert.deepEqual(
        {
          direction: stored?.direction,
          ipProtocol: stored?.ipProtocol,
          portRange: stored?.portRange,
          sourceCidrIp: stored?.sourceCidrIp,
          policy: stored?.policy,
          priority: stored?.priority,
        },
        {
          direction: 'ingress',
          ipProtocol: 'tcp',
          portRange: '8080/8080',
          sourceCidrIp: '100.104.10.0/26',
          policy: 'accept',
          priority: 1,
        },
      );
    });

    it('AuthorizeSecurityGroup rejects malformed rules and unknown groups', async () => {
      const { vpcId } = await availableVpc(h);
      const { SecurityGroupId } = await h.ecs('CreateSecurityGroup', { VpcId: vpcId });
      const ok = { SecurityGroupId, IpProtocol: 'tcp', PortRange: '8080/8080', SourceCidrIp: '10.0.0.0/8' };
      await expectErrors(h, h.ecs, 'AuthorizeSecurityGroup', ok, [
        [{ IpProtocol: 'sctp' }, 'InvalidIpProtocol.Malformed', 400],
        [{ PortRange: '-1/-1' }, 'InvalidIpPortRange.Malformed'],
        [{ PortRange: '9000/80' }, 'InvalidIpPortRange.Malformed'],
        [{ IpProtocol: 'icmp' }, 'InvalidIpPortRange.Malformed'],
        [{ SourceCidrIp: '10.0.0/8' }, 'InvalidSourceCidrIp.Malformed'],
        [{ Policy: 'allow' }, 'InvalidPolicy.Malformed'],
        [{ Priority: '101' }, 'InvalidPriority.Malformed'],
        [{ SourceCidrIp: undefined, SourceGroupId: 'sg-1' }, 'InvalidParameter'],
      ]);
      await expectError(h, h.ecs('AuthorizeSecurityGroup', { SecurityGroupId, IpProtocol: 'tcp' }), 'MissingParameter');
      await expectError(h, h.ecs('AuthorizeSecurityGroup', { SecurityGroupId }), 'MissingParameter');
      await expectError(
        h,
        h.ecs('AuthorizeSecurityGroup', {
          SecurityGroupId,
          'Permissions.1.IpProtocol': 'tcp',
          'Permissions.1.PortRange': '1/2',
        }),
        'MissingParameter',
      );
      await expectError(
        h,
        h.ecs('AuthorizeSecurityGroup', { ...ok, SecurityGroupId: 'sg-missing' }),
        'InvalidSecurityGroupId.NotFound',
        404,
      );
      assert.equal(
        (await h.ecs('DescribeSecurityGroupAttribute', { SecurityGroupId })).Permissions.Permission.length,
        0,
      );
    });

    it('RevokeSecurityGroup removes matching rules by fields or by rule id; revoking a missing rule succeeds', async () => {
      const { vpcId } = await availableVpc(h);
      const { SecurityGroupId } = await h.ecs('CreateSecurityGroup', { VpcId: vpcId });
      const a = { SecurityGroupId, IpProtocol: 'tcp', PortRange: '8080/8080', SourceCidrIp: '10.0.0.0/8' };
      const b = { SecurityGroupId, IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '10.0.0.0/8' };
      await h.ecs('AuthorizeSecurityGroup', a);
      await h.ecs('AuthorizeSecurityGroup', b);
      await h.ecs('RevokeSecurityGroup', a);
      await h.ecs('RevokeSecurityGroup', a);
      let rules = (await h.ecs('DescribeSecurityGroupAttribute', { SecurityGroupId })).Permissions.Permission;
      assert.deepEqual(
        rules.map((r: { PortRange: string }) => r.PortRange),
        ['22/22'],
      );
      await h.ecs('RevokeSecurityGroup', { SecurityGroupId, 'SecurityGroupRuleId.1': rules[0].SecurityGroupRuleId });
      rules = (await h.ecs('DescribeSecurityGroupAttribute', { SecurityGroupId })).Permissions.Permission;
      assert.equal(rules.length, 0);
    });
  });

  describe('instances', () => {
    it('RunInstances starts Pending → Starting → Running with a private IP from the vSwitch', async () => {
      const { vpcId, vSwitchId } = await availableVpc(h, { vSwitchCidr: '192.168.1.0/24' });
      const { SecurityGroupId } = await h.ecs('CreateSecurityGroup', { VpcId: vpcId });
      const request = {
        ImageId: IMAGE,
        InstanceType: TYPE,
        VSwitchId: vSwitchId,
        SecurityGroupId,
        UserData: USER_DATA,
        InstanceName: 'backend-1',
        ClientToken: 'tok-run',
      };
      const run = await h.ecs('RunInstances', request);
      const ids = run.InstanceIdSets.InstanceIdSet;
      assert.equal(ids.length, 1);
      assert.match(ids[0], /^i-/);
      const again = await h.ecs('RunInstances', request);
      assert.deepEqual(again.InstanceIdSets.InstanceIdSet, ids);

      const seen = new Set<string>();
      const running = await pollUntil(
        h,
        () => h.ecs('DescribeInstances', { InstanceIds: JSON.stringify(ids) }),
        (r) => {
          seen.add(r.Instances.Instance[0].Status);
          return r.Instances.Instance[0].Status === 'Running';
        },
      );
      assert.deepEqual([...seen], ['Pending', 'Starting', 'Running']);
      assert.equal(running.TotalCount, 1);
      const instance = running.Instances.Instance[0];
      assert.equal(instance.InstanceId, ids[0]);
      assert.equal(instance.InstanceName, 'backend-1');
      assert.equal(instance.ImageId, IMAGE);
      assert.equal(instance.InstanceType, TYPE);
      assert.equal(instance.ZoneId, 'cn-shanghai-b');
      assert.equal(instance.RegionId, REGION);
      assert.equal(instance.InstanceNetworkType, 'vpc');
      assert.deepEqual(instance.VpcAttributes.PrivateIpAddress, { IpAddress: ['192.168.1.1'] });
      assert.equal(instance.VpcAttributes.VpcId, vpcId);
      assert.equal(instance.VpcAttributes.VSwitchId, vSwitchId);
      assert.deepEqual(instance.SecurityGroupIds, { SecurityGroupId: [SecurityGroupId] });
      assert.match(instance.CreationTime, /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
      const record = h.emu.store.get('EcsInstance', ids[0]);
      assert.equal(record?.attrs.userData, USER_DATA);
      assert.equal(record?.attrs.privateIpAddress, '192.168.1.1');

      const two = await h.ecs('RunInstances', {
        ImageId: IMAGE,
        InstanceType: TYPE,
        VSwitchId: vSwitchId,
        SecurityGroupId,
        Amount: 2,
      });
      const both = await h.ecs('DescribeInstances', { InstanceIds: JSON.stringify(two.InstanceIdSets.InstanceIdSet) });
      assert.deepEqual(
        both.Instances.Instance.map(
          (i: { VpcAttributes: { PrivateIpAddress: { IpAddress: string[] } } }) =>
            i.VpcAttributes.PrivateIpAddress.IpAddress[0],
        ),
        ['192.168.1.2', '192.168.1.3'],
      );
      const status = await h.ecs('DescribeInstanceStatus', {
        'InstanceId.1': ids[0],
        'InstanceId.2': two.InstanceIdSets.InstanceIdSet[0],
      });
      assert.equal(status.TotalCount, 2);
      assert.equal(status.InstanceStatuses.InstanceStatus[0].InstanceId, ids[0]);
      assert.equal(status.InstanceStatuses.InstanceStatus[0].Status, 'Running');
    });

    it('RunInstances validates the vSwitch, groups, image, type and user data', async () => {
      const { vpcId, vSwitchId } = await availableVpc(h, { vSwitchCidr: '192.168.2.0/24' });
      const { SecurityGroupId } = await h.ecs('CreateSecurityGroup', { VpcId: vpcId });
      const ok = { ImageId: IMAGE, InstanceType: TYPE, VSwitchId: vSwitchId, SecurityGroupId };
      const big = Buffer.alloc(32 * 1024 + 1, 'a').toString('base64');
      await expectErrors(h, h.ecs, 'RunInstances', ok, [
        [{ ImageId: undefined }, 'MissingParameter', 400],
        [{ SecurityGroupId: undefined }, 'MissingParameter'],
        [{ ImageId: 'no_such_image.vhd' }, 'InvalidImageId.NotFound', 404],
        [{ InstanceType: 'ecs.x9.huge' }, 'InvalidInstanceType.ValueNotSupported'],
        [{ UserData: 'not base64!' }, 'InvalidUserData.Base64FormatInvalid'],
        [{ UserData: big }, 'InvalidUserData.SizeExceeded'],
        [{ Amount: 0 }, 'InvalidParameter'],
        [{ VSwitchId: 'vsw-missing' }, 'InvalidVSwitchId.NotFound', 404],
        [{ SecurityGroupId: 'sg-missing' }, 'InvalidSecurityGroupId.NotFound'],
      ]);
      const other = await availableVpc(h, { cidr: '10.0.0.0/16' });
      const { SecurityGroupId: otherGroup } = await h.ecs('CreateSecurityGroup', { VpcId: other.vpcId });
      await expectError(
        h,
        h.ecs('RunInstances', { ...ok, SecurityGroupId: otherGroup }),
        'InvalidSecurityGroup.VpcMismatch',
      );

      const { VSwitchId: pendingVsw } = await h.vpc('CreateVSwitch', {
        VpcId: vpcId,
        ZoneId: 'cn-shanghai-b',
        CidrBlock: '192.168.3.0/24',
      });
      await expectError(h, h.ecs('RunInstances', { ...ok, VSwitchId: pendingVsw }), 'IncorrectVSwitchStatus', 400);
      assert.equal((await h.ecs('DescribeInstances', { VpcId: vpcId })).TotalCount, 0);
    });

    it('DescribeInstances filters by VPC, name (with *) and pages', async () => {
      const { vpcId, vSwitchId } = await availableVpc(h, { vSwitchCidr: '192.168.4.0/24' });
      const { SecurityGroupId } = await h.ecs('CreateSecurityGroup', { VpcId: vpcId });
      const base = { ImageId: IMAGE, InstanceType: TYPE, VSwitchId: vSwitchId, SecurityGroupId };
      await h.ecs('RunInstances', { ...base, InstanceName: 'web-a' });
      await h.ecs('RunInstances', { ...base, InstanceName: 'web-b' });
      await h.ecs('RunInstances', { ...base, InstanceName: 'db-a' });
      assert.equal((await h.ecs('DescribeInstances', { VpcId: vpcId })).TotalCount, 3);
      const web = await h.ecs('DescribeInstances', { VpcId: vpcId, InstanceName: 'web-*' });
      assert.deepEqual(
        web.Instances.Instance.map((i: { InstanceName: string }) => i.InstanceName),
        ['web-a', 'web-b'],
      );
      const page = await h.ecs('DescribeInstances', { VpcId: vpcId, PageSize: 2, PageNumber: 2 });
      assert.equal(page.Instances.Instance.length, 1);
      assert.equal(page.Instances.Instance[0].InstanceName, 'db-a');
      await expectError(h, h.ecs('DescribeInstances', { InstanceIds: '[1,2]' }), 'InvalidParameter');
    });

    it('DeleteInstance needs Force for a Running instance and refuses Pending ones', async () => {
      const {
        SecurityGroupId,
        ids: [id],
      } = await launch('192.168.5.0/24');
      await expectError(h, h.ecs('DeleteInstance', { InstanceId: id, Force: true }), 'IncorrectInstanceStatus', 403);
      await pollUntil(
        h,
        () => h.ecs('DescribeInstances', { InstanceIds: JSON.stringify([id]) }),
        (r) => r.Instances.Instance[0].Status === 'Running',
      );
      await expectError(h, h.ecs('DeleteInstance', { InstanceId: id }), 'IncorrectInstanceStatus', 403);
      await expectError(h, h.ecs('DeleteSecurityGroup', { SecurityGroupId }), 'DependencyViolation', 403);
      await h.ecs('DeleteInstance', { InstanceId: id, Force: 'true' });
      assert.equal(
        (await h.ecs('DescribeInstances', { InstanceIds: JSON.stringify([id]) })).Instances.Instance[0].Status,
        'Stopping',
      );
      await pollUntil(
        h,
        () => h.ecs('DescribeInstances', { InstanceIds: JSON.stringify([id]) }),
        (r) => r.TotalCount === 0,
      );
      await expectError(h, h.ecs('DeleteInstance', { InstanceId: id, Force: true }), 'InvalidInstanceId.NotFound', 404);
      await h.ecs('DeleteSecurityGroup', { SecurityGroupId });
      await expectError(
        h,
        h.ecs('DescribeSecurityGroupAttribute', { SecurityGroupId }),
        'InvalidSecurityGroupId.NotFound',
        404,
      );
    });

    it('StopInstance and StartInstance move a Running instance through Stopping/Stopped and back', async () => {
      const {
        ids: [id],
      } = await launch('192.168.7.0/24');
      const status = () => h.ecs('DescribeInstanceStatus', { 'InstanceId.1': id });
      const current = (r: Response): string | undefined => r.InstanceStatuses.InstanceStatus[0]?.Status;
      await expectError(h, h.ecs('StopInstance', { InstanceId: id }), 'IncorrectInstanceStatus', 403);
      await pollUntil(h, status, (r) => current(r) === 'Running');
      await expectError(h, h.ecs('StartInstance', { InstanceId: id }), 'IncorrectInstanceStatus');
      await h.ecs('StopInstance', { InstanceId: id });
      assert.equal(current(await status()), 'Stopping');
      await pollUntil(h, status, (r) => current(r) === 'Stopped');
      await h.ecs('StartInstance', { InstanceId: id });
      assert.equal(current(await status()), 'Starting');
      await pollUntil(h, status, (r) => current(r) === 'Running');
      await h.ecs('StopInstance', { InstanceId: id });
      await pollUntil(h, status, (r) => current(r) === 'Stopped');
      // A Stopped instance is released without Force.
      await h.ecs('DeleteInstance', { InstanceId: id });
      await pollUntil(h, status, (r) => r.TotalCount === 0);
    });

    it('DryRun validates without creating', async () => {
      const { vpcId, vSwitchId } = await availableVpc(h, { vSwitchCidr: '192.168.8.0/24' });
      await expectError(h, h.ecs('CreateSecurityGroup', { VpcId: vpcId, DryRun: true }), 'DryRunOperation', 400);
      assert.equal((await h.ecs('DescribeSecurityGroups', { VpcId: vpcId })).TotalCount, 0);
      const { SecurityGroupId } = await h.ecs('CreateSecurityGroup', { VpcId: vpcId });
      const args = { ImageId: IMAGE, InstanceType: TYPE, VSwitchId: vSwitchId, SecurityGroupId, DryRun: true };
      await expectError(h, h.ecs('RunInstances', args), 'DryRunOperation');
      await expectError(h, h.ecs('RunInstances', { ...args, ImageId: 'nope.vhd' }), 'InvalidImageId.NotFound');
      assert.equal((await h.ecs('DescribeInstances', { VpcId: vpcId })).TotalCount, 0);
    });

    it('DeleteInstances checks every instance before releasing any', async () => {
      const {
        vpcId,
        ids: [a, b],
      } = await launch('192.168.6.0/24', 2);
      await pollUntil(
        h,
        () => h.ecs('DescribeInstanceStatus', { 'InstanceId.1': a, 'InstanceId.2': b }),
        (r) => r.InstanceStatuses.InstanceStatus.every((s: { Status: string }) => s.Status === 'Running'),
      );
      await expectError(
        h,
        h.ecs('DeleteInstances', { 'InstanceId.1': a, 'InstanceId.2': 'i-missing', Force: true }),
        'InvalidInstanceId.NotFound',
      );
      await expectError(h, h.ecs('DeleteInstances', {}), 'MissingParameter');
      assert.equal((await h.ecs('DescribeInstances', { VpcId: vpcId, Status: 'Running' })).TotalCount, 2);
      const release = { 'InstanceId.1': a, 'InstanceId.2': b, Force: true, ClientToken: 'tok-release' };
      await h.ecs('DeleteInstances', release);
      await pollUntil(
        h,
        () => h.ecs('DescribeInstances', { VpcId: vpcId }),
        (r) => r.TotalCount === 0,
      );
      // The same ClientToken after the instances are gone (a retry whose answer was lost): the first answer.
      await h.ecs('DeleteInstances', release);
    });

    it('DeleteSecurityGroup is refused while an FC function uses the group', async () => {
      const { vpcId } = await availableVpc(h);
      const { SecurityGroupId } = await h.ecs('CreateSecurityGroup', { VpcId: vpcId });
      h.emu.store.insert({
        product: 'fc',
        type: 'FcFunction',
        id: 'fn-uses-sg',
        region: REGION,
        status: 'Active',
        attrs: { vpcConfig: { vpcId, vSwitchIds: [], securityGroupId: SecurityGroupId } },
      });
      await expectError(h, h.ecs('DeleteSecurityGroup', { SecurityGroupId }), 'DependencyViolation');
      h.emu.store.remove('FcFunction', 'fn-uses-sg');
      await h.ecs('DeleteSecurityGroup', { SecurityGroupId });
    });
  });

  it('DescribeImages and DescribeInstanceTypes list the catalog', async () => {
    const images = await h.ecs('DescribeImages', { ImageId: IMAGE });
    assert.equal(images.Images.Image[0].ImageId, IMAGE);
    assert.equal(images.Images.Image[0].OSType, 'linux');
    const zones = await h.ecs('DescribeZones', {});
    assert.ok(zones.Zones.Zone.some((z: { ZoneId: string }) => z.ZoneId === 'cn-shanghai-b'));
    const types = await h.ecs('DescribeInstanceTypes', { 'InstanceTypes.1': TYPE });
    assert.deepEqual(types.InstanceTypes.InstanceType, [
      { InstanceTypeId: TYPE, InstanceTypeFamily: 'ecs.e', CpuCoreCount: 2, MemorySize: 2 },
    ]);
  });
});

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

const FAR = 'cn-zhangjiakou';

describe('emulator CBN (CEN) 2017-09-12', () => {
  let h: NetworkHarness;
  before(async () => {
    h = await startNetworkHarness();
  });
  after(() => h.close());

  const describeCen = async (cenId: string): Promise<Response> =>
    (await h.cbn('DescribeCens', { 'Filter.1.Key': 'CenId', 'Filter.1.Value.1': cenId })).Cens.Cen[0];

  async function activeCen(name?: string): Promise<string> {
    const { CenId } = await h.cbn('CreateCen', name ? { Name: name } : {});
    await pollUntil(
      h,
      () => describeCen(CenId),
      (c) => c.Status === 'Active',
    );
    return CenId;
  }

  async function attach(cenId: string, vpcId: string, region: string): Promise<void> {
    const args = { CenId: cenId, ChildInstanceId: vpcId, ChildInstanceType: 'VPC', ChildInstanceRegionId: region };
    await h.cbn('AttachCenChildInstance', args);
    await pollUntil(
      h,
      () => h.cbn('DescribeCenAttachedChildInstances', { CenId: cenId, ChildInstanceRegionId: region }),
      (r) =>
        r.ChildInstances.ChildInstance.some((c: Response) => c.ChildInstanceId === vpcId && c.Status === 'Attached'),
    );
  }

  /** A CEN with an attached VPC in each of two regions; returns the ids. */
  async function twoRegionCen(): Promise<{ cenId: string; nearVpc: string; farVpc: string }> {
    const cenId = await activeCen();
    const { vpcId: nearVpc } = await availableVpc(h);
    const { vpcId: farVpc } = await availableVpc(h, { region: FAR, cidr: '10.0.0.0/16' });
    await attach(cenId, nearVpc, REGION);
    await attach(cenId, farVpc, FAR);
    return { cenId, nearVpc, farVpc };
  }

  async function bandwidthFor(cenId: string, chargeType = 'POSTPAY', bandwidth = 2): Promise<string> {
    const { CenBandwidthPackageId } = await h.cbn('CreateCenBandwidthPackage', {
      Bandwidth: bandwidth,
      GeographicRegionAId: 'China',
      GeographicRegionBId: 'China',
      BandwidthPackageChargeType: chargeType,
    });
    await h.cbn('AssociateCenBandwidthPackage', { CenId: cenId, CenBandwidthPackageId });
    return CenBandwidthPackageId;
  }

  describe('CEN instances', () => {
    it('CreateCen goes Creating → Active; DescribeCens filters by id and name; ClientToken is idempotent', async () => {
      const request = { Name: 'cen-runbook', Description: 'd', ClientToken: 'tok-cen' };
      const { CenId } = await h.cbn('CreateCen', request);
      assert.match(CenId, /^cen-/);
      assert.equal((await h.cbn('CreateCen', request)).CenId, CenId);
      await expectError(h, h.cbn('CreateCen', { Name: 'cen-dry', DryRun: true }), 'DryRunOperation', 400);
      assert.equal(
        (await h.cbn('DescribeCens', { 'Filter.1.Key': 'Name', 'Filter.1.Value.1': 'cen-dry' })).TotalCount,
        0,
      );
      const first = await describeCen(CenId);
      assert.equal(first.Status, 'Creating');
      assert.equal(first.Name, 'cen-runbook');
      assert.equal(first.ProtectionLevel, 'REDUCED');
      await pollUntil(
        h,
        () => describeCen(CenId),
        (c) => c.Status === 'Active',
      );
      const byName = await h.cbn('DescribeCens', { 'Filter.1.Key': 'Name', 'Filter.1.Value.1': 'cen-runbook' });
      assert.equal(byName.TotalCount, 1);
      assert.deepEqual(byName.Cens.Cen[0].CenBandwidthPackageIds, { CenBandwidthPackageId: [] });
      const paged = await h.cbn('DescribeCens', { PageSize: 1 });
      assert.equal(paged.Cens.Cen.length, 1);
      assert.equal(paged.PageSize, 1);
      await expectError(
        h,
        h.cbn('DescribeCens', { 'Filter.1.Key': 'Color', 'Filter.1.Value.1': 'x' }),
        'InvalidParameter',
        400,
      );
      await expectError(h, h.cbn('CreateCen', { ProtectionLevel: 'NONE' }), 'InvalidParameter');
    });

    it('DeleteCen refuses while children or packages remain, then deletes (Deleting → gone)', async () => {
      const cenId = await activeCen();
      const { vpcId } = await availableVpc(h);
      await attach(cenId, vpcId, REGION);
      await expectError(h, h.cbn('DeleteCen', { CenId: cenId }), 'DependencyViolation.ChildInstance', 400);
      await h.cbn('DetachCenChildInstance', {
        CenId: cenId,
        ChildInstanceId: vpcId,
        ChildInstanceType: 'VPC',
        ChildInstanceRegionId: REGION,
      });
      await expectError(h, h.cbn('DeleteCen', { CenId: cenId }), 'DependencyViolation.ChildInstance');
      await pollUntil(
        h,
        () => h.cbn('DescribeCenAttachedChildInstances', { CenId: cenId }),
        (r) => r.TotalCount === 0,
      );
      const bwp = await bandwidthFor(cenId);
      await expectError(h, h.cbn('DeleteCen', { CenId: cenId }), 'DependencyViolation.BandwidthPackage');
      await h.cbn('UnassociateCenBandwidthPackage', { CenId: cenId, CenBandwidthPackageId: bwp });
      await h.cbn('DeleteCen', { CenId: cenId });
      assert.equal((await describeCen(cenId)).Status, 'Deleting');
      await expectError(
        h,
        h.cbn('AttachCenChildInstance', {
          CenId: cenId,
          ChildInstanceId: vpcId,
          ChildInstanceType: 'VPC',
          ChildInstanceRegionId: REGION,
        }),
        'InvalidOperation.CenInstanceStatus',
      );
      await pollUntil(
        h,
        () => h.cbn('DescribeCens', { 'Filter.1.Key': 'CenId', 'Filter.1.Value.1': cenId }),
        (r) => r.TotalCount === 0,
      );
      await expectError(h, h.cbn('DeleteCen', { CenId: cenId }), 'ParameterCenInstanceId', 400);
    });
  });

  describe('child instances', () => {
    it('AttachCenChildInstance goes Attaching → Attached; one change at a time per CEN', async () => {
      const cenId = await activeCen();
      const { vpcId: a } = await availableVpc(h);
      const { vpcId: b } = await availableVpc(h, { region: FAR });
      const args = (vpcId: string, region: string) => ({
        CenId: cenId,
        ChildInstanceId: vpcId,
        ChildInstanceType: 'VPC',
        ChildInstanceRegionId: region,
      });
      await h.cbn('AttachCenChildInstance', args(a, REGION));
      const listed = await h.cbn('DescribeCenAttachedChildInstances', { CenId: cenId });
      assert.equal(listed.TotalCount, 1);
      const child = listed.ChildInstances.ChildInstance[0];
      assert.deepEqual(
        {
          id: child.ChildInstanceId,
          type: child.ChildInstanceType,
          region: child.ChildInstanceRegionId,
          status: child.Status,
        },
        { id: a, type: 'VPC', region: REGION, status: 'Attaching' },
      );
      await expectError(h, h.cbn('AttachCenChildInstance', args(b, FAR)), 'Operation.Blocking', 400);
      await pollUntil(
        h,
        () => h.cbn('DescribeCenAttachedChildInstances', { CenId: cenId }),
        (r) => r.ChildInstances.ChildInstance[0].Status === 'Attached',
      );
      const one = await h.cbn('DescribeCenAttachedChildInstanceAttribute', {
        CenId: cenId,
        ChildInstanceId: a,
        ChildInstanceRegionId: REGION,
      });
      assert.equal(one.Status, 'Attached');
      assert.equal(one.ChildInstanceType, 'VPC');
      await expectError(
        h,
        h.cbn('DescribeCenAttachedChildInstanceAttribute', {
          CenId: cenId,
          ChildInstanceId: b,
          ChildInstanceRegionId: FAR,
        }),
        'ParameterInstanceId',
      );
      await h.cbn('AttachCenChildInstance', args(b, FAR));
      await expectError(h, h.cbn('AttachCenChildInstance', args(a, REGION)), 'InvalidOperation.ChildInstanceAttached');
      const routers = await h.cbn('ListTransitRouters', { CenId: cenId });
      assert.deepEqual(
        routers.TransitRouters.map((t: Response) => [t.RegionId, t.Type]),
        [
          [REGION, 'Basic'],
          [FAR, 'Basic'],
        ],
      );
    });

    it('AttachCenChildInstance validates the CEN, the VPC and the type', async () => {
      const { VpcId: pendingVpc } = await h.vpc('CreateVpc', {});
      const { CenId: creating } = await h.cbn('CreateCen', {});
      const args = {
        CenId: creating,
        ChildInstanceId: pendingVpc,
        ChildInstanceType: 'VPC',
        ChildInstanceRegionId: REGION,
      };
      await expectError(h, h.cbn('AttachCenChildInstance', args), 'InvalidOperation.CenInstanceStatus', 400);
      const cenId = await activeCen();
      await expectError(
        h,
        h.cbn('AttachCenChildInstance', { ...args, CenId: 'cen-missing' }),
        'ParameterCenInstanceId',
      );
      // Waiting for the CEN made the first VPC Available; a fresh one is still Pending.
      const { VpcId: stillPending } = await h.vpc('CreateVpc', {});
      await expectErrors(h, h.cbn, 'AttachCenChildInstance', { ...args, CenId: cenId }, [
        [{ ChildInstanceId: stillPending }, 'InvalidOperation.ChildInstanceStatus'],
        [{ ChildInstanceId: 'vpc-missing' }, 'ParameterInstanceId'],
        [{ ChildInstanceRegionId: FAR }, 'ParameterInstanceId'],
        [{ ChildInstanceType: 'VBR' }, 'InvalidParameter'],
        [{ ChildInstanceType: 'ECS' }, 'ParameterIllegal.ChildInstanceType'],
        [{ ChildInstanceRegionId: undefined }, 'MissingParameter'],
      ]);
      await expectError(h, h.cbn('DetachCenChildInstance', { ...args, CenId: cenId }), 'ParameterInstanceId');
    });
  });

  describe('bandwidth', () => {
    it('packages: create (PREPAY default), associate, describe, and the PREPAY release rule', async () => {
      const cenId = await activeCen();
      const { CenBandwidthPackageId: prepaid } = await h.cbn('CreateCenBandwidthPackage', {
        Bandwidth: 2,
        GeographicRegionAId: 'China',
        GeographicRegionBId: 'China',
        Name: 'bwp-runbook',
      });
      assert.match(prepaid, /^cenbwp-/);
      await h.cbn('AssociateCenBandwidthPackage', { CenId: cenId, CenBandwidthPackageId: prepaid });
      const described = await h.cbn('DescribeCenBandwidthPackages', {
        'Filter.1.Key': 'CenId',
        'Filter.1.Value.1': cenId,
      });
      assert.equal(described.TotalCount, 1);
      const bwp = described.CenBandwidthPackages.CenBandwidthPackage[0];
      assert.deepEqual(
        {
          id: bwp.CenBandwidthPackageId,
          status: bwp.Status,
          charge: bwp.BandwidthPackageChargeType,
          bw: bwp.Bandwidth,
          cens: bwp.CenIds,
        },
        { id: prepaid, status: 'InUse', charge: 'PREPAY', bw: 2, cens: { CenId: [cenId] } },
      );
      assert.match(bwp.ExpiredTime, /Z$/);
      assert.deepEqual((await describeCen(cenId)).CenBandwidthPackageIds, { CenBandwidthPackageId: [prepaid] });
      // Associating it again with the same CEN (a retry whose answer was lost) succeeds and changes nothing.
      await h.cbn('AssociateCenBandwidthPackage', { CenId: cenId, CenBandwidthPackageId: prepaid });
      assert.deepEqual((await describeCen(cenId)).CenBandwidthPackageIds, { CenBandwidthPackageId: [prepaid] });

      const otherCen = await activeCen();
      await expectError(
        h,
        h.cbn('AssociateCenBandwidthPackage', { CenId: otherCen, CenBandwidthPackageId: prepaid }),
        'InvalidOperation.BwpInstanceStatus',
      );
      await expectError(
        h,
        h.cbn('DeleteCenBandwidthPackage', { CenBandwidthPackageId: prepaid }),
        'InvalidOperation.BwpInstanceStatus',
      );
      await h.cbn('UnassociateCenBandwidthPackage', { CenId: cenId, CenBandwidthPackageId: prepaid });
      await expectError(
        h,
        h.cbn('DeleteCenBandwidthPackage', { CenBandwidthPackageId: prepaid }),
        'Forbidden.Release',
        403,
      );

      const { CenBandwidthPackageId: postpaid } = await h.cbn('CreateCenBandwidthPackage', {
        Bandwidth: 2,
        GeographicRegionAId: 'China',
        GeographicRegionBId: 'China',
        BandwidthPackageChargeType: 'POSTPAY',
      });
      await h.cbn('DeleteCenBandwidthPackage', { CenBandwidthPackageId: postpaid });
      await expectError(
        h,
        h.cbn('DeleteCenBandwidthPackage', { CenBandwidthPackageId: postpaid }),
        'ParameterBwpInstanceId',
      );
      await expectError(
        h,
        h.cbn('CreateCenBandwidthPackage', { Bandwidth: 2, GeographicRegionAId: 'Mars', GeographicRegionBId: 'China' }),
        'InvalidParameter',
      );
      await expectError(
        h,
        h.cbn('CreateCenBandwidthPackage', { GeographicRegionAId: 'China', GeographicRegionBId: 'China' }),
        'MissingParameter',
      );
    });

    it('SetCenInterRegionBandwidthLimit: Modifying → Active, within the package, 0 removes it', async () => {
      const { cenId, nearVpc } = await twoRegionCen();
      const limit = { CenId: cenId, LocalRegionId: REGION, OppositeRegionId: FAR, BandwidthLimit: 2 };
      await expectError(h, h.cbn('SetCenInterRegionBandwidthLimit', limit), 'InvalidOperation.BwpNotAssociated');
      const bwp = await bandwidthFor(cenId, 'POSTPAY', 2);
      await expectErrors(h, h.cbn, 'SetCenInterRegionBandwidthLimit', limit, [
        [{ BandwidthLimit: 3 }, 'ParameterIllegal.BandwidthLimit'],
        [{ OppositeRegionId: 'cn-beijing' }, 'InvalidOperation.NoChildInstanceEitherRegion'],
        [{ OppositeRegionId: 'xx-1' }, 'ParameterIllegal.RegionId'],
      ]);
      await h.cbn('SetCenInterRegionBandwidthLimit', limit);
      const listed = await h.cbn('DescribeCenInterRegionBandwidthLimits', { CenId: cenId });
      assert.equal(listed.TotalCount, 1);
      const entry = listed.CenInterRegionBandwidthLimits.CenInterRegionBandwidthLimit[0];
      assert.deepEqual(
        {
          local: entry.LocalRegionId,
          opposite: entry.OppositeRegionId,
          limit: entry.BandwidthLimit,
          status: entry.Status,
        },
        { local: REGION, opposite: FAR, limit: 2, status: 'Modifying' },
      );
      await expectError(h, h.cbn('SetCenInterRegionBandwidthLimit', limit), 'Operation.Blocking');
      await pollUntil(
        h,
        () => h.cbn('DescribeCenInterRegionBandwidthLimits', { CenId: cenId }),
        (r) => r.CenInterRegionBandwidthLimits.CenInterRegionBandwidthLimit[0].Status === 'Active',
      );
      await expectError(
        h,
        h.cbn('UnassociateCenBandwidthPackage', { CenId: cenId, CenBandwidthPackageId: bwp }),
        'InvalidOperation.CenBandwidthLimitsNotZero',
      );
      await expectError(
        h,
        h.cbn('DetachCenChildInstance', {
          CenId: cenId,
          ChildInstanceId: nearVpc,
          ChildInstanceType: 'VPC',
          ChildInstanceRegionId: REGION,
        }),
        'InvalidOperation.CenBandwidthLimitsNotZero',
      );
      await h.cbn('SetCenInterRegionBandwidthLimit', { ...limit, BandwidthLimit: 0 });
      await pollUntil(
        h,
        () => h.cbn('DescribeCenInterRegionBandwidthLimits', { CenId: cenId }),
        (r) => r.TotalCount === 0,
      );
      await h.cbn('UnassociateCenBandwidthPackage', { CenId: cenId, CenBandwidthPackageId: bwp });
      const idle = await h.cbn('DescribeCenBandwidthPackages', {
        'Filter.1.Key': 'CenBandwidthPackageId',
        'Filter.1.Value.1': bwp,
      });
      assert.equal(idle.CenBandwidthPackages.CenBandwidthPackage[0].Status, 'Idle');
    });
  });

  it('the runbook build and its safe teardown order leave only the prepaid package behind', async () => {
    // Retries what the notes class as retryable (busy CEN, dependents still going away), moving the clock.
    const retrying = async (call: () => Promise<unknown>): Promise<void> => {
      for (let attempt = 0; attempt < 100; attempt++) {
        try {
          await call();
          return;
        } catch (err) {
          const code = (err as { code?: string }).code ?? '';
          if (
            !/^(Operation\.Blocking|DependencyViolation.*|Incorrect.*Status|InvalidOperation\..*Status|InvalidOperation\.CloudRouteStatusNotAllow)$/.test(
              code,
            )
          )
            throw err;
          h.emu.advanceClock(25);
        }
      }
      throw new Error('still failing after 100 attempts');
    };
    const near = await availableVpc(h, { cidr: '192.168.0.0/16', vSwitchCidr: '192.168.1.0/24' });
    const far = await availableVpc(h, {
      region: FAR,
      cidr: '10.0.0.0/16',
      vSwitchCidr: '10.0.1.0/24',
      zoneId: `${FAR}-a`,
    });
    const { SecurityGroupId } = await h.ecs('CreateSecurityGroup', { VpcId: near.vpcId });
    await h.ecs('AuthorizeSecurityGroup', {
      SecurityGroupId,
      IpProtocol: 'tcp',
      PortRange: '8080/8080',
      SourceCidrIp: '100.104.10.0/26',
    });
    const run = await h.ecs('RunInstances', {
      ImageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
      InstanceType: 'ecs.e-c1m1.large',
      VSwitchId: near.vSwitchId,
      SecurityGroupId,
    });
    const instanceId = run.InstanceIdSets.InstanceIdSet[0];
    const cenId = await activeCen('cen-runbook');
    const child = (vpcId: string, region: string) => ({
      CenId: cenId,
      ChildInstanceId: vpcId,
      ChildInstanceType: 'VPC',
      ChildInstanceRegionId: region,
    });
    await retrying(() => h.cbn('AttachCenChildInstance', child(near.vpcId, REGION)));
    await retrying(() => h.cbn('AttachCenChildInstance', child(far.vpcId, FAR)));
    const { CenBandwidthPackageId } = await h.cbn('CreateCenBandwidthPackage', {
      Bandwidth: 2,
      GeographicRegionAId: 'China',
      GeographicRegionBId: 'China',
    });
    await retrying(() => h.cbn('AssociateCenBandwidthPackage', { CenId: cenId, CenBandwidthPackageId }));
    const limit = { CenId: cenId, LocalRegionId: FAR, OppositeRegionId: REGION, BandwidthLimit: 2 };
    await retrying(() => h.cbn('SetCenInterRegionBandwidthLimit', limit));
    const route = {
      CenId: cenId,
      Host: '100.104.10.0/26',
      HostRegionId: REGION,
      HostVpcId: near.vpcId,
      'AccessRegionIds.1': FAR,
    };
    await retrying(() => h.cbn('ResolveAndRouteServiceInCen', route));

    // Teardown in the notes' safe order.
    await retrying(() =>
      h.cbn('DeleteRouteServiceInCen', { CenId: cenId, Host: route.Host, HostRegionId: REGION, AccessRegionId: FAR }),
    );
    await retrying(() => h.cbn('SetCenInterRegionBandwidthLimit', { ...limit, BandwidthLimit: 0 }));
    await retrying(() => h.cbn('UnassociateCenBandwidthPackage', { CenId: cenId, CenBandwidthPackageId }));
    await expectError(h, h.cbn('DeleteCenBandwidthPackage', { CenBandwidthPackageId }), 'Forbidden.Release', 403);
    await retrying(() => h.cbn('DetachCenChildInstance', child(near.vpcId, REGION)));
    await retrying(() => h.cbn('DetachCenChildInstance', child(far.vpcId, FAR)));
    await retrying(() => h.cbn('DeleteCen', { CenId: cenId }));
    await retrying(() => h.ecs('DeleteInstance', { InstanceId: instanceId, Force: true }));
    await retrying(() => h.ecs('DeleteSecurityGroup', { SecurityGroupId }));
    await retrying(() => h.vpc('DeleteVSwitch', { VSwitchId: near.vSwitchId }));
    await retrying(() => h.vpc('DeleteVSwitch', { RegionId: FAR, VSwitchId: far.vSwitchId }));
    await retrying(() => h.vpc('DeleteVpc', { VpcId: near.vpcId }));
    await retrying(() => h.vpc('DeleteVpc', { RegionId: FAR, VpcId: far.vpcId }));
    await pollUntil(
      h,
      async () => [near.vpcId, far.vpcId, cenId, instanceId].filter((id) => h.emu.store.all().some((r) => r.id === id)),
      (left) => left.length === 0,
    );
    const leftovers = h.emu.store
      .all()
      .filter((r) => JSON.stringify(r).includes(cenId) || r.id === CenBandwidthPackageId);
    assert.deepEqual(
      leftovers.map((r) => r.type),
      ['CenBandwidthPackage'],
    );
  });

  describe('route services', () => {
    const EGRESS = '100.104.10.0/26';

    it('ResolveAndRouteServiceInCen creates one Creating → Active entry per access region; delete goes Deleting → gone', async () => {
      const { cenId, nearVpc } = await twoRegionCen();
      const args = {
        CenId: cenId,
        Host: EGRESS,
        HostRegionId: REGION,
        HostVpcId: nearVpc,
        'AccessRegionIds.1': FAR,
        Description: 'api gateway egress',
      };
      await h.cbn('ResolveAndRouteServiceInCen', args);
      const listed = await h.cbn('DescribeRouteServicesInCen', { CenId: cenId, AccessRegionId: FAR });
      assert.equal(listed.TotalCount, 1);
      const entry = listed.RouteServiceEntries.RouteServiceEntry[0];
      assert.deepEqual(
        {
          host: entry.Host,
          hostRegion: entry.HostRegionId,
          vpc: entry.HostVpcId,
          access: entry.AccessRegionId,
          status: entry.Status,
        },
        { host: EGRESS, hostRegion: REGION, vpc: nearVpc, access: FAR, status: 'Creating' },
      );
      assert.deepEqual(entry.Cidrs, { Cidr: [EGRESS] });
      await expectError(h, h.cbn('ResolveAndRouteServiceInCen', args), 'InvalidOperation.RouteServiceExists');
      const del = { CenId: cenId, Host: EGRESS, HostRegionId: REGION, AccessRegionId: FAR };
      await expectError(h, h.cbn('DeleteRouteServiceInCen', del), 'InvalidOperation.CloudRouteStatusNotAllow');
      await pollUntil(
        h,
        () => h.cbn('DescribeRouteServicesInCen', { CenId: cenId, Host: EGRESS }),
        (r) => r.RouteServiceEntries.RouteServiceEntry[0].Status === 'Active',
      );
      await expectError(
        h,
        h.cbn('DetachCenChildInstance', {
          CenId: cenId,
          ChildInstanceId: nearVpc,
          ChildInstanceType: 'VPC',
          ChildInstanceRegionId: REGION,
        }),
        'DependencyViolation.RouteService',
      );
      await h.cbn('DeleteRouteServiceInCen', del);
      assert.equal(
        (await h.cbn('DescribeRouteServicesInCen', { CenId: cenId })).RouteServiceEntries.RouteServiceEntry[0].Status,
        'Deleting',
      );
      await pollUntil(
        h,
        () => h.cbn('DescribeRouteServicesInCen', { CenId: cenId }),
        (r) => r.TotalCount === 0,
      );
      await expectError(h, h.cbn('DeleteRouteServiceInCen', del), 'InvalidOperation.RouteServiceNotExist');
    });

    it('a repeated ClientToken returns the first answer: one bandwidth package, one route service entry', async () => {
      const { cenId, nearVpc } = await twoRegionCen();
      const bwp = {
        Bandwidth: 2,
        GeographicRegionAId: 'China',
        GeographicRegionBId: 'China',
        BandwidthPackageChargeType: 'POSTPAY',
        Name: 'bwp-token',
        ClientToken: 'tok-bwp',
      };
      const first = await h.cbn('CreateCenBandwidthPackage', bwp);
      const again = await h.cbn('CreateCenBandwidthPackage', bwp);
      assert.equal(again.CenBandwidthPackageId, first.CenBandwidthPackageId);
      const named = await h.cbn('DescribeCenBandwidthPackages', {
        'Filter.1.Key': 'Name',
        'Filter.1.Value.1': 'bwp-token',
      });
      assert.equal(named.TotalCount, 1);

      const route = {
        CenId: cenId,
        Host: '100.104.20.0/26',
        HostRegionId: REGION,
        HostVpcId: nearVpc,
        'AccessRegionIds.1': FAR,
        ClientToken: 'tok-route',
      };
      await h.cbn('ResolveAndRouteServiceInCen', route);
      await h.cbn('ResolveAndRouteServiceInCen', route); // same token: no RouteServiceExists, no second entry
      const entries = await h.cbn('DescribeRouteServicesInCen', { CenId: cenId, Host: route.Host });
      assert.equal(entries.TotalCount, 1);
      await expectError(
        h,
        h.cbn('ResolveAndRouteServiceInCen', { ...route, ClientToken: 'tok-route-2' }),
        'InvalidOperation.RouteServiceExists',
      );
    });

    it('ResolveAndRouteServiceInCen validates host, regions and attachments', async () => {
      const { cenId, nearVpc, farVpc } = await twoRegionCen();
      const args = { CenId: cenId, Host: EGRESS, HostRegionId: REGION, HostVpcId: nearVpc, 'AccessRegionIds.1': FAR };
      await expectError(
        h,
        h.cbn('ResolveAndRouteServiceInCen', { ...args, 'AccessRegionIds.1': undefined }),
        'MissingParameter',
        400,
      );
      await expectError(h, h.cbn('ResolveAndRouteServiceInCen', { ...args, Host: 'not a host' }), 'InvalidParameter');
      await expectError(h, h.cbn('ResolveAndRouteServiceInCen', { ...args, HostVpcId: farVpc }), 'ParameterInstanceId');
      await expectError(
        h,
        h.cbn('ResolveAndRouteServiceInCen', { ...args, 'AccessRegionIds.1': 'cn-beijing' }),
        'InvalidOperation.NoChildInstanceEitherRegion',
      );
      await expectError(h, h.cbn('ResolveAndRouteServiceInCen', { ...args, HostRegionId: 'xx-1' }), 'InvalidRegionId');
      await expectError(
        h,
        h.cbn('ResolveAndRouteServiceInCen', { ...args, CenId: 'cen-missing' }),
        'ParameterCenInstanceId',
      );
      await expectError(h, h.cbn('DescribeRouteServicesInCen', {}), 'MissingParameter');
    });

    it('POST /_emulator/tickets/cen-route plays the support team: creates the entries, replays a ticket, rejects bad input', async () => {
      const { cenId, nearVpc } = await twoRegionCen();
      const post = async (body: unknown) => {
        const res = await fetch(`${h.emu.url}/_emulator/tickets/cen-route`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as Response };
      };
      const ticket = { CenId: cenId, Host: EGRESS, HostRegionId: REGION, HostVpcId: nearVpc, AccessRegionIds: [FAR] };
      // Another change in progress blocks the API, not the support team.
      const { vpcId: third } = await availableVpc(h, { region: 'cn-beijing' });
      await h.cbn('AttachCenChildInstance', {
        CenId: cenId,
        ChildInstanceId: third,
        ChildInstanceType: 'VPC',
        ChildInstanceRegionId: 'cn-beijing',
      });
      await expectError(
        h,
        h.cbn('ResolveAndRouteServiceInCen', { ...ticket, AccessRegionIds: undefined, 'AccessRegionIds.1': FAR }),
        'Operation.Blocking',
      );
      const first = await post({ ...ticket, ticketId: 'T-1' });
      assert.equal(first.status, 200);
      assert.equal(first.body.ticketId, 'T-1');
      assert.equal(first.body.routeServices.length, 1);
      assert.equal(first.body.routeServices[0].AccessRegionId, FAR);
      assert.deepEqual(await post({ ...ticket, ticketId: 'T-1' }), first);
      const refiled = await post(ticket);
      assert.equal(refiled.status, 200);
      assert.match(refiled.body.ticketId, /^ticket-/);
      assert.equal((await h.cbn('DescribeRouteServicesInCen', { CenId: cenId })).TotalCount, 1);
      await pollUntil(
        h,
        () => h.cbn('DescribeRouteServicesInCen', { CenId: cenId }),
        (r) => r.RouteServiceEntries.RouteServiceEntry[0].Status === 'Active',
      );

      const missing = await post({ ...ticket, AccessRegionIds: [] });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.code, 'MissingParameter');
      const unknown = await post({ ...ticket, CenId: 'cen-missing' });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.code, 'ParameterCenInstanceId');
      assert.equal((await post([1, 2])).status, 400);
    });
  });
});

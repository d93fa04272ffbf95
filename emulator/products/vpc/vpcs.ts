/** VPC 2016-04-28: VPCs, regions and zones. */
import type { EmulatorContext, ResourceRecord, RpcHandler } from '../../core/contract';
import { contains, parseCidr } from './cidr';
import { attr, listInRegion, secondsTime } from './common';
import { badRequest } from './errors';
import {
  CEN_ATTACHMENT,
  DEFAULT_VPC_CIDR,
  VPC,
  instancesInVSwitch,
  requireVpc,
  requireVpcAvailable,
  vSwitchesOf,
  vpcDependencyViolation,
} from './model';
import { RpcParams, type Tag, hasTags, paginate } from './params';
import { zonesOf } from './zones';

/** Private ranges a VPC may use (Alibaba also allows some public ranges; the emulator does not). */
const VPC_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c)!);

export function vpcTags(tags: unknown): { Tag: { Key: string; Value: string }[] } {
  return { Tag: ((tags as Tag[] | undefined) ?? []).map((t) => ({ Key: t.key, Value: t.value })) };
}

function vpcView(ctx: EmulatorContext, vpc: ResourceRecord): Record<string, unknown> {
  const vSwitches = vSwitchesOf(ctx, vpc);
  return {
    VpcId: vpc.id,
    RegionId: vpc.region,
    Status: vpc.status,
    VpcName: vpc.name ?? '',
    CreationTime: secondsTime(vpc.createdAt),
    CidrBlock: attr(vpc, 'cidrBlock'),
    Ipv6CidrBlock: '',
    VRouterId: attr(vpc, 'vRouterId'),
    Description: attr<string | undefined>(vpc, 'description') ?? '',
    IsDefault: false,
    ResourceGroupId: attr(vpc, 'resourceGroupId'),
    OwnerId: Number(ctx.accountId),
    VSwitchIds: { VSwitchId: vSwitches.map((v) => v.id) },
    UserCidrs: { UserCidr: [] },
    NatGatewayIds: { NatGatewayIds: [] },
    RouterTableIds: { RouterTableIds: [attr(vpc, 'routeTableId')] },
    SecondaryCidrBlocks: { SecondaryCidrBlock: [] },
    Tags: vpcTags(vpc.attrs.tags),
  };
}

const createVpc: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const cidrText = p.optional('CidrBlock') ?? DEFAULT_VPC_CIDR;
  const cidr = parseCidr(cidrText);
  if (!cidr || cidr.prefix < 8 || cidr.prefix > 28 || !VPC_RANGES.some((r) => contains(r, cidr))) {
    throw badRequest(
      'InvalidCidrBlock.Malformed',
      `CidrBlock "${cidrText}" is not valid: use 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or a subnet of them (mask /8 to /28, no host bits set).`,
    );
  }
  const name = p.name('VpcName', 'InvalidVpcName.Malformed');
  const description = p.description();
  const tags = p.tags();
  p.checkDryRun();
  return ctx.idempotent({ product: 'vpc', action: 'CreateVpc', token: p.optional('ClientToken') }, () => {
    const vpc = ctx.store.insert({
      product: 'vpc',
      type: VPC,
      id: ctx.newId('vpc-'),
      region: req.region,
      name,
      status: 'Pending',
      attrs: {
        cidrBlock: cidr.text,
        description,
        vRouterId: ctx.newId('vrt-'),
        routeTableId: ctx.newId('vtb-'),
        resourceGroupId: p.optional('ResourceGroupId') ?? `rg-acfm${ctx.accountId.slice(0, 8)}`,
        tags,
      },
    });
    ctx.store.schedule(VPC, vpc.id, [{ status: 'Available', after: 'vpc.create' }]);
    return {
      VpcId: vpc.id,
      VRouterId: attr(vpc, 'vRouterId'),
      RouteTableId: attr(vpc, 'routeTableId'),
      ResourceGroupId: attr(vpc, 'resourceGroupId'),
    };
  });
};

const describeVpcs: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const ids = p.commaList('VpcId');
  const name = p.optional('VpcName');
  const resourceGroupId = p.optional('ResourceGroupId');
  // The emulator creates no default VPCs, so IsDefault=true matches nothing.
  const onlyDefault = p.boolean('IsDefault', false);
  const tags = p.tags();
  const page = p.page(50);
  const vpcs = listInRegion(
    ctx,
    VPC,
    req.region,
    (v) =>
      !onlyDefault &&
      (!ids || ids.includes(v.id)) &&
      (name === undefined || v.name === name) &&
      (resourceGroupId === undefined || attr(v, 'resourceGroupId') === resourceGroupId) &&
      hasTags(v.attrs.tags, tags),
  );
  const { items, ...paging } = paginate(vpcs, page);
  return { ...paging, Vpcs: { Vpc: items.map((v) => vpcView(ctx, v)) } };
};

const describeVpcAttribute: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const vpc = requireVpc(ctx, req.region, p.required('VpcId'));
  const attachments = ctx.store.list(CEN_ATTACHMENT, (a) => attr(a, 'childInstanceId') === vpc.id);
  const vSwitches = vSwitchesOf(ctx, vpc);
  const instanceCount = vSwitches.reduce((n, v) => n + instancesInVSwitch(ctx, v).length, 0);
  return {
    ...vpcView(ctx, vpc),
    ClassicLinkEnabled: false,
    CloudResources: {
      CloudResourceSetType: [
        { ResourceType: 'VSwitch', ResourceCount: vSwitches.length },
        { ResourceType: 'ECS', ResourceCount: instanceCount },
      ],
    },
    AssociatedCens: {
      AssociatedCen: attachments.map((a) => ({
        CenId: attr(a, 'cenId'),
        CenOwnerId: Number(ctx.accountId),
        CenStatus: a.status,
      })),
    },
  };
};

const deleteVpc: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const vpc = requireVpc(ctx, req.region, p.required('VpcId'));
  requireVpcAvailable(vpc);
  const violation = vpcDependencyViolation(ctx, vpc);
  if (violation) throw badRequest(violation.code, violation.message);
  ctx.store.update(VPC, vpc.id, { status: 'Deleting' });
  ctx.store.schedule(VPC, vpc.id, [{ status: null, after: 'vpc.delete' }]);
  return {};
};

const describeRegions: RpcHandler = (_req, ctx) => ({
  Regions: {
    Region: ctx.regions.map((id) => ({ RegionId: id, LocalName: id, RegionEndpoint: `vpc.${id}.aliyuncs.com` })),
  },
});

const describeZones: RpcHandler = (req) => ({
  Zones: { Zone: zonesOf(req.region).map((id) => ({ ZoneId: id, LocalName: id, ZoneType: 'AvailabilityZone' })) },
});

export const vpcActions: Record<string, RpcHandler> = {
  CreateVpc: createVpc,
  DescribeVpcs: describeVpcs,
  DescribeVpcAttribute: describeVpcAttribute,
  DeleteVpc: deleteVpc,
  DescribeRegions: describeRegions,
  DescribeZones: describeZones,
};

/** VPC 2016-04-28: vSwitches. */
import type { EmulatorContext, ResourceRecord, RpcHandler } from '../../core/contract';
import { contains, overlaps, parseCidr, size } from './cidr';
import { attr, listInRegion, secondsTime } from './common';
import { badRequest } from './errors';
import {
  VPC,
  VSWITCH,
  cidrOf,
  functionsInVSwitch,
  instancesInVSwitch,
  requireNoPendingVSwitch,
  requireVSwitch,
  requireVpc,
  requireVpcAvailable,
  vSwitchDependents,
  vSwitchesOf,
} from './model';
import { RpcParams, hasTags, paginate } from './params';
import { isZoneOf, zonesOf } from './zones';
import { vpcTags } from './vpcs';

function vSwitchView(ctx: EmulatorContext, vsw: ResourceRecord): Record<string, unknown> {
  const vpc = ctx.store.get(VPC, attr(vsw, 'vpcId'));
  const used = instancesInVSwitch(ctx, vsw).length + functionsInVSwitch(ctx, vsw).length;
  return {
    VSwitchId: vsw.id,
    VpcId: attr(vsw, 'vpcId'),
    Status: vsw.status,
    CidrBlock: attr(vsw, 'cidrBlock'),
    Ipv6CidrBlock: '',
    ZoneId: attr(vsw, 'zoneId'),
    AvailableIpAddressCount: size(cidrOf(vsw)) - 4 - used,
    Description: attr<string | undefined>(vsw, 'description') ?? '',
    VSwitchName: vsw.name ?? '',
    CreationTime: secondsTime(vsw.createdAt),
    IsDefault: false,
    ResourceGroupId: vpc ? attr(vpc, 'resourceGroupId') : '',
    OwnerId: Number(ctx.accountId),
    NetworkAclId: '',
    RouteTable: { RouteTableId: vpc ? attr(vpc, 'routeTableId') : '', RouteTableType: 'System' },
    Tags: vpcTags(vsw.attrs.tags),
  };
}

const createVSwitch: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const vpcId = p.required('VpcId');
  const zoneId = p.required('ZoneId');
  const cidrText = p.required('CidrBlock');
  const name = p.name('VSwitchName', 'InvalidVSwitchName.Malformed');
  const description = p.description();
  const tags = p.tags();
  return ctx.idempotent({ product: 'vpc', action: 'CreateVSwitch', token: p.optional('ClientToken') }, () => {
    const vpc = requireVpc(ctx, req.region, vpcId);
    requireVpcAvailable(vpc);
    if (!isZoneOf(req.region, zoneId)) {
      throw badRequest(
        'InvalidZoneId.NotFound',
        `The zone "${zoneId}" does not exist in region ${req.region}; zones there: ${zonesOf(req.region).join(', ') || 'none modeled'}.`,
      );
    }
    const cidr = parseCidr(cidrText);
    if (!cidr || cidr.prefix < 16 || cidr.prefix > 29) {
      throw badRequest(
        'InvalidCidrBlock.Malformed',
        `CidrBlock "${cidrText}" is not valid: use a.b.c.d/n with a mask from /16 to /29 and no host bits set.`,
      );
    }
    if (!contains(cidrOf(vpc), cidr)) {
      throw badRequest(
        'InvalidParameter',
        `Specified CIDR block ${cidr.text} is not valid in VPC ${vpc.id}: it must lie inside the VPC block ${attr(vpc, 'cidrBlock')}.`,
      );
    }
    const siblings = vSwitchesOf(ctx, vpc);
    const clash = siblings.find((s) => overlaps(cidrOf(s), cidr));
    if (clash) {
      throw badRequest(
        'InvalidCidrBlock.Overlapped',
        `Specified CIDR block ${cidr.text} overlaps vSwitch ${clash.id} (${attr(clash, 'cidrBlock')}) in VPC ${vpc.id}.`,
      );
    }
    requireNoPendingVSwitch(ctx, vpc);
    p.checkDryRun();
    const vsw = ctx.store.insert({
      product: 'vpc',
      type: VSWITCH,
      id: ctx.newId('vsw-'),
      region: req.region,
      name,
      status: 'Pending',
      attrs: { vpcId: vpc.id, zoneId, cidrBlock: cidr.text, description, tags },
    });
    ctx.store.schedule(VSWITCH, vsw.id, [{ status: 'Available', after: 'vswitch.create' }]);
    return { VSwitchId: vsw.id };
  });
};

const describeVSwitches: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const vpcId = p.optional('VpcId');
  const ids = p.commaList('VSwitchId');
  const name = p.optional('VSwitchName');
  const zoneId = p.optional('ZoneId');
  const tags = p.tags();
  const page = p.page(50);
  const list = listInRegion(
    ctx,
    VSWITCH,
    req.region,
    (v) =>
      (vpcId === undefined || attr(v, 'vpcId') === vpcId) &&
      (!ids || ids.includes(v.id)) &&
      (name === undefined || v.name === name) &&
      (zoneId === undefined || attr(v, 'zoneId') === zoneId) &&
      hasTags(v.attrs.tags, tags),
  );
  const { items, ...paging } = paginate(list, page);
  return { ...paging, VSwitches: { VSwitch: items.map((v) => vSwitchView(ctx, v)) } };
};

const describeVSwitchAttributes: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const vsw = requireVSwitch(ctx, req.region, p.required('VSwitchId'));
  return {
    ...vSwitchView(ctx, vsw),
    CloudResources: {
      CloudResourceSetType: [{ ResourceType: 'ECS', ResourceCount: instancesInVSwitch(ctx, vsw).length }],
    },
  };
};

const deleteVSwitch: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const vsw = requireVSwitch(ctx, req.region, p.required('VSwitchId'));
  if (vsw.status !== 'Available') {
    throw badRequest(
      'IncorrectVSwitchStatus',
      `The vSwitch ${vsw.id} is ${vsw.status}; only an Available vSwitch can be deleted. Poll DescribeVSwitchAttributes and retry.`,
    );
  }
  const dependents = vSwitchDependents(ctx, vsw);
  if (dependents.length > 0) {
    throw badRequest(
      'DependencyViolation',
      `Specified object has dependent resources: vSwitch ${vsw.id} still holds ${dependents.join(', ')}; release them first.`,
    );
  }
  const vpc = ctx.store.get(VPC, attr(vsw, 'vpcId'));
  if (vpc) requireNoPendingVSwitch(ctx, vpc);
  ctx.store.update(VSWITCH, vsw.id, { status: 'Pending' });
  ctx.store.schedule(VSWITCH, vsw.id, [{ status: null, after: 'vswitch.delete' }]);
  return {};
};

export const vSwitchActions: Record<string, RpcHandler> = {
  CreateVSwitch: createVSwitch,
  DescribeVSwitches: describeVSwitches,
  DescribeVSwitchAttributes: describeVSwitchAttributes,
  DeleteVSwitch: deleteVSwitch,
};

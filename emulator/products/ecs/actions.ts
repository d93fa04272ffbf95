import type { EmulatorContext, ResourceRecord, RpcHandler, RpcRequest } from '../../core/contract';
import { attr, listInRegion, minutesTime } from '../vpc/common';
import { badRequest, forbidden, invalidParameter, missingParameter, notFound } from '../vpc/errors';
import { ECS_INSTANCE, SECURITY_GROUP, cidrOf, requireVSwitch, requireVpc, requireVpcAvailable } from '../vpc/model';
import { RpcParams, type Tag, hasTags, paginate } from '../vpc/params';
import { zonesOf } from '../vpc/zones';
import { IMAGES, INSTANCE_TYPES, findImage, findInstanceType } from './catalog';
import {
  allocatePrivateIp,
  instancesInGroup,
  requireGroupUnused,
  requireInstance,
  requireSecurityGroup,
  rulesOf,
} from './model';
import { type RuleSpec, type SecurityGroupRule, parseRule, sameRule } from './rules';

/** RunInstances accepts at most 32 KB of user data before base64 encoding. */
const USER_DATA_LIMIT = 32 * 1024;

function ecsTags(tags: unknown): { Tag: { TagKey: string; TagValue: string }[] } {
  return { Tag: ((tags as Tag[] | undefined) ?? []).map((t) => ({ TagKey: t.key, TagValue: t.value })) };
}

// ---- security groups ----

const createSecurityGroup: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  // Classic-network groups (no VpcId) are not modeled: every resource in the runbook lives in a VPC.
  const vpcId = p.required('VpcId');
  const name = p.name('SecurityGroupName', 'InvalidSecurityGroupName.Malformed', { min: 2, leadingLetter: true });
  const description = p.description();
  const groupType = p.oneOf('SecurityGroupType', ['normal', 'enterprise'] as const, 'normal');
  const tags = p.tags();
  return ctx.idempotent({ product: 'ecs', action: 'CreateSecurityGroup', token: p.optional('ClientToken') }, () => {
    requireVpcAvailable(requireVpc(ctx, req.region, vpcId));
    p.checkDryRun();
    const group = ctx.store.insert({
      product: 'ecs',
      type: SECURITY_GROUP,
      id: ctx.newId('sg-'),
      region: req.region,
      name,
      status: 'Available',
      attrs: { vpcId, rules: [], description, securityGroupType: groupType, tags },
    });
    return { SecurityGroupId: group.id };
  });
};

function groupSummary(ctx: EmulatorContext, group: ResourceRecord): Record<string, unknown> {
  return {
    SecurityGroupId: group.id,
    SecurityGroupName: group.name ?? '',
    Description: attr<string | undefined>(group, 'description') ?? '',
    VpcId: attr(group, 'vpcId'),
    SecurityGroupType: attr(group, 'securityGroupType'),
    CreationTime: `${group.createdAt.slice(0, 19)}Z`,
    ServiceManaged: false,
    ResourceGroupId: '',
    EcsCount: instancesInGroup(ctx, group).length,
    AvailableInstanceAmount: 2000 - instancesInGroup(ctx, group).length,
    RuleCount: rulesOf(group).length,
    Tags: ecsTags(group.attrs.tags),
  };
}

const describeSecurityGroups: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const vpcId = p.optional('VpcId');
  const ids = p.jsonStringArray('SecurityGroupIds');
  const single = p.optional('SecurityGroupId');
  const name = p.optional('SecurityGroupName');
  const tags = p.tags();
  const page = p.page(50);
  const groups = listInRegion(
    ctx,
    SECURITY_GROUP,
    req.region,
    (g) =>
      (vpcId === undefined || attr(g, 'vpcId') === vpcId) &&
      (!ids || ids.includes(g.id)) &&
      (single === undefined || g.id === single) &&
      (name === undefined || g.name === name) &&
      hasTags(g.attrs.tags, tags),
  );
  const { items, ...paging } = paginate(groups, page);
  return { RegionId: req.region, ...paging, SecurityGroups: { SecurityGroup: items.map((g) => groupSummary(ctx, g)) } };
};

function permissionView(rule: SecurityGroupRule): Record<string, unknown> {
  return {
    SecurityGroupRuleId: rule.ruleId,
    Direction: rule.direction,
    IpProtocol: rule.ipProtocol.toUpperCase(),
    PortRange: rule.portRange,
    SourceCidrIp: rule.sourceCidrIp ?? '',
    DestCidrIp: rule.destCidrIp ?? '',
    Policy: rule.policy === 'accept' ? 'Accept' : 'Drop',
    Priority: String(rule.priority),
    NicType: 'intranet',
    Description: rule.description,
    CreateTime: `${rule.createdAt.slice(0, 19)}Z`,
    SourceGroupId: '',
    DestGroupId: '',
    Ipv6SourceCidrIp: '',
    Ipv6DestCidrIp: '',
  };
}

const describeSecurityGroupAttribute: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const group = requireSecurityGroup(ctx, req.region, p.required('SecurityGroupId'));
  const direction = p.oneOf('Direction', ['all', 'ingress', 'egress'] as const, 'all');
  const rules = rulesOf(group).filter((r) => direction === 'all' || r.direction === direction);
  return {
    RegionId: req.region,
    SecurityGroupId: group.id,
    SecurityGroupName: group.name ?? '',
    Description: attr<string | undefined>(group, 'description') ?? '',
    VpcId: attr(group, 'vpcId'),
    InnerAccessPolicy: 'Accept',
    Permissions: { Permission: rules.map(permissionView) },
  };
};

/** The rules of an (Authorize|Revoke)SecurityGroup[Egress] call: flat fields, or Permissions.N.*. */
function ruleSpecs(p: RpcParams, req: RpcRequest, direction: RuleSpec['direction']): RuleSpec[] {
  const listed = p.indexedRecords('Permissions');
  if (listed.length > 0) return listed.map((fields, i) => parseRule(fields, direction, `Permissions.${i + 1}.`));
  if (p.optional('IpProtocol') === undefined && p.optional('PortRange') === undefined) {
    throw missingParameter('Permissions');
  }
  return [parseRule(req.params, direction, '')];
}

function authorize(direction: RuleSpec['direction']): RpcHandler {
  return (req, ctx) => {
    const p = RpcParams.of(req);
    const group = requireSecurityGroup(ctx, req.region, p.required('SecurityGroupId'));
    const rules = [...rulesOf(group)];
    for (const spec of ruleSpecs(p, req, direction)) {
      // An identical rule already present is not an error: ECS answers success and keeps one copy.
      if (rules.some((r) => sameRule(r, spec))) continue;
      rules.push({ ...spec, ruleId: ctx.newId('sgr-'), createdAt: new Date(ctx.now()).toISOString() });
    }
    ctx.store.update(SECURITY_GROUP, group.id, { attrs: { rules } });
    return {};
  };
}

function revoke(direction: RuleSpec['direction']): RpcHandler {
  return (req, ctx) => {
    const p = RpcParams.of(req);
    const group = requireSecurityGroup(ctx, req.region, p.required('SecurityGroupId'));
    const ruleIds = p.indexed('SecurityGroupRuleId');
    const specs = ruleIds.length > 0 ? [] : ruleSpecs(p, req, direction);
    // Revoking a rule that is not there succeeds, as in ECS, so teardown can be repeated.
    const rules = rulesOf(group).filter(
      (r) => r.direction !== direction || !(ruleIds.includes(r.ruleId) || specs.some((s) => sameRule(r, s))),
    );
    ctx.store.update(SECURITY_GROUP, group.id, { attrs: { rules } });
    return {};
  };
}

const deleteSecurityGroup: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const group = requireSecurityGroup(ctx, req.region, p.required('SecurityGroupId'));
  requireGroupUnused(ctx, group);
  ctx.store.remove(SECURITY_GROUP, group.id);
  return {};
};

// ---- instances ----

function decodeUserData(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw badRequest(
      'InvalidUserData.Base64FormatInvalid',
      'UserData is not valid base64 (RFC 4648 alphabet, padded to 4 characters).',
    );
  }
  const size = Buffer.from(text, 'base64').length;
  if (size > USER_DATA_LIMIT) {
    throw badRequest(
      'InvalidUserData.SizeExceeded',
      `UserData decodes to ${size} bytes; the limit is ${USER_DATA_LIMIT} bytes (32 KB).`,
    );
  }
  return text;
}

const runInstances: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const imageId = p.required('ImageId');
  const instanceType = p.required('InstanceType');
  const vSwitchId = p.required('VSwitchId');
  const groupIds = p.indexed('SecurityGroupIds');
  const groupId = p.optional('SecurityGroupId');
  if (groupId !== undefined) groupIds.unshift(groupId);
  if (groupIds.length === 0) throw missingParameter('SecurityGroupId');
  const amount = p.integer('Amount', { min: 1, max: 100, fallback: 1 });
  const userData = decodeUserData(p.optional('UserData'));
  const name = p.name('InstanceName', 'InvalidInstanceName.Malformed', { min: 2 });
  const description = p.description();
  const requestedIp = p.optional('PrivateIpAddress');
  if (requestedIp !== undefined && amount > 1) {
    throw invalidParameter('PrivateIpAddress', 'a fixed private IP address needs Amount=1.');
  }
  const zoneId = p.optional('ZoneId');
  const tags = p.tags();
  const image = findImage(imageId);
  if (!image) {
    throw notFound(
      'InvalidImageId.NotFound',
      `The specified ImageId "${imageId}" does not exist; the emulator offers: ${IMAGES.map((i) => i.imageId).join(', ')}.`,
    );
  }
  if (!findInstanceType(instanceType)) {
    throw badRequest(
      'InvalidInstanceType.ValueNotSupported',
      `The specified InstanceType "${instanceType}" is not supported; the emulator offers: ${INSTANCE_TYPES.map((t) => t.instanceTypeId).join(', ')}.`,
    );
  }
  return ctx.idempotent({ product: 'ecs', action: 'RunInstances', token: p.optional('ClientToken') }, () => {
    const vsw = requireVSwitch(ctx, req.region, vSwitchId);
    if (vsw.status !== 'Available') {
      throw badRequest(
        'IncorrectVSwitchStatus',
        `The current status of virtual switch ${vsw.id} (${vsw.status}) does not support this operation; wait until it is Available.`,
      );
    }
    if (zoneId !== undefined && zoneId !== attr(vsw, 'zoneId')) {
      throw invalidParameter(
        'ZoneId',
        `zone ${zoneId} differs from the zone ${attr(vsw, 'zoneId')} of vSwitch ${vsw.id}.`,
      );
    }
    const vpcId = attr<string>(vsw, 'vpcId');
    for (const id of groupIds) {
      const group = requireSecurityGroup(ctx, req.region, id);
      if (attr(group, 'vpcId') !== vpcId) {
        throw badRequest(
          'InvalidSecurityGroup.VpcMismatch',
          `Security group ${id} belongs to VPC ${attr(group, 'vpcId')}, but vSwitch ${vsw.id} is in VPC ${vpcId}.`,
        );
      }
    }
    p.checkDryRun();
    const ids: string[] = [];
    for (let n = 0; n < amount; n++) {
      const id = ctx.newId('i-');
      ctx.store.insert({
        product: 'ecs',
        type: ECS_INSTANCE,
        id,
        region: req.region,
        name: name ?? id,
        status: 'Pending',
        attrs: {
          vpcId,
          vSwitchId: vsw.id,
          securityGroupIds: groupIds,
          privateIpAddress: allocatePrivateIp(ctx, vsw, cidrOf(vsw), requestedIp),
          imageId,
          instanceType,
          userData,
          zoneId: attr(vsw, 'zoneId'),
          hostName: p.optional('HostName') ?? `iZ${id.slice(2)}Z`,
          description: description ?? '',
          networkInterfaceId: ctx.newId('eni-'),
          tags,
        },
      });
      ctx.store.schedule(ECS_INSTANCE, id, [
        { status: 'Starting', after: 'ecs.pending' },
        { status: 'Running', after: 'ecs.starting' },
      ]);
      ids.push(id);
    }
    return { InstanceIdSets: { InstanceIdSet: ids }, OrderId: '', TradePrice: 0 };
  });
};

function instanceView(ctx: EmulatorContext, i: ResourceRecord): Record<string, unknown> {
  const type = findInstanceType(attr(i, 'instanceType'));
  const image = findImage(attr(i, 'imageId'));
  const ip = attr<string>(i, 'privateIpAddress');
  return {
    InstanceId: i.id,
    InstanceName: i.name ?? i.id,
    Description: attr(i, 'description'),
    HostName: attr(i, 'hostName'),
    ImageId: attr(i, 'imageId'),
    OSName: image?.osName ?? '',
    OSType: image?.osType ?? 'linux',
    RegionId: i.region,
    ZoneId: attr(i, 'zoneId'),
    InstanceType: attr(i, 'instanceType'),
    InstanceTypeFamily: type?.family ?? '',
    Cpu: type?.cpu ?? 0,
    Memory: (type?.memory ?? 0) * 1024,
    Status: i.status,
    InstanceNetworkType: 'vpc',
    InstanceChargeType: 'PostPaid',
    InternetChargeType: 'PayByTraffic',
    InternetMaxBandwidthIn: 0,
    InternetMaxBandwidthOut: 0,
    CreationTime: minutesTime(i.createdAt),
    StartTime: minutesTime(i.createdAt),
    ExpiredTime: '2099-12-31T15:59Z',
    StoppedMode: 'Not-applicable',
    DeletionProtection: false,
    SerialNumber: i.id,
    VpcAttributes: {
      VpcId: attr(i, 'vpcId'),
      VSwitchId: attr(i, 'vSwitchId'),
      PrivateIpAddress: { IpAddress: [ip] },
      NatIpAddress: '',
    },
    SecurityGroupIds: { SecurityGroupId: attr(i, 'securityGroupIds') },
    PublicIpAddress: { IpAddress: [] },
    InnerIpAddress: { IpAddress: [] },
    EipAddress: { AllocationId: '', IpAddress: '', Bandwidth: 0, InternetChargeType: '' },
    NetworkInterfaces: {
      NetworkInterface: [{ NetworkInterfaceId: attr(i, 'networkInterfaceId'), PrimaryIpAddress: ip, Type: 'Primary' }],
    },
    Tags: ecsTags(i.attrs.tags),
    OwnerId: Number(ctx.accountId),
  };
}

function globMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(value);
}

const describeInstances: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const ids = p.jsonStringArray('InstanceIds');
  if (ids && ids.length > 100) throw invalidParameter('InstanceIds', 'at most 100 ids per call.');
  const vpcId = p.optional('VpcId');
  const vSwitchId = p.optional('VSwitchId');
  const zoneId = p.optional('ZoneId');
  const name = p.optional('InstanceName');
  const status = p.optional('Status');
  const groupId = p.optional('SecurityGroupId');
  const ips = p.jsonStringArray('PrivateIpAddresses');
  const tags = p.tags();
  const page = p.page(100);
  const list = listInRegion(
    ctx,
    ECS_INSTANCE,
    req.region,
    (i) =>
      (!ids || ids.includes(i.id)) &&
      (vpcId === undefined || attr(i, 'vpcId') === vpcId) &&
      (vSwitchId === undefined || attr(i, 'vSwitchId') === vSwitchId) &&
      (zoneId === undefined || attr(i, 'zoneId') === zoneId) &&
      (name === undefined || globMatch(name, i.name ?? '')) &&
      (status === undefined || i.status === status) &&
      (groupId === undefined || attr<string[]>(i, 'securityGroupIds').includes(groupId)) &&
      (!ips || ips.includes(attr(i, 'privateIpAddress'))) &&
      hasTags(i.attrs.tags, tags),
  );
  const { items, ...paging } = paginate(list, page);
  return { ...paging, Instances: { Instance: items.map((i) => instanceView(ctx, i)) } };
};

const describeInstanceStatus: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const ids = p.indexed('InstanceId');
  const zoneId = p.optional('ZoneId');
  const page = p.page(50);
  const list = listInRegion(
    ctx,
    ECS_INSTANCE,
    req.region,
    (i) => (ids.length === 0 || ids.includes(i.id)) && (zoneId === undefined || attr(i, 'zoneId') === zoneId),
  );
  const { items, ...paging } = paginate(list, page);
  return {
    ...paging,
    InstanceStatuses: { InstanceStatus: items.map((i) => ({ InstanceId: i.id, Status: i.status })) },
  };
};

/**
 * Stopped instances can always be released; Running ones only with Force. Pending, Starting and
 * Stopping (which includes one already being released) are refused.
 */
function requireReleasable(instance: ResourceRecord, force: boolean): void {
  const ok = instance.status === 'Stopped' || (instance.status === 'Running' && force);
  if (!ok) {
    const hint =
      instance.status === 'Running' ? 'stop it first or pass Force=true' : 'wait until it is Running or Stopped';
    throw forbidden(
      'IncorrectInstanceStatus',
      `The current status of instance ${instance.id} (${instance.status}) does not support this operation: ${hint}.`,
    );
  }
}

function release(ctx: EmulatorContext, instance: ResourceRecord): void {
  ctx.store.update(ECS_INSTANCE, instance.id, { status: 'Stopping' });
  ctx.store.schedule(ECS_INSTANCE, instance.id, [{ status: null, after: 'ecs.delete' }]);
}

const deleteInstance: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const instance = requireInstance(ctx, req.region, p.required('InstanceId'));
  requireReleasable(instance, p.boolean('Force', false));
  release(ctx, instance);
  return {};
};

const deleteInstances: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const ids = p.indexed('InstanceId');
  if (ids.length === 0) throw missingParameter('InstanceId.1');
  if (ids.length > 100) throw invalidParameter('InstanceId', 'at most 100 instances per call.');
  const force = p.boolean('Force', false);
  return ctx.idempotent({ product: 'ecs', action: 'DeleteInstances', token: p.optional('ClientToken') }, () => {
    // All or nothing: every instance is checked before any is released.
    const instances = ids.map((id) => requireInstance(ctx, req.region, id));
    instances.forEach((i) => requireReleasable(i, force));
    instances.forEach((i) => release(ctx, i));
    return {};
  });
};

/** Running → Stopping → Stopped, and back via Starting; other states are refused as ECS does. */
function requireStatus(instance: ResourceRecord, wanted: string, action: string): void {
  if (instance.status !== wanted) {
    throw forbidden(
      'IncorrectInstanceStatus',
      `The current status of instance ${instance.id} (${instance.status}) does not support ${action}; it needs ${wanted}.`,
    );
  }
}

const stopInstance: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const instance = requireInstance(ctx, req.region, p.required('InstanceId'));
  p.boolean('ForceStop', false);
  requireStatus(instance, 'Running', 'StopInstance');
  ctx.store.update(ECS_INSTANCE, instance.id, { status: 'Stopping' });
  // The contract has no stop timing of its own; stopping takes about as long as starting.
  ctx.store.schedule(ECS_INSTANCE, instance.id, [{ status: 'Stopped', after: 'ecs.starting' }]);
  return {};
};

const startInstance: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const instance = requireInstance(ctx, req.region, p.required('InstanceId'));
  requireStatus(instance, 'Stopped', 'StartInstance');
  ctx.store.update(ECS_INSTANCE, instance.id, { status: 'Starting' });
  ctx.store.schedule(ECS_INSTANCE, instance.id, [{ status: 'Running', after: 'ecs.starting' }]);
  return {};
};

const describeZones: RpcHandler = (req) => ({
  Zones: {
    Zone: zonesOf(req.region).map((id) => ({
      ZoneId: id,
      LocalName: id,
      ZoneType: 'AvailabilityZone',
      AvailableResourceCreation: { ResourceTypes: ['VSwitch', 'Instance', 'Disk'] },
      AvailableInstanceTypes: { InstanceTypes: INSTANCE_TYPES.map((t) => t.instanceTypeId) },
    })),
  },
});

const describeImages: RpcHandler = (req) => {
  const p = RpcParams.of(req);
  const ids = p.commaList('ImageId');
  const name = p.optional('ImageName');
  const page = p.page(100);
  const list = IMAGES.filter(
    (i) => (!ids || ids.includes(i.imageId)) && (name === undefined || globMatch(name, i.imageName)),
  );
  const { items, ...paging } = paginate([...list], page);
  return {
    RegionId: req.region,
    ...paging,
    Images: {
      Image: items.map((i) => ({
        ImageId: i.imageId,
        ImageName: i.imageName,
        OSName: i.osName,
        OSType: i.osType,
        Platform: i.platform,
        Architecture: i.architecture,
        ImageOwnerAlias: 'system',
        Status: 'Available',
        IsSupportCloudinit: true,
        Size: 20,
      })),
    },
  };
};

const describeInstanceTypes: RpcHandler = (req) => {
  const p = RpcParams.of(req);
  const wanted = p.indexed('InstanceTypes');
  const family = p.optional('InstanceTypeFamily');
  const list = INSTANCE_TYPES.filter(
    (t) => (wanted.length === 0 || wanted.includes(t.instanceTypeId)) && (family === undefined || t.family === family),
  );
  return {
    InstanceTypes: {
      InstanceType: list.map((t) => ({
        InstanceTypeId: t.instanceTypeId,
        InstanceTypeFamily: t.family,
        CpuCoreCount: t.cpu,
        MemorySize: t.memory,
      })),
    },
  };
};

const describeRegions: RpcHandler = (_req, ctx) => ({
  Regions: {
    Region: ctx.regions.map((id) => ({
      RegionId: id,
      LocalName: id,
      RegionEndpoint: `ecs.${id}.aliyuncs.com`,
      Status: 'available',
    })),
  },
});

export const ecsActions: Record<string, RpcHandler> = {
  CreateSecurityGroup: createSecurityGroup,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeSecurityGroupAttribute: describeSecurityGroupAttribute,
  AuthorizeSecurityGroup: authorize('ingress'),
  RevokeSecurityGroup: revoke('ingress'),
  AuthorizeSecurityGroupEgress: authorize('egress'),
  RevokeSecurityGroupEgress: revoke('egress'),
  DeleteSecurityGroup: deleteSecurityGroup,
  RunInstances: runInstances,
  DescribeInstances: describeInstances,
  DescribeInstanceStatus: describeInstanceStatus,
  DeleteInstance: deleteInstance,
  DeleteInstances: deleteInstances,
  StopInstance: stopInstance,
  StartInstance: startInstance,
  DescribeZones: describeZones,
  DescribeImages: describeImages,
  DescribeInstanceTypes: describeInstanceTypes,
  DescribeRegions: describeRegions,
};

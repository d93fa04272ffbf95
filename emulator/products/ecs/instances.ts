/** ECS 2014-05-26: instances and their lifecycle. */
import type { EmulatorContext, ResourceRecord, RpcHandler } from '../../core/contract';
import { attr, listInRegion, minutesTime } from '../vpc/common';
import { badRequest, forbidden, invalidParameter, missingParameter, notFound } from '../vpc/errors';
import { ECS_INSTANCE, cidrOf, requireVSwitch } from '../vpc/model';
import { RpcParams, hasTags, paginate } from '../vpc/params';
import { IMAGES, INSTANCE_TYPES, findImage, findInstanceType } from './catalog';
import { allocatePrivateIp, ecsTags, globMatch, requireInstance, requireSecurityGroup } from './model';

/** RunInstances accepts at most 32 KB of user data before base64 encoding. */
const USER_DATA_LIMIT = 32 * 1024;

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

export const instanceActions: Record<string, RpcHandler> = {
  RunInstances: runInstances,
  DescribeInstances: describeInstances,
  DescribeInstanceStatus: describeInstanceStatus,
  DeleteInstance: deleteInstance,
  DeleteInstances: deleteInstances,
  StopInstance: stopInstance,
  StartInstance: startInstance,
};

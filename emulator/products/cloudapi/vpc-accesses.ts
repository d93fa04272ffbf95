import { randomBytes } from 'node:crypto';
import type { ResourceRecord, RpcHandler } from '../../core/contract';
import { readEcsInstance, readVpc } from '../fc/network-records';
import { invalidParameter, notFound, repeated } from './errors';
import { Params, paginate } from './params';
import { API, VPC_ACCESS, apiAttrs, isoSeconds, stageIdOf, vpcAccessAttrs } from './records';
import type { StageName, VpcAccessAttrs } from './records';

/** A VPC authorization ("VPC access") lets the gateway reach one ECS instance and port in a VPC. */
export const setVpcAccess: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const name = p.required('Name');
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,49}$/.test(name)) {
    throw invalidParameter('Name', 'start with a letter; use up to 50 letters, digits, "_" or "-"');
  }
  const vpcId = p.required('VpcId');
  const instanceId = p.required('InstanceId');
  const port = p.requiredInt('Port', 1, 65535);
  const vpc = readVpc(ctx.store, vpcId);
  if (!vpc || vpc.region !== req.region) throw notFound('Vpc', 'VpcId', vpcId);
  const ecs = readEcsInstance(ctx.store, instanceId);
  if (!ecs || ecs.region !== req.region) {
    throw invalidParameter('InstanceId', `no ECS instance ${instanceId} in ${req.region}`);
  }
  if (ecs.vpcId !== vpcId) {
    throw invalidParameter('InstanceId', `ECS instance ${instanceId} is in ${ecs.vpcId ?? 'no VPC'}, not in ${vpcId}`);
  }
  const existing = ctx.store.list(VPC_ACCESS).map(vpcAccessAttrs);
  if (existing.some((a) => a.name === name)) throw repeated('VpcAccessName', name);
  if (existing.some((a) => a.vpcId === vpcId && a.instanceId === instanceId && a.port === port)) {
    throw repeated('VpcAccess', `${vpcId}/${instanceId}:${port}`);
  }
  const attrs: VpcAccessAttrs = {
    name,
    vpcAccessId: randomBytes(16).toString('hex'),
    vpcId,
    instanceId,
    port,
    region: req.region,
    description: p.optional('Description') ?? '',
    vpcTargetHostName: p.optional('VpcTargetHostName'),
  };
  ctx.store.insert({
    product: 'cloudapi',
    type: VPC_ACCESS,
    id: name,
    region: req.region,
    name,
    status: 'Available',
    attrs: { ...attrs },
  });
  return { VpcAccessId: attrs.vpcAccessId };
};

/**
 * Removing an authorization that APIs still name is allowed, as in the console; those APIs then fail
 * at the gateway (X504VE). The response lists them, as the real operation does.
 */
export const removeVpcAccess: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const vpcId = p.required('VpcId');
  const instanceId = p.required('InstanceId');
  const port = p.requiredInt('Port', 1, 65535);
  const record = ctx.store.list(VPC_ACCESS, (r) => {
    const a = vpcAccessAttrs(r);
    return r.region === req.region && a.vpcId === vpcId && a.instanceId === instanceId && a.port === port;
  })[0];
  if (!record) throw notFound('VpcAccess', 'VpcId/InstanceId/Port', `${vpcId}/${instanceId}:${port}`);
  const users = ctx.store.list(API, (api) => apiAttrs(api).serviceConfig.VpcConfig?.Name === record.id);
  ctx.store.remove(VPC_ACCESS, record.id);
  return {
    Apis: {
      Api: users.flatMap((api) =>
        (Object.keys(apiAttrs(api).deployedStages) as StageName[]).map((stage) => ({
          ApiId: api.id,
          GroupId: apiAttrs(api).groupId,
          StageId: stageIdOf(apiAttrs(api).groupId, stage),
        })),
      ),
    },
  };
};

function vpcAccessAttribute(r: ResourceRecord): Record<string, unknown> {
  const a = vpcAccessAttrs(r);
  return {
    Name: a.name,
    VpcAccessId: a.vpcAccessId,
    VpcId: a.vpcId,
    InstanceId: a.instanceId,
    Port: a.port,
    RegionId: a.region,
    Description: a.description,
    VpcTargetHostName: a.vpcTargetHostName ?? '',
    CreatedTime: isoSeconds(r.createdAt),
    Tags: { TagInfo: [] },
  };
}

export const describeVpcAccesses: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const name = p.optional('Name');
  const exact = p.bool('AccurateQuery') ?? false;
  const vpcId = p.optional('VpcId');
  const instanceId = p.optional('InstanceId');
  const port = p.int('Port', 1, 65535);
  const vpcAccessId = p.optional('VpcAccessId');
  const page = p.page(100);
  const matching = ctx.store.list(VPC_ACCESS, (r) => {
    const a = vpcAccessAttrs(r);
    return (
      r.region === req.region &&
      (name === undefined || (exact ? a.name === name : a.name.includes(name))) &&
      (vpcId === undefined || a.vpcId === vpcId) &&
      (instanceId === undefined || a.instanceId === instanceId) &&
      (port === undefined || a.port === port) &&
      (vpcAccessId === undefined || a.vpcAccessId === vpcAccessId)
    );
  });
  return {
    VpcAccessAttributes: { VpcAccessAttribute: paginate(matching, page).map(vpcAccessAttribute) },
    TotalCount: matching.length,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
  };
};

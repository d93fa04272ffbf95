import { randomBytes } from 'node:crypto';
import type { EmulatorContext, ResourceRecord, RpcHandler } from '../../core/contract';
import { dependencyViolation, invalidParameter, missingParameter, repeated } from './errors';
import { Params, paginate } from './params';
import {
  API,
  GROUP,
  STAGES,
  apiAttrs,
  groupAttrs,
  isoSeconds,
  requireGroup,
  requireGroupOnRunningInstance,
  requireRunningInstance,
  stageIdOf,
} from './records';
import type { GroupAttrs } from './records';

/** The public second-level domain every group gets. */
export const subDomainOf = (groupId: string, region: string): string => `${groupId}-${region}.alicloudapi.com`;
/** The VPC intranet second-level domain, assigned by ModifyIntranetDomainPolicy. */
export const vpcDomainOf = (groupId: string, region: string): string => `${groupId}-${region}-vpc.alicloudapi.com`;

export const createApiGroup: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const groupName = p.required('GroupName');
  if (!/^[A-Za-z][A-Za-z0-9_]{3,49}$/.test(groupName)) {
    throw invalidParameter('GroupName', 'start with a letter; use 4-50 letters, digits or "_"');
  }
  const instanceId = p.optional('InstanceId');
  if (instanceId === undefined) {
    throw invalidParameter(
      'InstanceId',
      'this emulator models dedicated instances only (no shared instance); pass the InstanceId of a dedicated instance',
    );
  }
  const instance = requireRunningInstance(ctx.store, instanceId, req.region, 'CreateApiGroup');
  if (ctx.store.list(GROUP, (g) => g.region === req.region && groupAttrs(g).groupName === groupName).length > 0) {
    throw repeated('GroupName', groupName);
  }
  const basePath = p.optional('BasePath') ?? '/';
  if (!basePath.startsWith('/')) throw invalidParameter('BasePath', 'must start with "/"');
  const groupId = randomBytes(16).toString('hex');
  const attrs: GroupAttrs = {
    instanceId: instance.id,
    groupName,
    description: p.optional('Description') ?? '',
    basePath,
    subDomain: subDomainOf(groupId, req.region),
    vpcIntranetEnable: false,
    internetEnable: true,
    modifiedAt: new Date(ctx.now()).toISOString(),
  };
  ctx.store.insert({
    product: 'cloudapi',
    type: GROUP,
    id: groupId,
    region: req.region,
    name: groupName,
    status: 'NORMAL',
    attrs: { ...attrs },
  });
  return {
    GroupId: groupId,
    GroupName: groupName,
    SubDomain: attrs.subDomain,
    Description: attrs.description,
    InstanceId: instance.id,
    InstanceType: 'VPC_DEDICATED',
    BasePath: basePath,
    TagStatus: false,
  };
};

function groupSummary(r: ResourceRecord): Record<string, unknown> {
  const a = groupAttrs(r);
  return {
    GroupId: r.id,
    GroupName: a.groupName,
    Description: a.description,
    BasePath: a.basePath,
    SubDomain: a.subDomain,
    InstanceId: a.instanceId,
    InstanceType: 'VPC_DEDICATED',
    RegionId: r.region,
    CreatedTime: isoSeconds(r.createdAt),
    ModifiedTime: isoSeconds(a.modifiedAt),
    BillingStatus: 'NORMAL',
    IllegalStatus: 'NORMAL',
    HttpsPolicy: 'HTTPS2_TLS1_0',
    TrafficLimit: 500,
  };
}

export const describeApiGroup: RpcHandler = (req, ctx) => {
  const groupId = new Params(req.params).required('GroupId');
  const group = requireGroup(ctx.store, groupId, req.region);
  const a = groupAttrs(group);
  return {
    ...groupSummary(group),
    Status: group.status,
    VpcDomain: a.vpcDomain ?? '',
    VpcSlbIntranetDomain: '',
    DisableInnerDomain: !a.internetEnable,
    DefaultDomain: '',
    DedicatedInstanceType: 'normal',
    Ipv6Status: 'UNBIND',
    CustomDomains: { DomainItem: [] },
    StageItems: {
      StageInfo: STAGES.map((stage) => ({
        StageName: stage,
        StageId: stageIdOf(group.id, stage),
        Description: '',
      })),
    },
  };
};

export const describeApiGroups: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const groupName = p.optional('GroupName');
  const groupId = p.optional('GroupId');
  const instanceId = p.optional('InstanceId');
  const sort = p.oneOf('Sort', ['asc', 'desc'] as const, 'desc');
  const page = p.page(50);
  const matching = ctx.store
    .list(
      GROUP,
      (g) =>
        g.region === req.region &&
        (groupName === undefined || groupAttrs(g).groupName.includes(groupName)) &&
        (groupId === undefined || g.id === groupId) &&
        (instanceId === undefined || groupAttrs(g).instanceId === instanceId),
    )
    .sort((x, y) => (sort === 'asc' ? 1 : -1) * x.createdAt.localeCompare(y.createdAt));
  return {
    ApiGroupAttributes: {
      ApiGroupAttribute: paginate(matching, page).map((g) => ({ ...groupSummary(g), Tags: { TagInfo: [] } })),
    },
    TotalCount: matching.length,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
  };
};

export const deleteApiGroup: RpcHandler = (req, ctx) => {
  const groupId = new Params(req.params).required('GroupId');
  requireGroup(ctx.store, groupId, req.region);
  const apis = ctx.store.list(API, (api) => apiAttrs(api).groupId === groupId);
  if (apis.length > 0) {
    throw dependencyViolation(
      'Api',
      `The group ${groupId} still has APIs (${apis.map((api) => apiAttrs(api).apiName).join(', ')}); abolish and delete them first.`,
    );
  }
  ctx.store.remove(GROUP, groupId);
  return {};
};

interface NetworkPolicy {
  vpcIntranetEnable?: boolean;
  internetEnable?: boolean;
}

function applyNetworkPolicy(ctx: EmulatorContext, group: ResourceRecord, policy: NetworkPolicy): void {
  const current = groupAttrs(group);
  const vpcIntranetEnable = policy.vpcIntranetEnable ?? current.vpcIntranetEnable;
  ctx.store.update(GROUP, group.id, {
    attrs: {
      vpcIntranetEnable,
      vpcDomain: vpcIntranetEnable ? vpcDomainOf(group.id, group.region) : undefined,
      internetEnable: policy.internetEnable ?? current.internetEnable,
      modifiedAt: new Date(ctx.now()).toISOString(),
    },
  });
}

/** Turns the group's VPC intranet second-level domain on or off. */
export const modifyIntranetDomainPolicy: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const groupId = p.required('GroupId');
  const vpcIntranetEnable = p.requiredBool('VpcIntranetEnable');
  const { group } = requireGroupOnRunningInstance(ctx.store, groupId, req.region, 'ModifyIntranetDomainPolicy');
  applyNetworkPolicy(ctx, group, { vpcIntranetEnable });
  return {};
};

/** Switches the group's public (InternetEnable) and VPC (VpcIntranetEnable) second-level domains. */
export const modifyApiGroupNetworkPolicy: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const groupId = p.required('GroupId');
  const policy: NetworkPolicy = {
    vpcIntranetEnable: p.bool('VpcIntranetEnable'),
    internetEnable: p.bool('InternetEnable'),
  };
  // Accepted for compatibility; the emulator does not model these domains.
  p.bool('InnerDomainEnable');
  p.bool('VpcSlbIntranetEnable');
  p.bool('InternetIPV6Enable');
  if (policy.vpcIntranetEnable === undefined && policy.internetEnable === undefined) {
    throw missingParameter('InternetEnable');
  }
  const { group } = requireGroupOnRunningInstance(ctx.store, groupId, req.region, 'ModifyApiGroupNetworkPolicy');
  applyNetworkPolicy(ctx, group, policy);
  return {};
};

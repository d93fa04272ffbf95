/** ECS 2014-05-26: security groups and their rules. */
import type { EmulatorContext, ResourceRecord, RpcHandler, RpcRequest } from '../../core/contract';
import { attr, listInRegion } from '../vpc/common';
import { missingParameter } from '../vpc/errors';
import { SECURITY_GROUP, requireVpc, requireVpcAvailable } from '../vpc/model';
import { RpcParams, hasTags, paginate } from '../vpc/params';
import { ecsTags, instancesInGroup, requireGroupUnused, requireSecurityGroup, rulesOf } from './model';
import { type RuleSpec, type SecurityGroupRule, parseRule, sameRule } from './rules';

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

export const securityGroupActions: Record<string, RpcHandler> = {
  CreateSecurityGroup: createSecurityGroup,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeSecurityGroupAttribute: describeSecurityGroupAttribute,
  AuthorizeSecurityGroup: authorize('ingress'),
  RevokeSecurityGroup: revoke('ingress'),
  AuthorizeSecurityGroupEgress: authorize('egress'),
  RevokeSecurityGroupEgress: revoke('egress'),
  DeleteSecurityGroup: deleteSecurityGroup,
};

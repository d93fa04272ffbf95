import type { EmulatorContext, ResourceRecord } from '../../core/contract';
import { type Cidr, containsIp, formatIpv4, parseIpv4, usableHosts } from '../vpc/cidr';
import { attr, listInRegion } from '../vpc/common';
import { badRequest, forbidden, notFound } from '../vpc/errors';
import { ECS_INSTANCE, FC_FUNCTION, SECURITY_GROUP, findInRegion } from '../vpc/model';
import type { Tag } from '../vpc/params';
import type { SecurityGroupRule } from './rules';

export function requireSecurityGroup(ctx: EmulatorContext, region: string, id: string): ResourceRecord {
  const group = findInRegion(ctx, SECURITY_GROUP, region, id);
  if (!group) {
    throw notFound(
      'InvalidSecurityGroupId.NotFound',
      `The SecurityGroupId "${id}" does not exist in region ${region}.`,
    );
  }
  return group;
}

export function requireInstance(ctx: EmulatorContext, region: string, id: string): ResourceRecord {
  const instance = findInRegion(ctx, ECS_INSTANCE, region, id);
  if (!instance)
    throw notFound(
      'InvalidInstanceId.NotFound',
      `The specified InstanceId "${id}" does not exist in region ${region}.`,
    );
  return instance;
}

export function rulesOf(group: ResourceRecord): SecurityGroupRule[] {
  return (group.attrs.rules as SecurityGroupRule[] | undefined) ?? [];
}

export function instancesInGroup(ctx: EmulatorContext, group: ResourceRecord): ResourceRecord[] {
  return listInRegion(ctx, ECS_INSTANCE, group.region, (i) => attr<string[]>(i, 'securityGroupIds').includes(group.id));
}

/** Security groups are refused deletion while an instance or an FC function's ENI still uses them. */
export function requireGroupUnused(ctx: EmulatorContext, group: ResourceRecord): void {
  const users = [
    ...instancesInGroup(ctx, group).map((i) => `ECS instance ${i.id}`),
    ...ctx.store
      .list(
        FC_FUNCTION,
        (f) => (f.attrs.vpcConfig as { securityGroupId?: string } | undefined)?.securityGroupId === group.id,
      )
      .map((f) => `FC function ${f.id} (its ENIs)`),
  ];
  if (users.length > 0) {
    throw forbidden(
      'DependencyViolation',
      `There is still instance(s) in the specified security group ${group.id}: ${users.join(', ')}. Release them first.`,
    );
  }
}

/**
 * The address RunInstances gives an instance: the requested one if valid and free, else the lowest free
 * host address of the vSwitch block (Alibaba reserves the first and the last three).
 */
export function allocatePrivateIp(
  ctx: EmulatorContext,
  vsw: ResourceRecord,
  cidr: Cidr,
  requested: string | undefined,
): string {
  const taken = new Set(
    listInRegion(ctx, ECS_INSTANCE, vsw.region, (i) => attr(i, 'vSwitchId') === vsw.id).map((i) =>
      attr<string>(i, 'privateIpAddress'),
    ),
  );
  const { first, last } = usableHosts(cidr);
  if (requested !== undefined) {
    const ip = parseIpv4(requested);
    if (ip === undefined)
      throw badRequest('InvalidPrivateIpAddress.Malformed', `PrivateIpAddress "${requested}" is malformed.`);
    if (!containsIp(cidr, ip) || ip < first || ip > last) {
      throw badRequest(
        'InvalidPrivateIpAddress.Malformed',
        `PrivateIpAddress ${requested} is not a usable address of vSwitch ${vsw.id} (${cidr.text}).`,
      );
    }
    if (taken.has(requested))
      throw badRequest('InvalidPrivateIpAddress.Duplicated', `PrivateIpAddress ${requested} is already in use.`);
    return requested;
  }
  for (let ip = first; ip <= last; ip++) {
    const text = formatIpv4(ip);
    if (!taken.has(text)) return text;
  }
  throw badRequest(
    'QuotaExceeded.PrivateIpAddress',
    `vSwitch ${vsw.id} (${cidr.text}) has no free private IP address left.`,
  );
}

/** ECS spells tags `{Tags: {Tag: [{TagKey, TagValue}]}}` (VPC and CBN use Key/Value). */
export function ecsTags(tags: unknown): { Tag: { TagKey: string; TagValue: string }[] } {
  return { Tag: ((tags as Tag[] | undefined) ?? []).map((t) => ({ TagKey: t.key, TagValue: t.value })) };
}

/** Name filters accept `*` wildcards (DescribeInstances InstanceName, DescribeImages ImageName). */
export function globMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(value);
}

import type { EmulatorContext, ResourceRecord } from '../../core/contract';
import { type Cidr, parseCidr } from './cidr';
import { badRequest, notFound } from './errors';
import { attr, listInRegion } from './common';

/** Resource types of the VPC product, and the ones of other products that live inside a VPC. */
export const VPC = 'Vpc';
export const VSWITCH = 'VSwitch';
export const SECURITY_GROUP = 'SecurityGroup';
export const ECS_INSTANCE = 'EcsInstance';
export const CEN_ATTACHMENT = 'CenAttachment';
export const FC_FUNCTION = 'FcFunction';
export const APIGW_INSTANCE = 'ApiGatewayInstance';

export const DEFAULT_VPC_CIDR = '172.16.0.0/12';

export function findInRegion(
  ctx: EmulatorContext,
  type: string,
  region: string,
  id: string,
): ResourceRecord | undefined {
  const record = ctx.store.get(type, id);
  return record && record.region === region ? record : undefined;
}

export function requireVpc(ctx: EmulatorContext, region: string, vpcId: string): ResourceRecord {
  const vpc = findInRegion(ctx, VPC, region, vpcId);
  if (!vpc) throw notFound('InvalidVpcId.NotFound', `The specified VPC "${vpcId}" does not exist in region ${region}.`);
  return vpc;
}

export function requireVSwitch(ctx: EmulatorContext, region: string, vSwitchId: string): ResourceRecord {
  const vsw = findInRegion(ctx, VSWITCH, region, vSwitchId);
  if (!vsw) {
    throw notFound(
      'InvalidVSwitchId.NotFound',
      `The specified vSwitch "${vSwitchId}" does not exist in region ${region}.`,
    );
  }
  return vsw;
}

export function requireVpcAvailable(vpc: ResourceRecord): void {
  if (vpc.status !== 'Available') {
    throw badRequest(
      'IncorrectVpcStatus',
      `The VPC ${vpc.id} is ${vpc.status}; the operation needs it Available. Poll DescribeVpcAttribute and retry.`,
    );
  }
}

export function cidrOf(record: ResourceRecord): Cidr {
  return parseCidr(attr<string>(record, 'cidrBlock')) as Cidr;
}

export function vSwitchesOf(ctx: EmulatorContext, vpc: ResourceRecord): ResourceRecord[] {
  return listInRegion(ctx, VSWITCH, vpc.region, (v) => attr(v, 'vpcId') === vpc.id);
}

export function instancesInVSwitch(ctx: EmulatorContext, vsw: ResourceRecord): ResourceRecord[] {
  return listInRegion(ctx, ECS_INSTANCE, vsw.region, (i) => attr(i, 'vSwitchId') === vsw.id);
}

/** FC functions whose vpcConfig names the vSwitch: their ENIs occupy it. */
export function functionsInVSwitch(ctx: EmulatorContext, vsw: ResourceRecord): ResourceRecord[] {
  return ctx.store.list(FC_FUNCTION, (f) => {
    const cfg = f.attrs.vpcConfig as { vSwitchIds?: unknown } | undefined;
    return f.region === vsw.region && Array.isArray(cfg?.vSwitchIds) && cfg.vSwitchIds.includes(vsw.id);
  });
}

/** Dedicated API Gateway instances bound into the vSwitch (ModifyInstanceVpcAttributeForConsole). */
export function gatewaysInVSwitch(ctx: EmulatorContext, vsw: ResourceRecord): ResourceRecord[] {
  return ctx.store.list(APIGW_INSTANCE, (g) => {
    const bound = g.attrs.boundVpc as { vSwitchId?: string } | undefined;
    return bound?.vSwitchId === vsw.id;
  });
}

/**
 * One vSwitch change at a time per VPC: real VPC refuses a vSwitch create/delete while another vSwitch
 * of the same VPC is being created or deleted (both show Pending).
 */
export function requireNoPendingVSwitch(ctx: EmulatorContext, vpc: ResourceRecord): void {
  const pending = vSwitchesOf(ctx, vpc).find((v) => v.status === 'Pending');
  if (pending) {
    throw badRequest(
      'OperationConflict',
      `The VPC ${vpc.id} is busy: vSwitch ${pending.id} is being created or deleted. Retry once it is Available or gone.`,
    );
  }
}

/**
 * Why a VPC cannot be deleted yet, checked in the order the real API reports it: vSwitches (which hold
 * instances and ENIs), security groups, CEN attachments.
 */
export function vpcDependencyViolation(
  ctx: EmulatorContext,
  vpc: ResourceRecord,
): { code: string; message: string } | undefined {
  const vSwitches = vSwitchesOf(ctx, vpc);
  if (vSwitches.length > 0) {
    return {
      code: 'DependencyViolation.VSwitch',
      message: `The VPC ${vpc.id} still has vSwitches (${vSwitches.map((v) => v.id).join(', ')}); delete them first.`,
    };
  }
  const groups = listInRegion(ctx, SECURITY_GROUP, vpc.region, (g) => attr(g, 'vpcId') === vpc.id);
  if (groups.length > 0) {
    return {
      code: 'DependencyViolation.SecurityGroup',
      message: `The VPC ${vpc.id} still has security groups (${groups.map((g) => g.id).join(', ')}); delete them first.`,
    };
  }
  const attachments = ctx.store.list(CEN_ATTACHMENT, (a) => attr(a, 'childInstanceId') === vpc.id);
  if (attachments.length > 0) {
    return {
      code: 'DependencyViolation.CenInstance',
      message: `The VPC ${vpc.id} is attached to CEN ${attachments.map((a) => attr<string>(a, 'cenId')).join(', ')}; detach it first (DetachCenChildInstance).`,
    };
  }
  return undefined;
}

/** Why a vSwitch cannot be deleted yet: ECS instances, FC function ENIs or a bound gateway instance in it. */
export function vSwitchDependents(ctx: EmulatorContext, vsw: ResourceRecord): string[] {
  return [
    ...instancesInVSwitch(ctx, vsw).map((i) => `ECS instance ${i.id}`),
    ...functionsInVSwitch(ctx, vsw).map((f) => `FC function ${f.id} (its ENIs)`),
    ...gatewaysInVSwitch(ctx, vsw).map((g) => `API Gateway instance ${g.id}`),
  ];
}

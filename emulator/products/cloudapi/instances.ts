import { randomBytes, randomInt } from 'node:crypto';
import type { EmulatorContext, ResourceRecord, RpcHandler, RpcRequest } from '../../core/contract';
import { readVpc, readVSwitch } from '../fc/network-records';
import { dependencyViolation, incorrectInstanceStatus, invalidParameter, notFound } from './errors';
import { Params, paginate } from './params';
import { GROUP, INSTANCE, groupAttrs, instanceAttrs, requireInstance, requireRunningInstance } from './records';
import type { InstanceAttrs } from './records';

/** Dedicated instance specifications; the runbook only works with dedicated instances. */
export const DEDICATED_SPECS = [
  'api.s1.small',
  'api.s1.medium',
  'api.m1.small',
  'api.m1.medium',
  'api.l1.small',
  'api.l1.medium',
  'api.l1.large',
  'api.l1.xlarge',
] as const;

const SPEC_RPS: Record<string, number> = {
  'api.s1.small': 2500,
  'api.s1.medium': 5000,
  'api.m1.small': 10000,
  'api.m1.medium': 20000,
  'api.l1.small': 50000,
  'api.l1.medium': 100000,
  'api.l1.large': 200000,
  'api.l1.xlarge': 400000,
};

const REGION_SHORT_NAMES: Record<string, string> = {
  'cn-hangzhou': 'hz',
  'cn-shanghai': 'sh',
  'cn-beijing': 'bj',
  'cn-zhangjiakou': 'zjk',
  'cn-shenzhen': 'sz',
  'cn-qingdao': 'qd',
  'cn-huhehaote': 'hhht',
  'cn-chengdu': 'cd',
  'cn-hongkong': 'hk',
  'ap-southeast-1': 'sg',
};

export function zonesOf(region: string): { ZoneId: string; LocalName: string }[] {
  return [
    { ZoneId: `${region}-a`, LocalName: `${region} Zone A` },
    { ZoneId: `${region}-b`, LocalName: `${region} Zone B` },
    { ZoneId: `${region}-MAZ1(a,b)`, LocalName: `${region} Multi-zone 1(a,b)` },
  ];
}

export const describeZones: RpcHandler = (req) => ({ Zones: { Zone: zonesOf(req.region) } });

/**
 * Each dedicated instance reaches backends from its own /26 in 100.104.0.0/16 (the "VPC egress
 * address" that security groups and CEN route services must name).
 */
function allocateEgressCidr(ctx: EmulatorContext): string {
  const used = new Set(ctx.store.list(INSTANCE).map((r) => instanceAttrs(r).vpcEgressAddress));
  const blocks = 1024;
  const start = randomInt(blocks);
  for (let i = 0; i < blocks; i += 1) {
    const block = (start + i) % blocks;
    const cidr = `100.104.${Math.floor(block / 4)}.${(block % 4) * 64}/26`;
    if (!used.has(cidr)) return cidr;
  }
  throw new Error('emulator: all 1024 gateway egress CIDR blocks in 100.104.0.0/16 are in use');
}

export const createInstance: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const instanceName = p.required('InstanceName');
  if (!/^[A-Za-z0-9_-]{1,50}$/.test(instanceName)) {
    throw invalidParameter('InstanceName', 'use 1-50 letters, digits, "_" or "-"');
  }
  const instanceSpec = p.required('InstanceSpec');
  if (!(DEDICATED_SPECS as readonly string[]).includes(instanceSpec)) {
    throw invalidParameter(
      'InstanceSpec',
      `'${instanceSpec}' is not a dedicated instance specification. Only dedicated (VPC) instances can be bound to a user VPC; use one of ${DEDICATED_SPECS.join(', ')}`,
    );
  }
  const zoneId = p.optional('ZoneId') ?? zonesOf(req.region)[0]?.ZoneId ?? '';
  if (!zonesOf(req.region).some((z) => z.ZoneId === zoneId)) {
    throw invalidParameter('ZoneId', `'${zoneId}' is not a zone of ${req.region}; call DescribeZones`);
  }
  const chargeType = p.oneOf('ChargeType', ['PostPaid', 'PrePaid'] as const);
  if (chargeType === 'PrePaid') {
    p.oneOf('PricingCycle', ['Month', 'Year'] as const);
    p.requiredInt('Duration', 1, 9);
  }
  const httpsPolicy = p.optional('HttpsPolicy') ?? 'HTTPS2_TLS1_0';
  const instanceType = p.optional('InstanceType');
  if (instanceType !== undefined && instanceType !== 'normal') {
    throw invalidParameter('InstanceType', `'${instanceType}' is not supported here; use 'normal' (VPC dedicated)`);
  }
  const token = p.required('Token');

  return ctx.idempotent({ product: 'cloudapi', action: 'CreateInstance', token }, () => {
    const short = REGION_SHORT_NAMES[req.region] ?? req.region;
    const id = `apigateway-${short}-${randomBytes(6).toString('hex')}`;
    const attrs: InstanceAttrs = {
      instanceSpec,
      instanceType: 'VPC_DEDICATED',
      zoneId,
      vpcEgressAddress: allocateEgressCidr(ctx),
      httpsPolicy,
      chargeType,
    };
    ctx.store.insert({
      product: 'cloudapi',
      type: INSTANCE,
      id,
      region: req.region,
      name: instanceName,
      status: 'CREATING',
      attrs: { ...attrs },
    });
    ctx.store.schedule(INSTANCE, id, [{ status: 'RUNNING', after: 'apigw.instance.create' }]);
    return { InstanceId: id, TagStatus: false };
  });
};

/** `2021-10-22 15:36:53.0`, the format DescribeInstances uses for CreatedTime. */
function consoleTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.0`;
}

function instanceAttribute(r: ResourceRecord, ctx: EmulatorContext): Record<string, unknown> {
  const a = instanceAttrs(r);
  const bound = a.boundVpc;
  const zone = zonesOf(r.region).find((z) => z.ZoneId === a.zoneId);
  return {
    InstanceId: r.id,
    InstanceName: r.name ?? '',
    InstanceSpec: a.instanceSpec,
    InstanceType: a.instanceType,
    DedicatedInstanceType: 'normal',
    Status: r.status,
    RegionId: r.region,
    ZoneId: a.zoneId,
    ZoneLocalName: zone?.LocalName ?? a.zoneId,
    CreatedTime: consoleTime(r.createdAt),
    InstanceChargeType: a.chargeType,
    HttpsPolicies: a.httpsPolicy,
    InstanceRpsLimit: SPEC_RPS[a.instanceSpec] ?? 2500,
    VpcEgressAddress: a.vpcEgressAddress,
    VpcIntranetEnable: bound !== undefined,
    VpcOwnerId: Number(bound?.vpcOwnerId ?? ctx.accountId),
    UserVpcId: bound?.vpcId ?? '',
    UserVswitchId: bound?.vSwitchId ?? '',
    VpcSlbIntranetEnable: false,
    SupportIpv6: false,
    EgressIpv6Enable: false,
    InstanceSpecAttributes: {
      SpecAttribute: [
        { LocalName: 'SLA', Value: '99.95%' },
        { LocalName: 'Requests Per Second', Value: String(SPEC_RPS[a.instanceSpec] ?? 2500) },
      ],
    },
  };
}

export const describeInstances: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const instanceId = p.optional('InstanceId');
  const instanceType = p.optional('InstanceType');
  p.oneOf('Language', ['zh', 'en', 'ja'] as const, 'zh');
  const page = p.page(100);
  // Unknown ids give an empty list, not an error (Terraform's read relies on that).
  const matching = ctx.store.list(
    INSTANCE,
    (r) =>
      r.region === req.region &&
      (!instanceId || r.id === instanceId) &&
      (!instanceType || instanceAttrs(r).instanceType === instanceType),
  );
  return {
    Instances: { InstanceAttribute: paginate(matching, page).map((r) => instanceAttribute(r, ctx)) },
    TotalCount: matching.length,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
  };
};

export const deleteInstance: RpcHandler = (req, ctx) => {
  const instanceId = new Params(req.params).required('InstanceId');
  const instance = requireInstance(ctx.store, instanceId, req.region);
  if (instance.status !== 'RUNNING') throw incorrectInstanceStatus(instanceId, instance.status, 'DeleteInstance');
  const groups = ctx.store.list(GROUP, (g) => groupAttrs(g).instanceId === instanceId);
  if (groups.length > 0) {
    throw dependencyViolation(
      'ApiGroup',
      `The instance ${instanceId} still hosts API groups (${groups.map((g) => g.id).join(', ')}); delete them with DeleteApiGroup first.`,
    );
  }
  ctx.store.update(INSTANCE, instanceId, { status: 'DELETING' });
  ctx.store.schedule(INSTANCE, instanceId, [{ status: null, after: 'apigw.instance.delete' }]);
  return {};
};

function bindingTarget(req: RpcRequest, ctx: EmulatorContext, p: Params): { vpcId: string; vSwitchId?: string } {
  const vpcId = p.required('VpcId');
  const vpc = readVpc(ctx.store, vpcId);
  if (!vpc || vpc.region !== req.region) throw notFound('Vpc', 'VpcId', vpcId);
  if (vpc.status !== 'Available') {
    throw invalidParameter('VpcId', `VPC ${vpcId} is ${vpc.status}; wait until it is Available`);
  }
  const vSwitchId = p.optional('VswitchId');
  if (vSwitchId !== undefined) {
    const vSwitch = readVSwitch(ctx.store, vSwitchId);
    if (!vSwitch || vSwitch.region !== req.region) throw notFound('VSwitch', 'VswitchId', vSwitchId);
    if (vSwitch.vpcId !== vpcId) {
      throw invalidParameter('VswitchId', `vSwitch ${vSwitchId} belongs to ${vSwitch.vpcId ?? 'no VPC'}, not ${vpcId}`);
    }
  }
  return { vpcId, vSwitchId };
}

/**
 * Binds the dedicated instance to a user VPC ("Bind to the user's VPC" in the console), or unbinds it
 * with DeleteVpcAccess=true. Either way the instance goes MODIFYING → RUNNING.
 */
export const modifyInstanceVpcAttributeForConsole: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const instanceId = p.required('InstanceId');
  const unbind = p.bool('DeleteVpcAccess') ?? false;
  const vpcOwnerId = p.optional('VpcOwnerId') ?? ctx.accountId;
  if (!/^\d+$/.test(vpcOwnerId)) throw invalidParameter('VpcOwnerId', `'${vpcOwnerId}' is not an account id`);
  if (vpcOwnerId !== ctx.accountId) {
    throw invalidParameter('VpcOwnerId', `account ${vpcOwnerId} is not this account (${ctx.accountId})`);
  }
  const token = p.optional('Token');
  return ctx.idempotent({ product: 'cloudapi', action: 'ModifyInstanceVpcAttributeForConsole', token }, () => {
    const instance = requireRunningInstance(ctx.store, instanceId, req.region, 'ModifyInstanceVpcAttributeForConsole');
    const current = instanceAttrs(instance).boundVpc;
    if (unbind) {
      const vpcId = p.required('VpcId');
      if (current?.vpcId !== vpcId) {
        throw invalidParameter(
          'VpcId',
          `instance ${instanceId} is not bound to ${vpcId} (bound: ${current?.vpcId ?? 'none'})`,
        );
      }
      ctx.store.update(INSTANCE, instanceId, { status: 'MODIFYING', attrs: { boundVpc: undefined } });
    } else {
      const target = bindingTarget(req, ctx, p);
      ctx.store.update(INSTANCE, instanceId, {
        status: 'MODIFYING',
        attrs: { boundVpc: { ...target, vpcOwnerId } },
      });
    }
    ctx.store.schedule(INSTANCE, instanceId, [{ status: 'RUNNING', after: 'apigw.instance.rebind' }]);
    return {};
  });
};

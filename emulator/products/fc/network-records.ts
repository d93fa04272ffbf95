import type { ResourceRecord, ResourceStore } from '../../core/contract';

/*
 * Read-only views of the records other products own (VPC, ECS, CBN, RAM), shaped as the team's
 * emulator-records table describes them. The gateway validates against them and reachability walks
 * them; reading every foreign attr through here keeps one place to adapt if a record changes.
 */

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const strArray = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const num = (value: unknown): number | undefined => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

export interface VpcView {
  id: string;
  region: string;
  status: string;
  cidrBlock?: string;
}

export interface VSwitchView {
  id: string;
  region: string;
  status: string;
  vpcId?: string;
  zoneId?: string;
}

export interface SecurityGroupRule {
  direction: string;
  ipProtocol: string;
  portRange: string;
  sourceCidrIp?: string;
  policy: string;
  priority: number;
}

export interface SecurityGroupView {
  id: string;
  region: string;
  vpcId?: string;
  rules: SecurityGroupRule[];
}

export interface EcsInstanceView {
  id: string;
  region: string;
  status: string;
  createdAt: string;
  vpcId?: string;
  vSwitchId?: string;
  securityGroupIds: string[];
  privateIpAddress?: string;
  /** Decoded UserData (the cloud-init script), empty when none. */
  userData: string;
  attrs: Record<string, unknown>;
}

export interface RamRoleView {
  name: string;
  status: string;
  arn?: string;
  assumeRolePolicyDocument?: string;
  policyNames: string[];
  attrs: Record<string, unknown>;
}

export interface CenAttachmentView {
  id: string;
  status: string;
  cenId: string;
  childInstanceId: string;
  childInstanceRegionId: string;
}

export interface CenRouteServiceView {
  id: string;
  status: string;
  cenId: string;
  host: string;
  hostRegionId: string;
  hostVpcId?: string;
  accessRegionId: string;
}

export interface CenBandwidthLimitView {
  id: string;
  status: string;
  cenId: string;
  regions: [string, string];
  bandwidthLimit: number;
}

function vpcView(r: ResourceRecord): VpcView {
  return { id: r.id, region: r.region, status: r.status, cidrBlock: str(r.attrs.cidrBlock) };
}

function vSwitchView(r: ResourceRecord): VSwitchView {
  return { id: r.id, region: r.region, status: r.status, vpcId: str(r.attrs.vpcId), zoneId: str(r.attrs.zoneId) };
}

function securityGroupView(r: ResourceRecord): SecurityGroupView {
  const rules = Array.isArray(r.attrs.rules) ? (r.attrs.rules as Record<string, unknown>[]) : [];
  return {
    id: r.id,
    region: r.region,
    vpcId: str(r.attrs.vpcId),
    rules: rules.map((rule) => ({
      direction: (str(rule.direction) ?? 'ingress').toLowerCase(),
      ipProtocol: (str(rule.ipProtocol) ?? 'all').toLowerCase(),
      portRange: str(rule.portRange) ?? '-1/-1',
      sourceCidrIp: str(rule.sourceCidrIp),
      policy: (str(rule.policy) ?? 'accept').toLowerCase(),
      priority: num(rule.priority) ?? 1,
    })),
  };
}

function decodeUserData(value: unknown): string {
  const encoded = str(value);
  return encoded ? Buffer.from(encoded, 'base64').toString('utf8') : '';
}

function ecsInstanceView(r: ResourceRecord): EcsInstanceView {
  return {
    id: r.id,
    region: r.region,
    status: r.status,
    createdAt: r.createdAt,
    vpcId: str(r.attrs.vpcId),
    vSwitchId: str(r.attrs.vSwitchId),
    securityGroupIds: strArray(r.attrs.securityGroupIds),
    privateIpAddress: str(r.attrs.privateIpAddress),
    userData: decodeUserData(r.attrs.userData),
    attrs: r.attrs,
  };
}

export const readVpc = (store: ResourceStore, id: string): VpcView | undefined => {
  const r = store.get('Vpc', id);
  return r && vpcView(r);
};

export const readVSwitch = (store: ResourceStore, id: string): VSwitchView | undefined => {
  const r = store.get('VSwitch', id);
  return r && vSwitchView(r);
};

export const readSecurityGroup = (store: ResourceStore, id: string): SecurityGroupView | undefined => {
  const r = store.get('SecurityGroup', id);
  return r && securityGroupView(r);
};

export const readEcsInstance = (store: ResourceStore, id: string): EcsInstanceView | undefined => {
  const r = store.get('EcsInstance', id);
  return r && ecsInstanceView(r);
};

/** RAM role names are case-insensitive (RAM lower-cases them in ARNs). */
export function readRamRole(store: ResourceStore, name: string): RamRoleView | undefined {
  const wanted = name.toLowerCase();
  const r = store.get('RamRole', name) ?? store.list('RamRole', (role) => role.id.toLowerCase() === wanted).at(0);
  if (!r) return undefined;
  const policies = Array.isArray(r.attrs.policies) ? (r.attrs.policies as Record<string, unknown>[]) : [];
  return {
    name: r.id,
    status: r.status,
    arn: str(r.attrs.arn),
    assumeRolePolicyDocument: str(r.attrs.assumeRolePolicyDocument),
    policyNames: policies.map((p) => str(p.policyName)).filter((p): p is string => p !== undefined),
    attrs: r.attrs,
  };
}

export const listCenAttachments = (store: ResourceStore): CenAttachmentView[] =>
  store.list('CenAttachment').map((r) => ({
    id: r.id,
    status: r.status,
    cenId: str(r.attrs.cenId) ?? r.id.split('/')[0] ?? '',
    childInstanceId: str(r.attrs.childInstanceId) ?? r.id.split('/')[1] ?? '',
    childInstanceRegionId: str(r.attrs.childInstanceRegionId) ?? r.region,
  }));

export const listCenRouteServices = (store: ResourceStore): CenRouteServiceView[] =>
  store.list('CenRouteService').map((r) => ({
    id: r.id,
    status: r.status,
    cenId: str(r.attrs.cenId) ?? '',
    host: str(r.attrs.host) ?? '',
    hostRegionId: str(r.attrs.hostRegionId) ?? '',
    hostVpcId: str(r.attrs.hostVpcId),
    accessRegionId: str(r.attrs.accessRegionId) ?? '',
  }));

export const listCenBandwidthLimits = (store: ResourceStore): CenBandwidthLimitView[] =>
  store.list('CenInterRegionBandwidthLimit').map((r) => ({
    id: r.id,
    status: r.status,
    cenId: str(r.attrs.cenId) ?? '',
    regions: [str(r.attrs.localRegionId) ?? '', str(r.attrs.oppositeRegionId) ?? ''],
    bandwidthLimit: num(r.attrs.bandwidthLimit) ?? 0,
  }));

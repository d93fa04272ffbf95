import { createHash } from 'node:crypto';
import type { ResourceRecord, ResourceStore } from '../../core/contract';
import { incorrectInstanceStatus, notFound } from './errors';

/*
 * The gateway's resource records (types and attrs as in the team's emulator-records table). Only this
 * product writes them; reachability reads them through the same accessors.
 */

export const INSTANCE = 'ApiGatewayInstance';
export const GROUP = 'ApiGroup';
export const API = 'Api';
export const VPC_ACCESS = 'VpcAccess';

export const STAGES = ['RELEASE', 'PRE', 'TEST'] as const;
export type StageName = (typeof STAGES)[number];

/** A group's environment id (32 hex, stable: the emulator does not store stages separately). */
export const stageIdOf = (groupId: string, stage: StageName): string =>
  createHash('md5').update(`${groupId}/${stage}`).digest('hex');

export interface BoundVpc {
  vpcId: string;
  vSwitchId?: string;
  vpcOwnerId: string;
}

export interface InstanceAttrs {
  instanceSpec: string;
  instanceType: 'VPC_DEDICATED';
  zoneId: string;
  vpcEgressAddress: string;
  httpsPolicy: string;
  chargeType: string;
  boundVpc?: BoundVpc;
}

export interface GroupAttrs {
  instanceId: string;
  groupName: string;
  description: string;
  basePath: string;
  subDomain: string;
  vpcDomain?: string;
  vpcIntranetEnable: boolean;
  internetEnable: boolean;
  modifiedAt: string;
}

export interface RequestConfig {
  RequestProtocol: string;
  RequestHttpMethod: string;
  RequestPath: string;
  RequestMode: string;
  [key: string]: unknown;
}

export interface VpcConfig {
  Name?: string;
  VpcId?: string;
  InstanceId?: string;
  Port?: number;
  VpcScheme?: string;
}

export interface ServiceConfig {
  ServiceProtocol: string;
  ServiceHttpMethod: string;
  ServicePath: string;
  ServiceTimeout: number;
  ServiceVpcEnable: 'TRUE' | 'FALSE';
  ServiceAddress?: string;
  VpcConfig?: VpcConfig;
  [key: string]: unknown;
}

/** What DeployApi froze: the gateway serves the deployed definition, not the current draft. */
export interface Deployment {
  deployedAt: string;
  description: string;
  effectiveVersion: string;
  requestConfig: RequestConfig;
  serviceConfig: ServiceConfig;
  authType: string;
}

export interface ApiAttrs {
  groupId: string;
  apiName: string;
  description: string;
  visibility: string;
  authType: string;
  resultType: string;
  requestConfig: RequestConfig;
  serviceConfig: ServiceConfig;
  deployedStages: Partial<Record<StageName, Deployment>>;
  modifiedAt: string;
}

export interface VpcAccessAttrs {
  name: string;
  vpcAccessId: string;
  vpcId: string;
  instanceId: string;
  port: number;
  region: string;
  description: string;
  vpcTargetHostName?: string;
}

export const instanceAttrs = (r: ResourceRecord): InstanceAttrs => r.attrs as unknown as InstanceAttrs;
export const groupAttrs = (r: ResourceRecord): GroupAttrs => r.attrs as unknown as GroupAttrs;
export const apiAttrs = (r: ResourceRecord): ApiAttrs => r.attrs as unknown as ApiAttrs;
export const vpcAccessAttrs = (r: ResourceRecord): VpcAccessAttrs => r.attrs as unknown as VpcAccessAttrs;

/** A gateway record visible from `region` (CloudAPI resources are regional). */
function requireInRegion(
  store: ResourceStore,
  type: string,
  id: string,
  region: string,
  resource: string,
  paramName: string,
): ResourceRecord {
  const record = store.get(type, id);
  if (!record || record.region !== region) throw notFound(resource, paramName, id);
  return record;
}

export const requireInstance = (store: ResourceStore, id: string, region: string): ResourceRecord =>
  requireInRegion(store, INSTANCE, id, region, 'Instance', 'InstanceId');
export const requireGroup = (store: ResourceStore, id: string, region: string): ResourceRecord =>
  requireInRegion(store, GROUP, id, region, 'ApiGroup', 'GroupId');
export const requireApi = (store: ResourceStore, id: string, region: string): ResourceRecord =>
  requireInRegion(store, API, id, region, 'Api', 'ApiId');

export function requireRunningInstance(
  store: ResourceStore,
  id: string,
  region: string,
  action: string,
): ResourceRecord {
  const instance = requireInstance(store, id, region);
  if (instance.status !== 'RUNNING') throw incorrectInstanceStatus(id, instance.status, action);
  return instance;
}

/** The instance that serves a group, which must be RUNNING for any change to the group's configuration. */
export function requireGroupOnRunningInstance(
  store: ResourceStore,
  groupId: string,
  region: string,
  action: string,
): { group: ResourceRecord; instance: ResourceRecord } {
  const group = requireGroup(store, groupId, region);
  const instance = requireRunningInstance(store, groupAttrs(group).instanceId, region, action);
  return { group, instance };
}

/** `2016-08-01T06:53:02Z`: CloudAPI's timestamps carry no milliseconds. */
export function isoSeconds(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

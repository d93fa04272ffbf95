import type { PageRequest, PageResponse, Tag } from './lists';
import { asJson, type JsonParam } from './params';
import type { RpcClient } from './rpc-client';

// ECS 2014-05-26. Field names as in Alibaba's API reference.

export interface CreateSecurityGroupRequest {
  RegionId: string;
  VpcId: string;
  SecurityGroupName?: string;
  Description?: string;
  SecurityGroupType?: 'normal' | 'enterprise';
  ResourceGroupId?: string;
  Tag?: Tag[];
  ClientToken?: string;
}
export interface CreateSecurityGroupResponse {
  SecurityGroupId: string;
}

export interface SecurityGroupPermission {
  IpProtocol: 'tcp' | 'udp' | 'icmp' | 'gre' | 'all' | 'TCP' | 'UDP' | 'ICMP' | 'GRE' | 'ALL';
  /** "8080/8080" */
  PortRange: string;
  SourceCidrIp?: string;
  Policy?: 'accept' | 'drop';
  Priority?: string | number;
  NicType?: 'intranet' | 'internet';
  Description?: string;
}

/** Rules as the `Permissions.N.*` list (preferred) or the older flat single-rule parameters. */
export interface AuthorizeSecurityGroupRequest extends Partial<SecurityGroupPermission> {
  RegionId: string;
  SecurityGroupId: string;
  Permissions?: SecurityGroupPermission[];
  ClientToken?: string;
}
export type RevokeSecurityGroupRequest = AuthorizeSecurityGroupRequest;

export interface SecurityGroup {
  SecurityGroupId: string;
  SecurityGroupName?: string;
  VpcId?: string;
  Description?: string;
  SecurityGroupType?: string;
  CreationTime?: string;
}
export interface DescribeSecurityGroupsRequest extends PageRequest {
  RegionId: string;
  VpcId?: string;
  SecurityGroupId?: string;
  /** Sent as a JSON array string; a pre-serialized string passes through unchanged. */
  SecurityGroupIds?: string[] | string;
  SecurityGroupName?: string;
  Tag?: Tag[];
}
export interface DescribeSecurityGroupsResponse extends PageResponse {
  SecurityGroups?: { SecurityGroup?: SecurityGroup[] };
}

export interface DescribeSecurityGroupAttributeRequest {
  RegionId: string;
  SecurityGroupId: string;
  Direction?: 'ingress' | 'egress' | 'all';
}
export interface DescribeSecurityGroupAttributeResponse {
  SecurityGroupId: string;
  SecurityGroupName?: string;
  VpcId?: string;
  RegionId?: string;
  Permissions?: {
    Permission?: (SecurityGroupPermission & { Direction?: string; SecurityGroupRuleId?: string })[];
  };
}

export interface RunInstancesRequest {
  RegionId: string;
  ImageId: string;
  InstanceType: string;
  VSwitchId: string;
  SecurityGroupId: string;
  InstanceName?: string;
  HostName?: string;
  Description?: string;
  /** Base64 of the start-up script. */
  UserData?: string;
  Amount?: number;
  ZoneId?: string;
  InstanceChargeType?: 'PostPaid' | 'PrePaid';
  InternetMaxBandwidthOut?: number;
  'SystemDisk.Category'?: string;
  'SystemDisk.Size'?: number;
  Tag?: Tag[];
  ClientToken?: string;
}
export interface RunInstancesResponse {
  InstanceIdSets?: { InstanceIdSet?: string[] };
  OrderId?: string;
  TradePrice?: number;
}

export type EcsInstanceStatus = 'Pending' | 'Starting' | 'Running' | 'Stopping' | 'Stopped';

export interface EcsInstance {
  InstanceId: string;
  InstanceName?: string;
  Status: EcsInstanceStatus;
  RegionId?: string;
  ZoneId?: string;
  InstanceType?: string;
  ImageId?: string;
  CreationTime?: string;
  VpcAttributes?: { VpcId?: string; VSwitchId?: string; PrivateIpAddress?: { IpAddress?: string[] } };
  SecurityGroupIds?: { SecurityGroupId?: string[] };
  Tags?: { Tag?: { TagKey?: string; TagValue?: string }[] };
}
export interface DescribeInstancesRequest extends PageRequest {
  RegionId: string;
  /** Sent as a JSON array string; a pre-serialized string passes through unchanged. */
  InstanceIds?: string[] | string;
  VpcId?: string;
  VSwitchId?: string;
  SecurityGroupId?: string;
  InstanceName?: string;
  Status?: EcsInstanceStatus;
  Tag?: Tag[];
}
export interface DescribeInstancesResponse extends PageResponse {
  Instances?: { Instance?: EcsInstance[] };
}

export interface DescribeInstanceStatusRequest extends PageRequest {
  RegionId: string;
  /** Sent as InstanceId.N */
  InstanceId?: string[];
  ZoneId?: string;
}
export interface DescribeInstanceStatusResponse extends PageResponse {
  InstanceStatuses?: { InstanceStatus?: { InstanceId: string; Status: EcsInstanceStatus }[] };
}

export interface DeleteInstanceRequest {
  RegionId: string;
  InstanceId: string;
  Force?: boolean;
}
export interface DeleteInstancesRequest {
  RegionId: string;
  /** Sent as InstanceId.N */
  InstanceId: string[];
  Force?: boolean;
  ClientToken?: string;
}
export interface DeleteSecurityGroupRequest {
  RegionId: string;
  SecurityGroupId: string;
}

export class EcsClient {
  readonly #rpc: RpcClient;
  constructor(rpc: RpcClient) {
    this.#rpc = rpc;
  }

  createSecurityGroup(req: CreateSecurityGroupRequest) {
    return this.#rpc.call<CreateSecurityGroupResponse>('CreateSecurityGroup', req);
  }
  authorizeSecurityGroup(req: AuthorizeSecurityGroupRequest) {
    return this.#rpc.call<object>('AuthorizeSecurityGroup', req);
  }
  revokeSecurityGroup(req: RevokeSecurityGroupRequest) {
    return this.#rpc.call<object>('RevokeSecurityGroup', req);
  }
  describeSecurityGroups(req: DescribeSecurityGroupsRequest) {
    return this.#rpc.call<DescribeSecurityGroupsResponse>('DescribeSecurityGroups', {
      ...req,
      SecurityGroupIds: jsonList(req.SecurityGroupIds),
    });
  }
  describeSecurityGroupAttribute(req: DescribeSecurityGroupAttributeRequest) {
    return this.#rpc.call<DescribeSecurityGroupAttributeResponse>('DescribeSecurityGroupAttribute', req);
  }
  deleteSecurityGroup(req: DeleteSecurityGroupRequest) {
    return this.#rpc.call<object>('DeleteSecurityGroup', req);
  }
  runInstances(req: RunInstancesRequest) {
    return this.#rpc.call<RunInstancesResponse>('RunInstances', req);
  }
  describeInstances(req: DescribeInstancesRequest) {
    return this.#rpc.call<DescribeInstancesResponse>('DescribeInstances', {
      ...req,
      InstanceIds: jsonList(req.InstanceIds),
    });
  }
  describeInstanceStatus(req: DescribeInstanceStatusRequest) {
    return this.#rpc.call<DescribeInstanceStatusResponse>('DescribeInstanceStatus', req);
  }
  deleteInstance(req: DeleteInstanceRequest) {
    return this.#rpc.call<object>('DeleteInstance', req);
  }
  deleteInstances(req: DeleteInstancesRequest) {
    return this.#rpc.call<object>('DeleteInstances', req);
  }
}

/** ECS takes some id lists as one JSON array string rather than as a repeat list. */
function jsonList(ids: string[] | string | undefined): JsonParam | string | undefined {
  return Array.isArray(ids) ? asJson(ids) : ids;
}

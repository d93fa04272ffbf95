import type { PageRequest, PageResponse, Tag } from './lists';
import type { RpcClient } from './rpc-client';

// VPC 2016-04-28. Field names as in Alibaba's API reference.

export type VpcStatus = 'Pending' | 'Available';

export interface CreateVpcRequest {
  RegionId: string;
  VpcName?: string;
  CidrBlock?: string;
  Description?: string;
  ResourceGroupId?: string;
  Tag?: Tag[];
  /** Idempotency token: the same token returns the same VPC. */
  ClientToken?: string;
}
export interface CreateVpcResponse {
  VpcId: string;
  VRouterId?: string;
  RouteTableId?: string;
  ResourceGroupId?: string;
}

export interface VpcAttributes {
  VpcId: string;
  VpcName?: string;
  Status: VpcStatus;
  CidrBlock: string;
  RegionId: string;
  Description?: string;
  VRouterId?: string;
  CreationTime?: string;
  IsDefault?: boolean;
  VSwitchIds?: { VSwitchId?: string[] };
}
export interface DescribeVpcAttributeRequest {
  RegionId: string;
  VpcId: string;
}
export type DescribeVpcAttributeResponse = VpcAttributes;

export interface DescribeVpcsRequest extends PageRequest {
  RegionId: string;
  VpcId?: string;
  VpcName?: string;
  Tag?: Tag[];
}
export interface DescribeVpcsResponse extends PageResponse {
  Vpcs?: { Vpc?: VpcAttributes[] };
}

export type VSwitchStatus = 'Pending' | 'Available';

export interface CreateVSwitchRequest {
  RegionId: string;
  VpcId: string;
  ZoneId: string;
  CidrBlock: string;
  VSwitchName?: string;
  Description?: string;
  Tag?: Tag[];
  ClientToken?: string;
}
export interface CreateVSwitchResponse {
  VSwitchId: string;
}

export interface VSwitchAttributes {
  VSwitchId: string;
  VpcId: string;
  Status: VSwitchStatus;
  CidrBlock: string;
  ZoneId: string;
  VSwitchName?: string;
  Description?: string;
  AvailableIpAddressCount?: number;
  CreationTime?: string;
  RegionId?: string;
}
export interface DescribeVSwitchAttributesRequest {
  RegionId: string;
  VSwitchId: string;
}
export type DescribeVSwitchAttributesResponse = VSwitchAttributes;

export interface DescribeVSwitchesRequest extends PageRequest {
  RegionId: string;
  VpcId?: string;
  VSwitchId?: string;
  VSwitchName?: string;
  ZoneId?: string;
  Tag?: Tag[];
}
export interface DescribeVSwitchesResponse extends PageResponse {
  VSwitches?: { VSwitch?: VSwitchAttributes[] };
}

export interface DeleteVSwitchRequest {
  RegionId: string;
  VSwitchId: string;
}
export interface DeleteVpcRequest {
  RegionId: string;
  VpcId: string;
  ForceDelete?: boolean;
}

export interface DescribeZonesRequest {
  RegionId: string;
  ZoneType?: string;
  AcceptLanguage?: string;
}
export interface DescribeZonesResponse {
  Zones?: { Zone?: { ZoneId: string; LocalName?: string; ZoneType?: string }[] };
}

export class VpcClient {
  readonly #rpc: RpcClient;
  constructor(rpc: RpcClient) {
    this.#rpc = rpc;
  }

  createVpc(req: CreateVpcRequest) {
    return this.#rpc.call<CreateVpcResponse>('CreateVpc', req);
  }
  describeVpcAttribute(req: DescribeVpcAttributeRequest) {
    return this.#rpc.call<DescribeVpcAttributeResponse>('DescribeVpcAttribute', req);
  }
  /** Look-ups by name (VpcName) or tag, e.g. to adopt a VPC a timed-out create made. */
  describeVpcs(req: DescribeVpcsRequest) {
    return this.#rpc.call<DescribeVpcsResponse>('DescribeVpcs', req);
  }
  deleteVpc(req: DeleteVpcRequest) {
    return this.#rpc.call<object>('DeleteVpc', req);
  }
  /** One vSwitch create at a time per VPC: a concurrent one fails with a retryable conflict. */
  createVSwitch(req: CreateVSwitchRequest) {
    return this.#rpc.call<CreateVSwitchResponse>('CreateVSwitch', req);
  }
  describeVSwitchAttributes(req: DescribeVSwitchAttributesRequest) {
    return this.#rpc.call<DescribeVSwitchAttributesResponse>('DescribeVSwitchAttributes', req);
  }
  describeVSwitches(req: DescribeVSwitchesRequest) {
    return this.#rpc.call<DescribeVSwitchesResponse>('DescribeVSwitches', req);
  }
  deleteVSwitch(req: DeleteVSwitchRequest) {
    return this.#rpc.call<object>('DeleteVSwitch', req);
  }
  describeZones(req: DescribeZonesRequest) {
    return this.#rpc.call<DescribeZonesResponse>('DescribeZones', req);
  }
}

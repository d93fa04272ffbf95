import type { PageRequest, PageResponse, Tag } from './lists';
import type { RpcClient } from './rpc-client';

// CEN (CBN) 2017-09-12: global endpoint; regions travel in the parameters (ChildInstanceRegionId, ...).

export type CenStatus = 'Creating' | 'Active' | 'Deleting';

export interface CreateCenRequest {
  Name?: string;
  Description?: string;
  ProtectionLevel?: 'REDUCED' | 'FULL';
  Tag?: Tag[];
  ClientToken?: string;
}
export interface CreateCenResponse {
  CenId: string;
}
export interface Cen {
  CenId: string;
  Name?: string;
  Status: CenStatus | string;
  Description?: string;
  ProtectionLevel?: string;
  CreationTime?: string;
  CenBandwidthPackageIds?: { CenBandwidthPackageId?: string[] };
}
/** Filter.N.Key / Filter.N.Value.M, e.g. { Key: 'CenId', Value: ['cen-1'] } or { Key: 'Name', Value: [...] }. */
export interface CbnFilter {
  Key: string;
  Value: string[];
}
export interface DescribeCensRequest extends PageRequest {
  Filter?: CbnFilter[];
  Tag?: Tag[];
}
export interface DescribeCensResponse extends PageResponse {
  Cens?: { Cen?: Cen[] };
}
export interface CenIdRequest {
  CenId: string;
}

export interface ChildInstanceRequest {
  CenId: string;
  ChildInstanceId: string;
  ChildInstanceType: 'VPC' | 'VBR' | 'CCN';
  ChildInstanceRegionId: string;
  ChildInstanceOwnerId?: string | number;
}
export interface CenChildInstance {
  CenId: string;
  ChildInstanceId: string;
  ChildInstanceType: string;
  ChildInstanceRegionId: string;
  ChildInstanceOwnerId?: string | number;
  Status: 'Attaching' | 'Attached' | 'Detaching' | string;
  ChildInstanceAttachTime?: string;
}
export interface DescribeCenAttachedChildInstancesRequest extends PageRequest {
  CenId: string;
  ChildInstanceRegionId?: string;
  ChildInstanceType?: string;
}
export interface DescribeCenAttachedChildInstancesResponse extends PageResponse {
  ChildInstances?: { ChildInstance?: CenChildInstance[] };
}
export type DescribeCenAttachedChildInstanceAttributeResponse = CenChildInstance;

export interface CreateCenBandwidthPackageRequest {
  /** Mbit/s */
  Bandwidth: number;
  /** e.g. China */
  GeographicRegionAId: string;
  GeographicRegionBId: string;
  BandwidthPackageChargeType?: 'PREPAY' | 'POSTPAY';
  Period?: number;
  PricingCycle?: 'Month' | 'Year';
  AutoPay?: boolean;
  AutoRenew?: boolean;
  Name?: string;
  Description?: string;
  ClientToken?: string;
}
export interface CreateCenBandwidthPackageResponse {
  CenBandwidthPackageId: string;
  CenBandwidthPackageOrderId?: string;
}
export interface CenBandwidthPackageRequest {
  CenId: string;
  CenBandwidthPackageId: string;
}
export interface CenBandwidthPackage {
  CenBandwidthPackageId: string;
  Name?: string;
  Status: string;
  BusinessStatus?: string;
  Bandwidth?: number;
  GeographicRegionAId?: string;
  GeographicRegionBId?: string;
  BandwidthPackageChargeType?: string;
  ExpiredTime?: string;
  CenIds?: { CenId?: string[] };
}
export interface DescribeCenBandwidthPackagesRequest extends PageRequest {
  Filter?: CbnFilter[];
  IsOrKey?: boolean;
}
export interface DescribeCenBandwidthPackagesResponse extends PageResponse {
  CenBandwidthPackages?: { CenBandwidthPackage?: CenBandwidthPackage[] };
}

export interface SetCenInterRegionBandwidthLimitRequest {
  CenId: string;
  LocalRegionId: string;
  OppositeRegionId: string;
  /** Mbit/s; 0 removes the limit (teardown). */
  BandwidthLimit: number;
}
export interface DescribeCenInterRegionBandwidthLimitsResponse extends PageResponse {
  CenInterRegionBandwidthLimits?: {
    CenInterRegionBandwidthLimit?: {
      CenId?: string;
      LocalRegionId: string;
      OppositeRegionId: string;
      BandwidthLimit: number;
      Status?: string;
    }[];
  };
}

/** The runbook's support ticket asks for exactly these parameters. */
export interface ResolveAndRouteServiceInCenRequest {
  CenId: string;
  /** The gateway's VpcEgressAddress CIDR. */
  Host: string;
  HostRegionId: string;
  HostVpcId: string;
  /** Sent as AccessRegionIds.N */
  AccessRegionIds: string[];
  Description?: string;
  ClientToken?: string;
}
export interface RouteServiceEntry {
  CenId: string;
  Host: string;
  HostRegionId: string;
  HostVpcId?: string;
  AccessRegionId: string;
  Status: 'Creating' | 'Active' | 'Deleting' | 'Failed' | string;
  Description?: string;
  Cidrs?: { Cidr?: string[] };
}
export interface DescribeRouteServicesInCenRequest extends PageRequest {
  CenId: string;
  Host?: string;
  HostRegionId?: string;
  HostVpcId?: string;
  AccessRegionId?: string;
}
export interface DescribeRouteServicesInCenResponse extends PageResponse {
  RouteServiceEntries?: { RouteServiceEntry?: RouteServiceEntry[] };
}
export interface DeleteRouteServiceInCenRequest {
  CenId: string;
  Host: string;
  HostRegionId: string;
  AccessRegionId: string;
}

export interface ListTransitRoutersRequest extends PageRequest {
  CenId: string;
  RegionId?: string;
}
export interface ListTransitRoutersResponse extends PageResponse {
  /** Type Basic or Enterprise: Scenario 2's route-service APIs are documented for Basic only. */
  TransitRouters?: { TransitRouterId: string; Type: string; Status?: string; RegionId?: string; CenId?: string }[];
}

export class CbnClient {
  readonly #rpc: RpcClient;
  constructor(rpc: RpcClient) {
    this.#rpc = rpc;
  }

  createCen(req: CreateCenRequest) {
    return this.#rpc.call<CreateCenResponse>('CreateCen', req);
  }
  describeCens(req: DescribeCensRequest) {
    return this.#rpc.call<DescribeCensResponse>('DescribeCens', req);
  }
  deleteCen(req: CenIdRequest) {
    return this.#rpc.call<object>('DeleteCen', req);
  }
  /** One change per CEN at a time: a concurrent one fails with Operation.Blocking (retryable conflict). */
  attachCenChildInstance(req: ChildInstanceRequest) {
    return this.#rpc.call<object>('AttachCenChildInstance', req);
  }
  detachCenChildInstance(req: ChildInstanceRequest) {
    return this.#rpc.call<object>('DetachCenChildInstance', req);
  }
  describeCenAttachedChildInstances(req: DescribeCenAttachedChildInstancesRequest) {
    return this.#rpc.call<DescribeCenAttachedChildInstancesResponse>('DescribeCenAttachedChildInstances', req);
  }
  describeCenAttachedChildInstanceAttribute(req: ChildInstanceRequest) {
    return this.#rpc.call<DescribeCenAttachedChildInstanceAttributeResponse>(
      'DescribeCenAttachedChildInstanceAttribute',
      req,
    );
  }
  createCenBandwidthPackage(req: CreateCenBandwidthPackageRequest) {
    return this.#rpc.call<CreateCenBandwidthPackageResponse>('CreateCenBandwidthPackage', req);
  }
  associateCenBandwidthPackage(req: CenBandwidthPackageRequest) {
    return this.#rpc.call<object>('AssociateCenBandwidthPackage', req);
  }
  unassociateCenBandwidthPackage(req: CenBandwidthPackageRequest) {
    return this.#rpc.call<object>('UnassociateCenBandwidthPackage', req);
  }
  /** A prepaid package cannot be deleted by API: Forbidden.Release (non-retryable) — report it for a human. */
  deleteCenBandwidthPackage(req: { CenBandwidthPackageId: string }) {
    return this.#rpc.call<object>('DeleteCenBandwidthPackage', req);
  }
  describeCenBandwidthPackages(req: DescribeCenBandwidthPackagesRequest) {
    return this.#rpc.call<DescribeCenBandwidthPackagesResponse>('DescribeCenBandwidthPackages', req);
  }
  setCenInterRegionBandwidthLimit(req: SetCenInterRegionBandwidthLimitRequest) {
    return this.#rpc.call<object>('SetCenInterRegionBandwidthLimit', req);
  }
  describeCenInterRegionBandwidthLimits(req: CenIdRequest & PageRequest) {
    return this.#rpc.call<DescribeCenInterRegionBandwidthLimitsResponse>('DescribeCenInterRegionBandwidthLimits', req);
  }
  resolveAndRouteServiceInCen(req: ResolveAndRouteServiceInCenRequest) {
    return this.#rpc.call<object>('ResolveAndRouteServiceInCen', req);
  }
  describeRouteServicesInCen(req: DescribeRouteServicesInCenRequest) {
    return this.#rpc.call<DescribeRouteServicesInCenResponse>('DescribeRouteServicesInCen', req);
  }
  deleteRouteServiceInCen(req: DeleteRouteServiceInCenRequest) {
    return this.#rpc.call<object>('DeleteRouteServiceInCen', req);
  }
  /** Edition check for the preflight (Basic vs Enterprise transit routers). */
  listTransitRouters(req: ListTransitRoutersRequest) {
    return this.#rpc.call<ListTransitRoutersResponse>('ListTransitRouters', req);
  }
}

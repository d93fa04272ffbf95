import type { PageRequest, PageResponse, Tag } from './lists';
import { asJson } from './params';
import type { RpcClient } from './rpc-client';

// API Gateway (CloudAPI) 2016-07-14. Field names as in Alibaba's API reference. Every call carries
// RegionId: it picks the endpoint and tells the emulator the region.

interface Regional {
  RegionId: string;
}

export interface DescribeZonesResponse {
  Zones?: { Zone?: { ZoneId: string; LocalName?: string }[] };
}

export interface CreateInstanceRequest extends Regional {
  InstanceName: string;
  /** e.g. api.s1.small */
  InstanceSpec: string;
  ZoneId?: string;
  /** e.g. HTTPS2_TLS1_0 */
  HttpsPolicy: string;
  ChargeType?: 'PostPaid' | 'PrePaid';
  Duration?: number;
  PricingCycle?: 'Month' | 'Year';
  AutoPay?: boolean;
  InstanceType?: 'vpc_connect' | 'normal';
  Tag?: Tag[];
  /** Idempotency token. */
  Token?: string;
}
export interface CreateInstanceResponse {
  InstanceId: string;
}

export type GatewayInstanceStatus = 'CREATING' | 'RUNNING' | 'LOCKED' | 'DELETING' | 'DELETE_FAILED' | 'CREATE_FAILED';

export interface GatewayInstance {
  InstanceId: string;
  InstanceName?: string;
  Status: GatewayInstanceStatus | string;
  /** VPC_DEDICATED for the dedicated instances this project uses. */
  InstanceType?: string;
  InstanceSpec?: string;
  RegionId?: string;
  ZoneId?: string;
  /** The gateway's egress CIDR towards VPC backends: source of the SG rule and the CEN route service. */
  VpcEgressAddress?: string;
  InternetEgressAddress?: string;
  VpcIntranetEnable?: boolean;
  UserVpcId?: string;
  UserVswitchId?: string;
  VpcOwnerId?: string | number;
  CreatedTime?: string;
  HttpsPolicies?: string;
  Tags?: { TagInfo?: Tag[] };
}
export interface DescribeInstancesRequest extends Regional, PageRequest {
  InstanceId?: string;
  InstanceType?: string;
  Tag?: Tag[];
}
export interface DescribeInstancesResponse extends PageResponse {
  Instances?: { InstanceAttribute?: GatewayInstance[] };
}

export interface InstanceIdRequest extends Regional {
  InstanceId: string;
}

export interface ModifyInstanceVpcAttributeForConsoleRequest extends Regional {
  InstanceId: string;
  VpcId: string;
  VswitchId: string;
  VpcOwnerId: string | number;
  DeleteVpcAccess?: boolean;
  Token?: string;
}

export interface SetVpcAccessRequest extends Regional {
  Name: string;
  VpcId: string;
  /** The backend ECS instance id. */
  InstanceId: string;
  Port: number;
  Description?: string;
  VpcTargetHostName?: string;
}
export interface SetVpcAccessResponse {
  VpcAccessId?: string;
}
export interface RemoveVpcAccessRequest extends Regional {
  VpcId: string;
  InstanceId: string;
  Port: number;
  NeedBatchWork?: boolean;
}
export interface VpcAccess {
  Name: string;
  VpcId: string;
  InstanceId: string;
  Port: number;
  VpcAccessId?: string;
  RegionId?: string;
  Description?: string;
  CreatedTime?: string;
}
export interface DescribeVpcAccessesRequest extends Regional, PageRequest {
  Name?: string;
  VpcId?: string;
  InstanceId?: string;
  Port?: number;
  VpcAccessId?: string;
  AccurateQuery?: boolean;
}
export interface DescribeVpcAccessesResponse extends PageResponse {
  VpcAccessAttributes?: { VpcAccessAttribute?: VpcAccess[] };
}

export interface CreateApiGroupRequest extends Regional {
  GroupName: string;
  /** The dedicated instance that serves the group. */
  InstanceId?: string;
  Description?: string;
  BasePath?: string;
  Tag?: Tag[];
}
export interface CreateApiGroupResponse {
  GroupId: string;
  GroupName?: string;
  SubDomain?: string;
  InstanceId?: string;
  InstanceType?: string;
  BasePath?: string;
}
export interface ApiGroupSummary {
  GroupId: string;
  GroupName: string;
  SubDomain?: string;
  InstanceId?: string;
  InstanceType?: string;
  RegionId?: string;
  CreatedTime?: string;
}
export interface DescribeApiGroupsRequest extends Regional, PageRequest {
  GroupName?: string;
  GroupId?: string;
  InstanceId?: string;
  Tag?: Tag[];
}
export interface DescribeApiGroupsResponse extends PageResponse {
  ApiGroupAttributes?: { ApiGroupAttribute?: ApiGroupSummary[] };
}
export interface GroupIdRequest extends Regional {
  GroupId: string;
}
export interface DescribeApiGroupResponse extends ApiGroupSummary {
  /** The VPC intranet second-level domain, once ModifyIntranetDomainPolicy enabled it. */
  VpcDomain?: string;
  Status?: string;
  HttpsPolicy?: string;
  DisableInnerDomain?: boolean;
  Description?: string;
}

/** CreateApi's RequestConfig (sent as a JSON string). */
export interface ApiRequestConfig {
  RequestProtocol: string;
  RequestHttpMethod: string;
  RequestPath: string;
  RequestMode: 'MAPPING' | 'PASSTHROUGH';
  BodyFormat?: string;
  PostBodyDescription?: string;
}
/** CreateApi's ServiceConfig (sent as a JSON string); a VPC backend names a VPC authorization. */
export interface ApiServiceConfig {
  ServiceProtocol: 'HTTP' | 'HTTPS' | 'FunctionCompute' | 'MOCK';
  ServiceHttpMethod: string;
  ServicePath: string;
  ServiceTimeout: number;
  ServiceAddress?: string;
  Mock?: 'TRUE' | 'FALSE';
  ServiceVpcEnable?: 'TRUE' | 'FALSE';
  VpcConfig?: { Name: string; VpcId?: string; InstanceId?: string; Port?: number };
  ContentTypeCatagory?: string;
  ContentTypeValue?: string;
}
export interface CreateApiRequest extends Regional {
  GroupId: string;
  ApiName: string;
  Visibility: 'PUBLIC' | 'PRIVATE';
  AuthType: 'APP' | 'ANONYMOUS' | 'APPOPENID';
  RequestConfig: ApiRequestConfig;
  ServiceConfig: ApiServiceConfig;
  ResultType: string;
  ResultSample: string;
  Description?: string;
  /** Parameter lists are JSON arrays in this API. */
  RequestParameters?: unknown[];
  ServiceParameters?: unknown[];
  ServiceParametersMap?: unknown[];
}
export interface CreateApiResponse {
  ApiId: string;
}
export interface ApiSummary {
  ApiId: string;
  ApiName: string;
  GroupId: string;
  GroupName?: string;
  Visibility?: string;
  RegionId?: string;
  Description?: string;
  CreatedTime?: string;
  DeployedInfos?: { DeployedInfo?: { StageName: string; DeployedStatus?: string; EffectiveVersion?: string }[] };
}
export interface DescribeApisRequest extends Regional, PageRequest {
  GroupId?: string;
  ApiId?: string;
  ApiName?: string;
}
export interface DescribeApisResponse extends PageResponse {
  ApiSummarys?: { ApiSummary?: ApiSummary[] };
}
export interface ApiStageRequest extends Regional {
  GroupId: string;
  ApiId: string;
  StageName: 'RELEASE' | 'PRE' | 'TEST';
}
export interface DeployApiRequest extends ApiStageRequest {
  /** Mandatory for DeployApi (MissingDescription otherwise). */
  Description: string;
}
export interface ApiIdRequest extends Regional {
  GroupId: string;
  ApiId: string;
}

export interface ModifyIntranetDomainPolicyRequest extends Regional {
  GroupId: string;
  VpcIntranetEnable: boolean;
}
export interface ModifyApiGroupNetworkPolicyRequest extends Regional {
  GroupId: string;
  InternetEnable?: boolean;
  VpcIntranetEnable?: boolean;
  InnerDomainEnable?: boolean;
  VpcSlbIntranetEnable?: boolean;
  HttpsPolicy?: string;
}

export class CloudApiClient {
  readonly #rpc: RpcClient;
  constructor(rpc: RpcClient) {
    this.#rpc = rpc;
  }

  describeZones(req: Regional & { Language?: string }) {
    return this.#rpc.call<DescribeZonesResponse>('DescribeZones', req);
  }
  createInstance(req: CreateInstanceRequest) {
    return this.#rpc.call<CreateInstanceResponse>('CreateInstance', req);
  }
  describeInstances(req: DescribeInstancesRequest) {
    return this.#rpc.call<DescribeInstancesResponse>('DescribeInstances', req);
  }
  deleteInstance(req: InstanceIdRequest) {
    return this.#rpc.call<object>('DeleteInstance', req);
  }
  /** Binds the dedicated instance to a user VPC; the instance leaves RUNNING for a while afterwards. */
  modifyInstanceVpcAttributeForConsole(req: ModifyInstanceVpcAttributeForConsoleRequest) {
    return this.#rpc.call<object>('ModifyInstanceVpcAttributeForConsole', req);
  }
  setVpcAccess(req: SetVpcAccessRequest) {
    return this.#rpc.call<SetVpcAccessResponse>('SetVpcAccess', req);
  }
  describeVpcAccesses(req: DescribeVpcAccessesRequest) {
    return this.#rpc.call<DescribeVpcAccessesResponse>('DescribeVpcAccesses', req);
  }
  removeVpcAccess(req: RemoveVpcAccessRequest) {
    return this.#rpc.call<object>('RemoveVpcAccess', req);
  }
  createApiGroup(req: CreateApiGroupRequest) {
    return this.#rpc.call<CreateApiGroupResponse>('CreateApiGroup', req);
  }
  describeApiGroups(req: DescribeApiGroupsRequest) {
    return this.#rpc.call<DescribeApiGroupsResponse>('DescribeApiGroups', req);
  }
  describeApiGroup(req: GroupIdRequest) {
    return this.#rpc.call<DescribeApiGroupResponse>('DescribeApiGroup', req);
  }
  deleteApiGroup(req: GroupIdRequest) {
    return this.#rpc.call<object>('DeleteApiGroup', req);
  }
  /** RequestConfig / ServiceConfig / parameter lists go out as JSON strings. */
  createApi(req: CreateApiRequest) {
    return this.#rpc.call<CreateApiResponse>('CreateApi', {
      ...req,
      RequestConfig: asJson(req.RequestConfig),
      ServiceConfig: asJson(req.ServiceConfig),
      RequestParameters: req.RequestParameters && asJson(req.RequestParameters),
      ServiceParameters: req.ServiceParameters && asJson(req.ServiceParameters),
      ServiceParametersMap: req.ServiceParametersMap && asJson(req.ServiceParametersMap),
    });
  }
  describeApis(req: DescribeApisRequest) {
    return this.#rpc.call<DescribeApisResponse>('DescribeApis', req);
  }
  deployApi(req: DeployApiRequest) {
    return this.#rpc.call<object>('DeployApi', req);
  }
  abolishApi(req: ApiStageRequest) {
    return this.#rpc.call<object>('AbolishApi', req);
  }
  deleteApi(req: ApiIdRequest) {
    return this.#rpc.call<object>('DeleteApi', req);
  }
  /** Switches the group's VPC intranet subdomain on or off; read VpcDomain back with describeApiGroup. */
  modifyIntranetDomainPolicy(req: ModifyIntranetDomainPolicyRequest) {
    return this.#rpc.call<object>('ModifyIntranetDomainPolicy', req);
  }
  /** InternetEnable=false switches the public subdomain off (separate from the VPC one). */
  modifyApiGroupNetworkPolicy(req: ModifyApiGroupNetworkPolicyRequest) {
    return this.#rpc.call<object>('ModifyApiGroupNetworkPolicy', req);
  }
}

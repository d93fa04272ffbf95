import type { ProductDefinition } from '../../core/contract';
import { regional } from '../vpc/common';
import { abolishApi, createApi, deleteApi, deployApi, describeApi, describeApis } from './apis';
import {
  createApiGroup,
  deleteApiGroup,
  describeApiGroup,
  describeApiGroups,
  modifyApiGroupNetworkPolicy,
  modifyIntranetDomainPolicy,
} from './groups';
import {
  createInstance,
  deleteInstance,
  describeInstances,
  describeZones,
  modifyInstanceVpcAttributeForConsole,
} from './instances';
import { describeVpcAccesses, removeVpcAccess, setVpcAccess } from './vpc-accesses';

/** API Gateway (CloudAPI) 2016-07-14, RPC: dedicated instances, groups, APIs and VPC authorizations. */
export const cloudapiProduct: ProductDefinition = {
  name: 'cloudapi',
  style: 'rpc',
  version: '2016-07-14',
  // An unknown RegionId fails first (InvalidRegionId), as it does for VPC and ECS.
  actions: regional({
    DescribeZones: describeZones,
    CreateInstance: createInstance,
    DescribeInstances: describeInstances,
    DeleteInstance: deleteInstance,
    ModifyInstanceVpcAttributeForConsole: modifyInstanceVpcAttributeForConsole,
    SetVpcAccess: setVpcAccess,
    RemoveVpcAccess: removeVpcAccess,
    DescribeVpcAccesses: describeVpcAccesses,
    CreateApiGroup: createApiGroup,
    DescribeApiGroup: describeApiGroup,
    DescribeApiGroups: describeApiGroups,
    DeleteApiGroup: deleteApiGroup,
    ModifyIntranetDomainPolicy: modifyIntranetDomainPolicy,
    ModifyApiGroupNetworkPolicy: modifyApiGroupNetworkPolicy,
    CreateApi: createApi,
    DescribeApis: describeApis,
    DescribeApi: describeApi,
    DeployApi: deployApi,
    AbolishApi: abolishApi,
    DeleteApi: deleteApi,
  }),
};

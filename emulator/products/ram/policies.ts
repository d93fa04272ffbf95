/**
 * System policies the emulator knows (a small subset of Alibaba's catalogue: the ones this project and
 * its neighbours use). Custom policies do not exist until created, and CreatePolicy is not emulated.
 */
export const SYSTEM_POLICIES: Readonly<Record<string, string>> = {
  AliyunECSNetworkInterfaceManagementAccess: 'Permission for ECS elastic network interface management',
  AliyunFCDefaultRolePolicy: 'Default policy for Function Compute',
  AliyunFCFullAccess: 'Full access to Function Compute',
  AliyunLogFullAccess: 'Full access to Log Service',
  AliyunVPCFullAccess: 'Full access to Virtual Private Cloud',
  AliyunVPCReadOnlyAccess: 'Read-only access to Virtual Private Cloud',
  AliyunECSFullAccess: 'Full access to Elastic Compute Service',
  AliyunApiGatewayFullAccess: 'Full access to API Gateway',
  AliyunCENFullAccess: 'Full access to Cloud Enterprise Network',
  AliyunOSSReadOnlyAccess: 'Read-only access to Object Storage Service',
  AdministratorAccess: 'Full access to Alibaba Cloud services and resources',
  ReadOnlyAccess: 'Read-only access to Alibaba Cloud services and resources',
};

import { ApiError } from '../../core/contract';
import type { ResourceStore } from '../../core/contract';
import { readRamRole } from './network-records';
import type { RamRoleView } from './network-records';
import { parseRoleArn } from './records';

/** System policies that grant FC what it needs to plug ENIs into a user VPC. */
export const ENI_POLICIES = ['AliyunECSNetworkInterfaceManagementAccess', 'AliyunECSFullAccess', 'AdministratorAccess'];

const FC_PRINCIPAL = 'fc.aliyuncs.com';

function trustsFc(document: string | undefined): boolean {
  if (!document) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return false;
  }
  const statements = (parsed as { Statement?: unknown }).Statement;
  if (!Array.isArray(statements)) return false;
  return statements.some((s: Record<string, unknown>) => {
    const actions = ([] as unknown[]).concat(s.Action ?? []);
    const services = ([] as unknown[]).concat((s.Principal as { Service?: unknown } | undefined)?.Service ?? []);
    return s.Effect === 'Allow' && actions.includes('sts:AssumeRole') && services.includes(FC_PRINCIPAL);
  });
}

export const hasEniAccess = (role: RamRoleView): boolean => role.policyNames.some((p) => ENI_POLICIES.includes(p));

/**
 * What FC checks when a function is created or updated with a role: that it can assume the role and,
 * with a vpcConfig, that the role may manage ENIs. Answers FC's errors (InvalidArgument for a
 * malformed ARN, AccessDenied otherwise; AccessDenied also while RAM is still propagating a change).
 */
export function checkFunctionRole(store: ResourceStore, accountId: string, arn: string, needsVpc: boolean): void {
  const parsed = parseRoleArn(arn);
  if (!parsed) {
    throw new ApiError(
      400,
      'InvalidArgument',
      `role '${arn}' is not a RAM role ARN (acs:ram::<accountId>:role/<roleName>)`,
    );
  }
  if (parsed.accountId !== accountId) {
    throw new ApiError(
      403,
      'AccessDenied',
      `FC cannot assume role '${arn}': it belongs to account ${parsed.accountId}, not ${accountId}`,
    );
  }
  const role = readRamRole(store, parsed.roleName);
  if (!role) {
    throw new ApiError(403, 'AccessDenied', `FC cannot assume role '${arn}': the role does not exist`);
  }
  if (role.status !== 'Active') {
    throw new ApiError(
      403,
      'AccessDenied',
      `FC cannot assume role '${arn}' yet: RAM is still propagating the role or its policies (${role.status}); retry shortly`,
    );
  }
  if (!trustsFc(role.assumeRolePolicyDocument)) {
    throw new ApiError(
      403,
      'AccessDenied',
      `FC cannot assume role '${arn}': its trust policy does not allow the service principal ${FC_PRINCIPAL}`,
    );
  }
  if (needsVpc && !hasEniAccess(role)) {
    throw new ApiError(
      403,
      'AccessDenied',
      `role '${arn}' cannot create network interfaces in the VPC: attach the system policy AliyunECSNetworkInterfaceManagementAccess to it`,
    );
  }
}

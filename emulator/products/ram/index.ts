import { ApiError, type EmulatorContext, type ProductDefinition, type RpcRequest } from '../../core/contract';
import { SYSTEM_POLICIES } from './policies';
import {
  missingParameter,
  newRoleId,
  RAM_REGION,
  ramDate,
  requireRole,
  ROLE_TYPE,
  roleAttrs,
  validatePolicy,
  validateRoleName,
  validateTrustPolicy,
} from './model';
import type { ResourceRecord } from '../../core/contract';

function required(req: RpcRequest, name: string): string {
  const value = req.params[name];
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

function roleView(role: ResourceRecord, withDocument: boolean): Record<string, unknown> {
  const a = roleAttrs(role);
  return {
    RoleId: a.roleId,
    RoleName: role.id,
    Arn: a.arn,
    Description: a.description,
    ...(withDocument ? { AssumeRolePolicyDocument: a.assumeRolePolicyDocument } : {}),
    MaxSessionDuration: a.maxSessionDuration,
    CreateDate: role.createdAt.replace(/\.\d{3}Z$/, 'Z'),
    UpdateDate: a.updateDate,
  };
}

/**
 * A role becomes usable by other services only after RAM propagates it: status `Propagating` until
 * `ram.propagation` has passed (after CreateRole and after each policy change), then `Active`.
 */
function propagate(ctx: EmulatorContext, roleName: string): void {
  ctx.store.update(ROLE_TYPE, roleName, { status: 'Propagating' });
  ctx.store.schedule(ROLE_TYPE, roleName, [{ status: 'Active', after: 'ram.propagation' }]);
}

function createRole(req: RpcRequest, ctx: EmulatorContext): Record<string, unknown> {
  const roleName = required(req, 'RoleName');
  const document = required(req, 'AssumeRolePolicyDocument');
  validateRoleName(roleName);
  validateTrustPolicy(document);
  const description = req.params.Description ?? '';
  if (description.length > 1024) {
    throw new ApiError(
      400,
      'InvalidParameter.Description.Length',
      'The parameter "Description" must be at most 1024 characters.',
    );
  }
  const maxSession = req.params.MaxSessionDuration ? Number(req.params.MaxSessionDuration) : 3600;
  if (!Number.isInteger(maxSession) || maxSession < 3600 || maxSession > 43200) {
    throw new ApiError(
      400,
      'InvalidParameter.MaxSessionDuration',
      'The parameter "MaxSessionDuration" must be an integer from 3600 to 43200.',
    );
  }
  if (ctx.store.get(ROLE_TYPE, roleName)) {
    throw new ApiError(409, 'EntityAlreadyExists.Role', `The role already exists: ${roleName}.`);
  }
  const now = ramDate(ctx.now());
  const role = ctx.store.insert({
    product: 'ram',
    type: ROLE_TYPE,
    id: roleName,
    region: RAM_REGION,
    name: roleName,
    status: 'Propagating',
    attrs: {
      roleId: newRoleId(),
      arn: `acs:ram::${ctx.accountId}:role/${roleName}`,
      assumeRolePolicyDocument: document,
      description,
      maxSessionDuration: maxSession,
      updateDate: now,
      policies: [],
    },
  });
  ctx.store.schedule(ROLE_TYPE, roleName, [{ status: 'Active', after: 'ram.propagation' }]);
  const { UpdateDate: _update, ...view } = roleView(role, true);
  return { Role: view };
}

function getRole(req: RpcRequest, ctx: EmulatorContext): Record<string, unknown> {
  return { Role: roleView(requireRole(ctx, required(req, 'RoleName')), true) };
}

function listRoles(req: RpcRequest, ctx: EmulatorContext): Record<string, unknown> {
  const maxItems = req.params.MaxItems ? Number(req.params.MaxItems) : 100;
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
    throw new ApiError(400, 'InvalidParameter.MaxItems', 'The parameter "MaxItems" must be an integer from 1 to 1000.');
  }
  const roles = ctx.store.list(ROLE_TYPE).sort((a, b) => a.id.localeCompare(b.id));
  const marker = req.params.Marker;
  const start = marker ? roles.findIndex((r) => r.id > marker) : 0;
  const from = start < 0 ? roles.length : start;
  const page = roles.slice(from, from + maxItems);
  const truncated = from + maxItems < roles.length;
  return {
    IsTruncated: truncated,
    ...(truncated ? { Marker: page[page.length - 1].id } : {}),
    Roles: { Role: page.map((r) => roleView(r, false)) },
  };
}

function deleteRole(req: RpcRequest, ctx: EmulatorContext): Record<string, unknown> {
  const role = requireRole(ctx, required(req, 'RoleName'));
  if (roleAttrs(role).policies.length > 0) {
    throw new ApiError(
      409,
      'DeleteConflict.Role.Policy',
      `The role still has policies attached: ${roleAttrs(role)
        .policies.map((p) => p.policyName)
        .join(', ')}. Detach them first.`,
    );
  }
  ctx.store.remove(ROLE_TYPE, role.id);
  return {};
}

function attachPolicyToRole(req: RpcRequest, ctx: EmulatorContext): Record<string, unknown> {
  const policyType = required(req, 'PolicyType');
  const policyName = required(req, 'PolicyName');
  const role = requireRole(ctx, required(req, 'RoleName'));
  const type = validatePolicy(policyType, policyName);
  const policies = roleAttrs(role).policies;
  if (policies.some((p) => p.policyName === policyName && p.policyType === type)) {
    throw new ApiError(
      409,
      'EntityAlreadyExists.Role.Policy',
      `The policy ${policyName} is already attached to the role ${role.id}.`,
    );
  }
  const now = ramDate(ctx.now());
  ctx.store.update(ROLE_TYPE, role.id, {
    attrs: { policies: [...policies, { policyName, policyType: type, attachDate: now }], updateDate: now },
  });
  propagate(ctx, role.id);
  return {};
}

function detachPolicyFromRole(req: RpcRequest, ctx: EmulatorContext): Record<string, unknown> {
  const policyType = required(req, 'PolicyType');
  const policyName = required(req, 'PolicyName');
  const role = requireRole(ctx, required(req, 'RoleName'));
  const type = validatePolicy(policyType, policyName);
  const policies = roleAttrs(role).policies;
  if (!policies.some((p) => p.policyName === policyName && p.policyType === type)) {
    throw new ApiError(
      404,
      'EntityNotExist.Role.Policy',
      `The policy ${policyName} is not attached to the role ${role.id}.`,
    );
  }
  const now = ramDate(ctx.now());
  ctx.store.update(ROLE_TYPE, role.id, {
    attrs: {
      policies: policies.filter((p) => !(p.policyName === policyName && p.policyType === type)),
      updateDate: now,
    },
  });
  propagate(ctx, role.id);
  return {};
}

function listPoliciesForRole(req: RpcRequest, ctx: EmulatorContext): Record<string, unknown> {
  const role = requireRole(ctx, required(req, 'RoleName'));
  return {
    Policies: {
      Policy: roleAttrs(role).policies.map((p) => ({
        PolicyName: p.policyName,
        PolicyType: p.policyType,
        Description: SYSTEM_POLICIES[p.policyName] ?? '',
        DefaultVersion: 'v1',
        AttachDate: p.attachDate,
      })),
    },
  };
}

export const ramProduct: ProductDefinition = {
  name: 'ram',
  style: 'rpc',
  version: '2015-05-01',
  actions: {
    CreateRole: createRole,
    GetRole: getRole,
    ListRoles: listRoles,
    DeleteRole: deleteRole,
    AttachPolicyToRole: attachPolicyToRole,
    DetachPolicyFromRole: detachPolicyFromRole,
    ListPoliciesForRole: listPoliciesForRole,
  },
};

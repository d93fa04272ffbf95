import { asJson } from './params';
import type { RpcClient } from './rpc-client';

// RAM 2015-05-01 (global endpoint, no RegionId).

/** A RAM policy document; sent as a JSON string. */
export interface PolicyDocument {
  Version: string;
  Statement: {
    Effect: 'Allow' | 'Deny';
    Action: string | string[];
    Principal?: { Service?: string[]; RAM?: string[] };
    Resource?: string | string[];
  }[];
}

/** Trust policy letting a service (e.g. fc.aliyuncs.com) assume the role. */
export function trustPolicyFor(service: string): PolicyDocument {
  return {
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: [service] } }],
  };
}

export interface RamRole {
  RoleId: string;
  RoleName: string;
  Arn: string;
  Description?: string;
  AssumeRolePolicyDocument?: string;
  CreateDate?: string;
  MaxSessionDuration?: number;
}

export interface CreateRoleRequest {
  RoleName: string;
  AssumeRolePolicyDocument: PolicyDocument;
  Description?: string;
  MaxSessionDuration?: number;
}
export interface RoleResponse {
  Role: RamRole;
}
export interface RoleNameRequest {
  RoleName: string;
}

export interface RolePolicyRequest {
  PolicyType: 'System' | 'Custom';
  PolicyName: string;
  RoleName: string;
}
export interface ListPoliciesForRoleResponse {
  Policies?: {
    Policy?: { PolicyName: string; PolicyType: string; Description?: string; AttachDate?: string }[];
  };
}

export class RamClient {
  readonly #rpc: RpcClient;
  constructor(rpc: RpcClient) {
    this.#rpc = rpc;
  }

  /** EntityAlreadyExists.Role → `err.isAlreadyExists`: read it back with getRole. */
  createRole(req: CreateRoleRequest) {
    return this.#rpc.call<RoleResponse>('CreateRole', {
      ...req,
      AssumeRolePolicyDocument: asJson(req.AssumeRolePolicyDocument),
    });
  }
  /** EntityNotExist.Role → `err.isNotFound`. */
  getRole(req: RoleNameRequest) {
    return this.#rpc.call<RoleResponse>('GetRole', req);
  }
  deleteRole(req: RoleNameRequest) {
    return this.#rpc.call<object>('DeleteRole', req);
  }
  /** EntityAlreadyExists.Role.Policy → `err.isAlreadyExists` means attached already. */
  attachPolicyToRole(req: RolePolicyRequest) {
    return this.#rpc.call<object>('AttachPolicyToRole', req);
  }
  detachPolicyFromRole(req: RolePolicyRequest) {
    return this.#rpc.call<object>('DetachPolicyFromRole', req);
  }
  listPoliciesForRole(req: RoleNameRequest) {
    return this.#rpc.call<ListPoliciesForRoleResponse>('ListPoliciesForRole', req);
  }
}

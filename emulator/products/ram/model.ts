import { ApiError, type EmulatorContext, type ResourceRecord } from '../../core/contract';
import { SYSTEM_POLICIES } from './policies';

export const ROLE_TYPE = 'RamRole';
/** RAM is global; its records carry this region. */
export const RAM_REGION = 'global';

export interface AttachedPolicy {
  policyName: string;
  policyType: 'System' | 'Custom';
  attachDate: string;
}

export interface RoleAttrs {
  roleId: string;
  arn: string;
  assumeRolePolicyDocument: string;
  description: string;
  maxSessionDuration: number;
  updateDate: string;
  policies: AttachedPolicy[];
}

export function roleAttrs(role: ResourceRecord): RoleAttrs {
  return role.attrs as unknown as RoleAttrs;
}

export function missingParameter(name: string): ApiError {
  return new ApiError(
    400,
    'MissingParameter',
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  );
}

export function requireRole(ctx: EmulatorContext, roleName: string): ResourceRecord {
  const role = ctx.store.get(ROLE_TYPE, roleName);
  if (!role) throw new ApiError(404, 'EntityNotExist.Role', `The role does not exist: ${roleName}.`);
  return role;
}

export function validateRoleName(name: string): void {
  if (name.length < 1 || name.length > 64) {
    throw new ApiError(
      400,
      'InvalidParameter.RoleName.Length',
      `The parameter "RoleName" must be 1 to 64 characters, got ${name.length}.`,
    );
  }
  if (!/^[A-Za-z0-9.-]+$/.test(name)) {
    throw new ApiError(
      400,
      'InvalidParameter.RoleName.InvalidChars',
      `The parameter "RoleName" may contain only letters, digits, "." and "-": "${name}".`,
    );
  }
}

function malformed(why: string): ApiError {
  return new ApiError(400, 'MalformedPolicyDocument', `The policy document is malformed: ${why}`);
}

/**
 * Checks a trust policy the way RAM does: JSON, Version "1", a non-empty Statement list whose entries
 * have Effect Allow|Deny, Action sts:AssumeRole and a Principal naming Service, RAM or Federated.
 */
export function validateTrustPolicy(text: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw malformed(`not valid JSON (${(err as Error).message}).`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw malformed('the document must be a JSON object.');
  const { Version, Statement } = doc as { Version?: unknown; Statement?: unknown };
  if (Version !== '1') throw malformed('"Version" must be "1".');
  if (!Array.isArray(Statement) || Statement.length === 0) throw malformed('"Statement" must be a non-empty array.');
  Statement.forEach((raw, i) => {
    const where = `Statement[${i}]`;
    if (!raw || typeof raw !== 'object') throw malformed(`${where} must be an object.`);
    const s = raw as { Effect?: unknown; Action?: unknown; Principal?: unknown };
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed(`${where}.Effect must be "Allow" or "Deny".`);
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    if (!actions.every((a) => a === 'sts:AssumeRole'))
      throw malformed(`${where}.Action must be "sts:AssumeRole" in a trust policy.`);
    const principal = s.Principal as Record<string, unknown> | undefined;
    const kinds = principal && typeof principal === 'object' ? Object.keys(principal) : [];
    if (kinds.length === 0 || !kinds.every((k) => k === 'Service' || k === 'RAM' || k === 'Federated')) {
      throw malformed(`${where}.Principal must name "Service", "RAM" or "Federated".`);
    }
  });
}

export function validatePolicy(policyType: string, policyName: string): 'System' | 'Custom' {
  if (policyType !== 'System' && policyType !== 'Custom') {
    throw new ApiError(
      400,
      'InvalidParameter.PolicyType',
      `The parameter "PolicyType" must be "System" or "Custom", got "${policyType}".`,
    );
  }
  if (policyType === 'Custom' || !Object.prototype.hasOwnProperty.call(SYSTEM_POLICIES, policyName)) {
    throw new ApiError(
      404,
      'EntityNotExist.Policy',
      `The policy does not exist: ${policyType} policy "${policyName}".`,
    );
  }
  return policyType;
}

/** RAM role ids are 16-19 digit numbers. */
export function newRoleId(): string {
  let id = '3';
  for (let i = 0; i < 17; i++) id += Math.floor(Math.random() * 10);
  return id;
}

/** Timestamps as RAM renders them: ISO-8601 UTC without milliseconds. */
export function ramDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

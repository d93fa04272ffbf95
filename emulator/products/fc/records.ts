import type { ResourceRecord } from '../../core/contract';

/** FC 3.0 functions; the record id is the function name (team records table). */
export const FUNCTION = 'FcFunction';

export interface FunctionVpcConfig {
  vpcId: string;
  vSwitchIds: string[];
  securityGroupId: string;
}

export interface FunctionAttrs {
  functionId: string;
  runtime: string;
  handler: string;
  role?: string;
  vpcConfig?: FunctionVpcConfig;
  internetAccess: boolean;
  /** Base64 ZIP as uploaded (kept so invocations can run it). */
  code: string;
  codeSize: number;
  codeChecksum: string;
  environmentVariables: Record<string, string>;
  timeout: number;
  memorySize: number;
  cpu: number;
  diskSize: number;
  instanceConcurrency: number;
  description: string;
  lastModifiedTime: string;
  lastUpdateStatus: 'Successful' | 'InProgress';
  /** Emulator time (ms) at which an in-progress update completes. */
  updateDoneAt: number;
}

export const functionAttrs = (r: ResourceRecord): FunctionAttrs => r.attrs as unknown as FunctionAttrs;

/** `acs:ram::<account>:role/<name>` → its parts, or undefined when malformed. */
export function parseRoleArn(arn: string): { accountId: string; roleName: string } | undefined {
  const match = /^acs:ram::(\d+):role\/([A-Za-z0-9.-]{1,64})$/.exec(arn);
  return match ? { accountId: match[1] ?? '', roleName: match[2] ?? '' } : undefined;
}

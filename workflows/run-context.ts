import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { FcRoleRef, InvocationResult, PreflightReport, ReachabilityDiagnosis } from '../activities/contract';
import type { VpcKey } from '../config/scenario';
import type { RunConfig } from '../config/schema';
import type { RunState } from './run-state';
import type { StepName } from './steps';

/** What steps learn and later steps use. Filled in as steps finish; dependencies guarantee the order. */
export interface Facts {
  preflight?: PreflightReport;
  vpcIds: Partial<Record<VpcKey, string>>;
  vSwitchIds: Partial<Record<VpcKey, string>>;
  backendSecurityGroupId?: string;
  functionSecurityGroupId?: string;
  backendInstanceId?: string;
  gatewayInstanceId?: string;
  vpcEgressAddress?: string;
  groupId?: string;
  apiId?: string;
  vpcDomain?: string;
  role?: FcRoleRef;
  functionName?: string;
  cenId?: string;
  bandwidthPackageId?: string;
  verification?: InvocationResult;
  diagnosis?: ReachabilityDiagnosis;
}

export interface RunContext {
  config: RunConfig;
  state: RunState;
  facts: Facts;
}

/** A step's body; the string it returns is the detail line the progress query shows. */
export type StepHandler = () => Promise<string | void>;
export type StepHandlers = Record<StepName, StepHandler>;

/** A fact a step needs from an earlier one; missing means the step table's dependencies are wrong. */
export function need<T>(value: T | undefined, what: string, step: StepName): T {
  if (value === undefined) {
    throw ApplicationFailure.nonRetryable(`step ${step} needs ${what}, which no earlier step produced`, 'StepTableBug');
  }
  return value;
}

export function idempotencyKey(step: StepName): string {
  return `${workflowInfo().workflowId}/${step}`;
}

/** vpc-fc-access lives in the function region; the other VPCs in the gateway region. */
export function regionOfVpcIn(config: RunConfig, key: VpcKey): string {
  return key === 'fcAccess' ? config.regions.function : config.regions.gateway;
}

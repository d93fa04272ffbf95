/** Runbook steps 5-7 (Scenario 2: 8-10): the FC role, the function in the VPC, and the verification call. */
import { ApplicationFailure } from '@temporalio/workflow';
import type { InventoryItem } from '../activities/contract';
import { apiUrlOf, functionRegionOf, functionVpcKey } from '../config/scenario';
import { activity } from './activity-stubs';
import { idempotencyKey, need, type RunContext, type StepHandlers } from './run-context';
import type { FunctionStepName } from './steps';

export function functionSteps(ctx: RunContext): Pick<StepHandlers, FunctionStepName> {
  const { config, state, facts } = ctx;
  const functionRegion = functionRegionOf(config);
  const record = (item: InventoryItem) => state.record(item);

  return {
    async fcRole() {
      const step = 'fcRole';
      const role = await activity('createFcRole')({
        idempotencyKey: idempotencyKey(step),
        roleName: config.function.roleName,
        policyName: config.function.policyName,
      });
      record({
        kind: 'ramRole',
        id: role.roleName,
        region: 'global',
        name: role.roleName,
        createdBy: step,
        policyName: config.function.policyName,
      });
      facts.role = role;
      return `${role.roleArn} with ${config.function.policyName}`;
    },

    async function() {
      const step = 'function';
      const key = functionVpcKey(config);
      const apiUrl = apiUrlOf(need(facts.vpcDomain, 'the VPC subdomain', step), config);
      const { functionName } = await activity('createFunction')({
        idempotencyKey: idempotencyKey(step),
        region: functionRegion,
        name: config.function.name,
        runtime: config.function.runtime,
        memoryMb: config.function.memoryMb,
        timeoutSeconds: config.function.timeoutSeconds,
        roleArn: need(facts.role, 'the FC role', step).roleArn,
        vpcId: need(facts.vpcIds[key], `the id of ${config.vpcs[key].name}`, step),
        vSwitchIds: [need(facts.vSwitchIds[key], `the vSwitch of ${config.vpcs[key].name}`, step)],
        securityGroupId: need(facts.functionSecurityGroupId, 'the function security group', step),
        apiUrl,
      });
      record({ kind: 'fcFunction', id: functionName, region: functionRegion, name: functionName, createdBy: step });
      await activity('waitFunctionActive')({ region: functionRegion, functionName });
      facts.functionName = functionName;
      return `${functionName} (${config.function.runtime}) in ${config.vpcs[key].name}, calls ${apiUrl}`;
    },

    async verify() {
      const step = 'verify';
      const functionName = need(facts.functionName, 'the function', step);
      const result = await activity('invokeFunction')({ region: functionRegion, functionName });
      facts.verification = result;
      if (result.status >= 200 && result.status < 300 && !result.error) {
        return `backend answered ${result.status} through the VPC subdomain: ${result.body.slice(0, 200)}`;
      }
      const diagnosis = await activity('diagnoseReachability')({
        scenario: config.scenario,
        inventory: [...state.inventory],
        apiUrl: apiUrlOf(need(facts.vpcDomain, 'the VPC subdomain', step), config),
        backendPort: config.backend.port,
        vpcEgressAddress: need(facts.vpcEgressAddress, 'the gateway egress CIDR', step),
      });
      facts.diagnosis = diagnosis;
      const got = result.error ? `${result.error}` : `HTTP ${result.status}: ${result.body.slice(0, 200)}`;
      const missing =
        diagnosis.missing.length > 0
          ? `missing: ${diagnosis.missing.join('; ')}`
          : 'no missing link found by describe calls';
      throw ApplicationFailure.nonRetryable(
        `the function did not get the backend's answer through the VPC subdomain (${got}); ${missing}`,
        'VerificationFailed',
        { invocation: result, diagnosis },
      );
    },
  };
}

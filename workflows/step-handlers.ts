import type { PreflightInput } from '../activities/contract';
import { functionRegionOf, vpcsInScenario } from '../config/scenario';
import { activity } from './activity-stubs';
import { cenSteps } from './cen-steps';
import { functionSteps } from './function-steps';
import { gatewaySteps } from './gateway-steps';
import { networkSteps } from './network-steps';
import type { RunContext, StepHandler, StepHandlers } from './run-context';

export type { Facts, RunContext, StepHandlers } from './run-context';

/**
 * One handler per step of the table (steps.ts): each reads like its runbook step, records what it
 * creates in the inventory as soon as the id is known (so compensation can find it), and returns a
 * short detail line for the progress query.
 */
export function createStepHandlers(ctx: RunContext): StepHandlers {
  return {
    preflight: preflightStep(ctx),
    ...networkSteps(ctx),
    ...gatewaySteps(ctx),
    ...functionSteps(ctx),
    ...cenSteps(ctx),
  };
}

/** Before runbook step 1: check everything that can be checked without creating anything. */
function preflightStep(ctx: RunContext): StepHandler {
  const { config, facts } = ctx;
  const gatewayRegion = config.regions.gateway;
  const functionRegion = functionRegionOf(config);
  return async () => {
    const names: PreflightInput['names'] = vpcsInScenario(config).flatMap(({ key, region }) => [
      { kind: 'vpc' as const, region, name: config.vpcs[key].name },
      { kind: 'vSwitch' as const, region, name: config.vpcs[key].vSwitch.name },
    ]);
    names.push(
      { kind: 'securityGroup', region: gatewayRegion, name: config.backend.securityGroupName },
      { kind: 'securityGroup', region: functionRegion, name: config.function.securityGroupName },
      { kind: 'ecsInstance', region: gatewayRegion, name: config.backend.instanceName },
      { kind: 'gatewayInstance', region: gatewayRegion, name: config.gateway.instanceName },
      { kind: 'apiGroup', region: gatewayRegion, name: config.gateway.groupName },
      { kind: 'fcFunction', region: functionRegion, name: config.function.name },
    );
    if (config.scenario === 'cross-region') names.push({ kind: 'cen', region: gatewayRegion, name: config.cen.name });
    const report = await activity('preflight')({
      scenario: config.scenario,
      gatewayRegion,
      functionRegion,
      zones: vpcsInScenario(config).map(({ key, region }) => ({ region, zoneId: config.vpcs[key].vSwitch.zoneId })),
      ...(config.gateway.zoneId ? { gatewayZoneId: config.gateway.zoneId } : {}),
      instanceSpec: config.gateway.instanceSpec,
      names,
    });
    facts.preflight = report;
    const warnings = report.warnings.length > 0 ? `; warnings: ${report.warnings.join('; ')}` : '';
    return `account ${report.accountId}, gateway zone ${report.gatewayZoneId}${warnings}`;
  };
}

import type { RunConfig } from './schema';

/**
 * Facts derived from a RunConfig that both validation and the workflows need. Type-only imports: the
 * workflow bundle includes this module and must not pull in the schema library.
 */

export type VpcKey = keyof RunConfig['vpcs'];

/** Region where the function (and its VPC) lives: Scenario 1 keeps everything in the gateway's region. */
export function functionRegionOf(config: RunConfig): string {
  return config.scenario === 'cross-region' ? config.regions.function : config.regions.gateway;
}

/** The function's VPC: vpc-api-access in Scenario 1, vpc-fc-access in Scenario 2. */
export function functionVpcKey(config: RunConfig): 'apiAccess' | 'fcAccess' {
  return config.scenario === 'cross-region' ? 'fcAccess' : 'apiAccess';
}

/** The VPCs a scenario creates, with the region each lives in. */
export function vpcsInScenario(config: RunConfig): { key: VpcKey; region: string }[] {
  const vpcs: { key: VpcKey; region: string }[] = [
    { key: 'apiAccess', region: config.regions.gateway },
    { key: 'backend', region: config.regions.gateway },
  ];
  if (config.scenario === 'cross-region') vpcs.push({ key: 'fcAccess', region: config.regions.function });
  return vpcs;
}

/** The URL the function calls: the group's VPC subdomain plus the API's request path. */
export function apiUrlOf(vpcDomain: string, config: RunConfig): string {
  return `http://${vpcDomain}${config.gateway.apiPath}`;
}

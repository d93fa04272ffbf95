import { cidrContains, cidrsOverlap, GATEWAY_EGRESS_RANGE, parseCidr, PRIVATE_RANGES, type Ipv4Cidr } from './cidr';
import { KNOWN_REGIONS, isKnownRegion } from './regions';
import { vpcsInScenario, type VpcKey } from './scenario';
import { DEDICATED_INSTANCE_SPECS, type RunConfig } from './schema';

/** One problem found in a run configuration: where, what, and how to fix it. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/**
 * Rules that relate several fields. Returns every problem (never stops at the first) so a user fixes
 * the file in one go.
 */
export function crossFieldProblems(config: RunConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const knownList = Object.keys(KNOWN_REGIONS).join(', ');

  const usedRegions: [string, string][] = [['regions.gateway', config.regions.gateway]];
  if (config.scenario === 'cross-region') usedRegions.push(['regions.function', config.regions.function]);
  for (const [path, region] of usedRegions) {
    if (!isKnownRegion(region)) add(path, `unknown region "${region}"; use one of: ${knownList}`);
  }
  if (config.scenario === 'cross-region' && config.regions.function === config.regions.gateway) {
    add(
      'regions.function',
      `cross-region needs the function in a different region than the gateway (both are "${config.regions.gateway}"); ` +
        'pick another region (runbook: cn-zhangjiakou) or use the same-region scenario',
    );
  }

  const spec = config.gateway.instanceSpec;
  if (!(DEDICATED_INSTANCE_SPECS as readonly string[]).includes(spec)) {
    const why = /shared/i.test(spec)
      ? `"${spec}" is a shared instance; the runbook's limit is that only a dedicated API Gateway instance can be reached over a VPC`
      : `"${spec}" is not a dedicated instance spec`;
    add('gateway.instanceSpec', `${why}; use one of: ${DEDICATED_INSTANCE_SPECS.join(', ')}`);
  }
  if (config.gateway.zoneId !== undefined && !config.gateway.zoneId.startsWith(`${config.regions.gateway}-`)) {
    add(
      'gateway.zoneId',
      `zone "${config.gateway.zoneId}" is not in the gateway region ${config.regions.gateway}; use a ${config.regions.gateway}-* zone or omit it to let preflight pick one`,
    );
  }

  const parsed: { key: VpcKey; cidr: Ipv4Cidr }[] = [];
  for (const { key, region } of vpcsInScenario(config)) {
    const vpc = config.vpcs[key];
    const base = `vpcs.${key}`;
    const vpcCidr = checkedCidr(`${base}.cidr`, vpc.cidr, 8, 28, add);
    const vswCidr = checkedCidr(`${base}.vSwitch.cidr`, vpc.vSwitch.cidr, 16, 29, add);
    if (vpcCidr) {
      if (!PRIVATE_RANGES.some((range) => cidrContains(range, vpcCidr))) {
        add(
          `${base}.cidr`,
          `${vpc.cidr} is not inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16; use a private range`,
        );
      }
      if (cidrsOverlap(vpcCidr, GATEWAY_EGRESS_RANGE)) {
        add(`${base}.cidr`, `${vpc.cidr} overlaps 100.64.0.0/10, the API Gateway egress range; use a private range`);
      }
      parsed.push({ key, cidr: vpcCidr });
    }
    if (vpcCidr && vswCidr && !cidrContains(vpcCidr, vswCidr)) {
      add(
        `${base}.vSwitch.cidr`,
        `${vpc.vSwitch.cidr} is outside its VPC ${vpc.cidr}; pick a block inside ${vpc.cidr}`,
      );
    }
    if (!vpc.vSwitch.zoneId.startsWith(`${region}-`)) {
      add(`${base}.vSwitch.zoneId`, `zone "${vpc.vSwitch.zoneId}" is not in region ${region}; use a ${region}-* zone`);
    }
  }
  // Overlapping VPCs cannot be joined by CEN or told apart by routes: require disjoint blocks throughout.
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      if (cidrsOverlap(parsed[i].cidr, parsed[j].cidr)) {
        add(
          `vpcs.${parsed[j].key}.cidr`,
          `${parsed[j].cidr.text} overlaps vpcs.${parsed[i].key}.cidr ${parsed[i].cidr.text}; give each VPC its own block`,
        );
      }
    }
  }

  const names = [
    ...vpcsInScenario(config).flatMap(({ key }) => [
      [`vpcs.${key}.name`, config.vpcs[key].name],
      [`vpcs.${key}.vSwitch.name`, config.vpcs[key].vSwitch.name],
    ]),
    ['backend.securityGroupName', config.backend.securityGroupName],
    ['function.securityGroupName', config.function.securityGroupName],
  ];
  const seen = new Map<string, string>();
  for (const [path, name] of names) {
    const first = seen.get(name);
    if (first)
      add(path, `name "${name}" is already used by ${first}; the run finds resources by name, so names must differ`);
    else seen.set(name, path);
  }

  if (config.ticket.reminderInterval <= 0) add('ticket.reminderInterval', 'must be longer than 0; e.g. "6h"');
  if (config.ticket.autoDetectInterval <= 0) add('ticket.autoDetectInterval', 'must be longer than 0; e.g. "5m"');
  if (config.ticket.deadline <= 0) add('ticket.deadline', 'must be longer than 0; e.g. "7d"');
  return problems;
}

function checkedCidr(
  path: string,
  text: string,
  minPrefix: number,
  maxPrefix: number,
  add: (path: string, message: string) => void,
): Ipv4Cidr | undefined {
  const cidr = parseCidr(text);
  if (typeof cidr === 'string') {
    add(path, cidr);
    return undefined;
  }
  if (cidr.prefixLength < minPrefix || cidr.prefixLength > maxPrefix) {
    add(path, `${text} has prefix /${cidr.prefixLength}; use a prefix between /${minPrefix} and /${maxPrefix}`);
    return undefined;
  }
  return cidr;
}

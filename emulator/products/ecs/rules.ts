import { presentParam } from '../../core/encoding';
import { parseCidr, parseIpv4 } from '../vpc/cidr';
import { badRequest, invalidParameter, missingParameter } from '../vpc/errors';

/** A security group rule as the SecurityGroup record stores it (see emulator-records.md). */
export interface SecurityGroupRule {
  ruleId: string;
  direction: 'ingress' | 'egress';
  ipProtocol: 'tcp' | 'udp' | 'icmp' | 'gre' | 'all';
  /** `start/end`; `-1/-1` for protocols without ports. */
  portRange: string;
  sourceCidrIp?: string;
  destCidrIp?: string;
  policy: 'accept' | 'drop';
  /** 1 (highest) to 100. */
  priority: number;
  description: string;
  createdAt: string;
}

export type RuleSpec = Omit<SecurityGroupRule, 'ruleId' | 'createdAt'>;

const PROTOCOLS = ['tcp', 'udp', 'icmp', 'gre', 'all'] as const;

function isIpOrCidr(text: string): boolean {
  return parseIpv4(text) !== undefined || parseCidr(text) !== undefined;
}

/**
 * Reads one rule from its fields (`IpProtocol`, `PortRange`, `SourceCidrIp`/`DestCidrIp`, `Policy`,
 * `Priority`, `Description`), given flat or as `Permissions.N.*`; `where` prefixes parameter names in errors.
 */
export function parseRule(
  fields: Record<string, string | undefined>,
  direction: RuleSpec['direction'],
  where: string,
): RuleSpec {
  const field = (name: string) => presentParam(fields, name);
  const protocolText = field('IpProtocol');
  if (protocolText === undefined) throw missingParameter(`${where}IpProtocol`);
  const ipProtocol = PROTOCOLS.find((p) => p === protocolText.toLowerCase());
  if (!ipProtocol) {
    throw badRequest(
      'InvalidIpProtocol.Malformed',
      `${where}IpProtocol "${protocolText}" is not one of ${PROTOCOLS.join(', ')}.`,
    );
  }
  const portRange = field('PortRange');
  if (portRange === undefined) throw missingParameter(`${where}PortRange`);
  checkPortRange(ipProtocol, portRange, where);

  const peerName = direction === 'ingress' ? 'SourceCidrIp' : 'DestCidrIp';
  for (const unsupported of [
    'SourceGroupId',
    'DestGroupId',
    'SourcePrefixListId',
    'DestPrefixListId',
    'Ipv6SourceCidrIp',
    'Ipv6DestCidrIp',
  ]) {
    if (field(unsupported) !== undefined) {
      throw invalidParameter(
        `${where}${unsupported}`,
        `the emulator models IPv4 CIDR rules only; use ${where}${peerName}.`,
      );
    }
  }
  const peer = field(peerName);
  if (peer === undefined) throw missingParameter(`${where}${peerName}`);
  if (!isIpOrCidr(peer)) {
    throw badRequest(
      `Invalid${peerName}.Malformed`,
      `${where}${peerName} "${peer}" is not an IPv4 address or CIDR block.`,
    );
  }
  const policyText = field('Policy') ?? 'accept';
  const policy = policyText.toLowerCase();
  if (policy !== 'accept' && policy !== 'drop') {
    throw badRequest('InvalidPolicy.Malformed', `${where}Policy "${policyText}" must be accept or drop.`);
  }
  const priorityText = field('Priority') ?? '1';
  const priority = Number(priorityText);
  if (!/^\d+$/.test(priorityText) || priority < 1 || priority > 100) {
    throw badRequest(
      'InvalidPriority.Malformed',
      `${where}Priority "${priorityText}" must be an integer from 1 to 100.`,
    );
  }
  return {
    direction,
    ipProtocol,
    portRange,
    ...(direction === 'ingress' ? { sourceCidrIp: peer } : { destCidrIp: peer }),
    policy,
    priority,
    description: field('Description') ?? '',
  };
}

function checkPortRange(protocol: RuleSpec['ipProtocol'], range: string, where: string): void {
  const m = /^(-?\d+)\/(-?\d+)$/.exec(range);
  const bad = (why: string) =>
    badRequest('InvalidIpPortRange.Malformed', `${where}PortRange "${range}" is not valid for ${protocol}: ${why}`);
  if (!m) throw bad('use start/end, e.g. 8080/8080.');
  const [start, end] = [Number(m[1]), Number(m[2])];
  if (protocol === 'tcp' || protocol === 'udp') {
    if (start < 1 || end > 65535 || start > end) throw bad('ports run from 1 to 65535 and start must not exceed end.');
  } else if (start !== -1 || end !== -1) {
    throw bad('this protocol has no ports; use -1/-1.');
  }
}

/** Same traffic selector and verdict: adding it again changes nothing (ECS accepts the call). */
export function sameRule(a: RuleSpec, b: RuleSpec): boolean {
  return (
    a.direction === b.direction &&
    a.ipProtocol === b.ipProtocol &&
    a.portRange === b.portRange &&
    a.sourceCidrIp === b.sourceCidrIp &&
    a.destCidrIp === b.destCidrIp &&
    a.policy === b.policy &&
    a.priority === b.priority
  );
}

import type { EmulatorContext, ResourceStore } from '../../core/contract';
import { readSecurityGroup } from '../fc/network-records';
import type { EcsInstanceView, SecurityGroupRule } from '../fc/network-records';
import { cidrContains, parseCidr } from './cidr';

/*
 * The gateway's view of a VPC backend: whether its egress CIDR gets through the ECS instance's
 * security groups, and what the ECS instance answers. The emulator does not run UserData; it reads it:
 * a service is taken to listen on a port (and serve a path) when the decoded cloud-init script names
 * them, e.g. `PORT=8080` and `API_PATH=/web/cloudapi`.
 */

function portRangeContains(range: string, port: number): boolean {
  const [start, end] = range.split('/').map(Number);
  if (start === -1 && end === -1) return true;
  return start !== undefined && end !== undefined && start <= port && port <= end;
}

function ruleMatches(rule: SecurityGroupRule, sourceCidr: string, port: number): boolean {
  if (rule.direction !== 'ingress') return false;
  if (rule.ipProtocol !== 'tcp' && rule.ipProtocol !== 'all') return false;
  if (!portRangeContains(rule.portRange, port)) return false;
  const ruleCidr = rule.sourceCidrIp === undefined ? undefined : parseCidr(rule.sourceCidrIp);
  const source = parseCidr(sourceCidr);
  // The gateway may use any address of its egress block, so the rule must cover the whole block.
  return ruleCidr !== undefined && source !== undefined && cidrContains(ruleCidr, source);
}

export type SecurityGroupVerdict = { allowed: true; ruleOf: string } | { allowed: false; reason: string };

/**
 * ECS semantics: among the matching ingress rules of all the instance's groups, the smallest priority
 * number wins and, at equal priority, drop beats accept; no matching rule means no access.
 */
export function securityGroupsAllow(
  store: ResourceStore,
  ecs: EcsInstanceView,
  sourceCidr: string,
  port: number,
): SecurityGroupVerdict {
  const matching = ecs.securityGroupIds.flatMap((id) =>
    (readSecurityGroup(store, id)?.rules ?? [])
      .filter((rule) => ruleMatches(rule, sourceCidr, port))
      .map((rule) => ({ rule, groupId: id })),
  );
  if (matching.length === 0) {
    return {
      allowed: false,
      reason: `no ingress rule of ${ecs.securityGroupIds.join(', ') || 'its security groups'} accepts tcp ${port} from ${sourceCidr}`,
    };
  }
  matching.sort((x, y) => x.rule.priority - y.rule.priority || (x.rule.policy === 'drop' ? -1 : 1));
  const winner = matching[0];
  if (!winner || winner.rule.policy !== 'accept') {
    return { allowed: false, reason: `a drop rule of ${winner?.groupId ?? '?'} blocks tcp ${port} from ${sourceCidr}` };
  }
  return { allowed: true, ruleOf: winner.groupId };
}

const mentionsPort = (script: string, port: number): boolean => new RegExp(`(^|[^0-9])${port}([^0-9]|$)`).test(script);

export type ServiceAnswer =
  { kind: 'refused'; reason: string } | { kind: 'http'; status: number; body: Record<string, unknown> };

/** What the data plane needs to know about time: the emulator clock and the timing profile. */
export type GatewayClock = Pick<EmulatorContext, 'now' | 'timing'>;

/**
 * When cloud-init has the service up: `ecs.service` after the instance reached Running, i.e.
 * createdAt + ecs.pending + ecs.starting + ecs.service (the network README's contract).
 */
export function serviceReadyAt(ecs: EcsInstanceView, clock: GatewayClock): number {
  const created = Date.parse(ecs.createdAt);
  return created + clock.timing('ecs.pending') + clock.timing('ecs.starting') + clock.timing('ecs.service');
}

/** What the HTTP service that the instance's UserData starts answers to `method path` on `port`. */
export function ecsServiceAnswer(
  ecs: EcsInstanceView,
  port: number,
  method: string,
  path: string,
  clock: GatewayClock,
): ServiceAnswer {
  const readyAt = serviceReadyAt(ecs, clock);
  if (clock.now() < readyAt) {
    return {
      kind: 'refused',
      reason: `the service on ${ecs.id}:${port} is still starting (cloud-init runs after the instance is Running; up at ${new Date(readyAt).toISOString()})`,
    };
  }
  if (ecs.userData === '' || !mentionsPort(ecs.userData, port)) {
    return {
      kind: 'refused',
      reason: `nothing listens on ${ecs.id}:${port} (its UserData starts no service on that port)`,
    };
  }
  if (!ecs.userData.includes(path)) {
    return { kind: 'http', status: 404, body: { error: 'not found', path } };
  }
  return {
    kind: 'http',
    status: 200,
    body: {
      message: 'Hello from the ECS backend',
      path,
      method,
      instanceId: ecs.id,
      host: typeof ecs.attrs.hostName === 'string' ? ecs.attrs.hostName : ecs.id,
      via: 'vpc',
    },
  };
}

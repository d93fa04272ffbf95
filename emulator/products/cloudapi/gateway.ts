import { randomUUID } from 'node:crypto';
import type { ResourceRecord, ResourceStore } from '../../core/contract';
import { readEcsInstance } from '../fc/network-records';
import { ecsServiceAnswer, securityGroupsAllow } from './backend';
import type { GatewayClock } from './backend';
import {
  API,
  GROUP,
  INSTANCE,
  STAGES,
  VPC_ACCESS,
  apiAttrs,
  groupAttrs,
  instanceAttrs,
  vpcAccessAttrs,
} from './records';
import type { Deployment, StageName } from './records';

/*
 * The data plane of a dedicated instance: how it answers an HTTP request that reached it. Errors the
 * gateway produces carry X-Ca-Error-Code / X-Ca-Error-Message (codes from API Gateway's "error codes
 * for instances of the VPC type"); a backend's own answer passes through without them.
 */

/** Which configuration link an unsuccessful answer points at. */
export type GatewayLink =
  | 'domain'
  | 'internet-subdomain'
  | 'api-path'
  | 'api-deployment'
  | 'auth-type'
  | 'vpc-backend'
  | 'vpc-access'
  | 'ecs-instance'
  | 'security-group'
  | 'backend-service'
  | 'backend-path';

export interface GatewayRequest {
  host: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** True when the request came in on the group's VPC domain, false on its public subdomain. */
  viaVpc: boolean;
}

export interface GatewayAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  missingLink?: GatewayLink;
  detail: string;
}

/** A group, found by the host name a request uses (its VPC domain or its public subdomain). */
export function groupByHost(
  store: ResourceStore,
  host: string,
): { group: ResourceRecord; viaVpc: boolean } | undefined {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  for (const group of store.list(GROUP)) {
    const a = groupAttrs(group);
    if (a.vpcIntranetEnable && a.vpcDomain === name) return { group, viaVpc: true };
    if (a.subDomain === name) return { group, viaVpc: false };
  }
  return undefined;
}

function gatewayError(
  status: number,
  code: string,
  message: string,
  missingLink: GatewayLink,
  detail: string,
): GatewayAnswer {
  return {
    status,
    headers: { 'x-ca-request-id': randomUUID().toUpperCase(), 'x-ca-error-code': code, 'x-ca-error-message': message },
    body: '',
    missingLink,
    detail,
  };
}

/** `/users/[id]` matches `/users/42`: bracketed segments are path parameters. */
function pathMatches(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const got = path.split('/');
  return want.length === got.length && want.every((segment, i) => /^\[[^\]]+\]$/.test(segment) || segment === got[i]);
}

function fullPath(basePath: string, requestPath: string): string {
  return basePath === '/' || basePath === '' ? requestPath : `${basePath.replace(/\/$/, '')}${requestPath}`;
}

function backendAnswer(
  store: ResourceStore,
  clock: GatewayClock,
  instance: ResourceRecord,
  api: ResourceRecord,
  deployment: Deployment,
): GatewayAnswer {
  const service = deployment.serviceConfig;
  if (service.ServiceVpcEnable !== 'TRUE' || !service.VpcConfig?.Name) {
    return gatewayError(
      504,
      'D504CO',
      `Backend service connect failed \`${service.ServiceAddress ?? '?'}\``,
      'vpc-backend',
      `API ${apiAttrs(api).apiName} has no VPC channel backend (ServiceVpcEnable TRUE with VpcConfig.Name); the emulator models VPC-channel backends only`,
    );
  }
  const access = store.get(VPC_ACCESS, service.VpcConfig.Name);
  if (!access || access.region !== instance.region) {
    return gatewayError(
      504,
      'X504VE',
      'Backend service vpc mapping not exists',
      'vpc-access',
      `the VPC authorization '${service.VpcConfig.Name}' that API ${apiAttrs(api).apiName} names does not exist in ${instance.region} (SetVpcAccess)`,
    );
  }
  const a = vpcAccessAttrs(access);
  const ecs = readEcsInstance(store, a.instanceId);
  const target = `${ecs?.privateIpAddress ?? a.instanceId}:${a.port}`;
  if (!ecs || ecs.status !== 'Running') {
    return gatewayError(
      504,
      'D504CO',
      `Backend service connect failed \`Timeout connecting to ${target}\``,
      'ecs-instance',
      `ECS instance ${a.instanceId} behind VPC authorization '${a.name}' is ${ecs ? ecs.status : 'gone'}, not Running`,
    );
  }
  const egress = instanceAttrs(instance).vpcEgressAddress;
  const verdict = securityGroupsAllow(store, ecs, egress, a.port);
  if (!verdict.allowed) {
    return gatewayError(
      504,
      'D504CO',
      `Backend service connect failed \`Timeout connecting to ${target}\``,
      'security-group',
      `the gateway's egress CIDR ${egress} cannot reach ${target}: ${verdict.reason}`,
    );
  }
  const answer = ecsServiceAnswer(ecs, a.port, service.ServiceHttpMethod, service.ServicePath, clock);
  if (answer.kind === 'refused') {
    return gatewayError(
      504,
      'D504CO',
      `Backend service connect failed \`Connection refused: ${target}\``,
      'backend-service',
      answer.reason,
    );
  }
  return {
    status: answer.status,
    headers: { 'x-ca-request-id': randomUUID().toUpperCase(), 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(answer.body),
    ...(answer.status === 200 ? {} : { missingLink: 'backend-path' as const }),
    detail:
      answer.status === 200
        ? `ECS instance ${ecs.id} answered ${service.ServiceHttpMethod} ${service.ServicePath} on port ${a.port}`
        : `ECS instance ${ecs.id} serves no ${service.ServicePath} (its UserData does not mention that path)`,
  };
}

/** How the gateway answers a request that reached the group's instance. */
export function answerGatewayRequest(store: ResourceStore, clock: GatewayClock, req: GatewayRequest): GatewayAnswer {
  const found = groupByHost(store, req.headers.host ?? req.host);
  if (!found) {
    return gatewayError(
      404,
      'I404DO',
      `Invalid Domain \`${req.host}\``,
      'domain',
      `no API group uses the domain ${req.host}`,
    );
  }
  const { group } = found;
  const g = groupAttrs(group);
  if (!req.viaVpc && !g.internetEnable) {
    return gatewayError(
      403,
      'A403IN',
      'Internet Access Forbidden',
      'internet-subdomain',
      `the public subdomain of group ${g.groupName} is disabled (InternetEnable false); call its VPC domain`,
    );
  }
  const instance = store.get(INSTANCE, g.instanceId);
  if (!instance) {
    return gatewayError(
      410,
      'I410GG',
      "Group's instance invalid",
      'domain',
      `the instance ${g.instanceId} of group ${g.groupName} is gone`,
    );
  }
  const stageHeader = (req.headers['x-ca-stage'] ?? 'RELEASE').toUpperCase();
  if (!(STAGES as readonly string[]).includes(stageHeader)) {
    return gatewayError(
      400,
      'I400SG',
      'Invalid Stage',
      'api-deployment',
      `X-Ca-Stage '${stageHeader}' is not RELEASE, PRE or TEST`,
    );
  }
  const stage = stageHeader as StageName;
  const method = req.method.toUpperCase();
  const candidates = store
    .list(API, (api) => apiAttrs(api).groupId === group.id)
    .filter((api) => {
      const request = apiAttrs(api).requestConfig;
      return (
        pathMatches(fullPath(g.basePath, request.RequestPath), req.path) &&
        (request.RequestHttpMethod === 'ANY' || request.RequestHttpMethod === method)
      );
    });
  if (candidates.length === 0) {
    return gatewayError(
      404,
      'I404NF',
      `API not found \`${method} ${req.path}\``,
      'api-path',
      `no API of group ${g.groupName} matches ${method} ${req.path}`,
    );
  }
  const deployed = candidates.find((api) => apiAttrs(api).deployedStages[stage] !== undefined);
  const deployment = deployed && apiAttrs(deployed).deployedStages[stage];
  if (!deployed || !deployment) {
    const names = candidates.map((api) => apiAttrs(api).apiName).join(', ');
    return gatewayError(
      404,
      'I404NF',
      `API not found \`${method} ${req.path}\` in stage ${stage}`,
      'api-deployment',
      `API ${names} matches ${method} ${req.path} but is not deployed to ${stage} (DeployApi)`,
    );
  }
  if (deployment.authType !== 'ANONYMOUS') {
    return gatewayError(
      400,
      'I400MH',
      'Header `X-Ca-Key` is Required',
      'auth-type',
      `API ${apiAttrs(deployed).apiName} uses AuthType ${deployment.authType}; the runbook's anonymous call needs AuthType ANONYMOUS (APP signatures are not modelled)`,
    );
  }
  return backendAnswer(store, clock, instance, deployed, deployment);
}

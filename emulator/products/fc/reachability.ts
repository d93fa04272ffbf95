import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { ResourceRecord, ResourceStore } from '../../core/contract';
import { answerGatewayRequest, groupByHost } from '../cloudapi/gateway';
import type { GatewayAnswer, GatewayLink } from '../cloudapi/gateway';
import type { GatewayClock } from '../cloudapi/backend';
import { INSTANCE, groupAttrs, instanceAttrs } from '../cloudapi/records';
import {
  listCenAttachments,
  listCenBandwidthLimits,
  listCenRouteServices,
  readRamRole,
  readVpc,
} from './network-records';
import { FUNCTION, functionAttrs, parseRoleArn } from './records';
import { hasEniAccess } from './role-access';

/*
 * Reachability model: can a function reach a URL, and what does it see on the way? Pure over the
 * store. Three stages mirror what curl goes through: name resolution (dns-failure), the TCP path from
 * the function's VPC to the gateway's VPC endpoint (timeout / connection-refused), and the gateway's
 * HTTP answer (http-<status>; see cloudapi/gateway.ts). The chain is the runbook's:
 *   Scenario 1: the dedicated instance is bound to the function's VPC.
 *   Scenario 2: the function's VPC and the bound VPC are attached to one CEN, a route service for the
 *   instance's egress CIDR is Active with the function's region as access region, and (across regions)
 *   the CEN has inter-region bandwidth between the two regions.
 * plus the function's role keeping AliyunECSNetworkInterfaceManagementAccess (its VPC ENI).
 */

export type Symptom = 'ok' | 'timeout' | 'connection-refused' | 'dns-failure' | `http-${number}`;

export type NetworkLink =
  | 'function'
  | 'function-vpc'
  | 'role-policy'
  | 'internet-access'
  | 'no-route'
  | 'vpc-subdomain'
  | 'gateway-instance'
  | 'vpc-binding'
  | 'cen-attachment'
  | 'cen-route-service'
  | 'cen-bandwidth'
  | 'port';

export type MissingLink = NetworkLink | GatewayLink;

export interface Reachability {
  reachable: boolean;
  symptom: Symptom;
  missingLink?: MissingLink;
  detail: string;
  /** The HTTP answer, when the request got to the gateway. */
  response?: GatewayAnswer;
}

/** The parts of a function its network depends on. */
export interface FunctionNetwork {
  name: string;
  region: string;
  vpcId?: string;
  roleName?: string;
  internetAccess: boolean;
}

export function functionNetwork(record: ResourceRecord): FunctionNetwork {
  const a = functionAttrs(record);
  return {
    name: record.id,
    region: record.region,
    vpcId: a.vpcConfig?.vpcId,
    roleName: a.role === undefined ? undefined : parseRoleArn(a.role)?.roleName,
    internetAccess: a.internetAccess,
  };
}

export type Resolution = { address: string } | { failure: Reachability };

const failure = (symptom: Symptom, missingLink: MissingLink, detail: string): Reachability => ({
  reachable: false,
  symptom,
  missingLink,
  detail,
});

/** A stable made-up address for a name: only the emulated function ever sees it. */
function addressFor(host: string, firstOctets: string): string {
  const digest = createHash('sha256').update(host).digest();
  return `${firstOctets}.${(digest[0] ?? 0) % 256}.${((digest[1] ?? 0) % 254) + 1}`;
}

/** DNS as seen from the function: the group domains exist while enabled; nothing else resolves. */
export function resolveHost(store: ResourceStore, host: string): Resolution {
  const name = host.toLowerCase();
  if (isIP(name)) return { address: name };
  const found = groupByHost(store, name);
  if (found) return { address: addressFor(name, found.viaVpc ? '100.103' : '47.100') };
  const vpcDomainLike = /^([0-9a-f]{32})-[a-z0-9-]+-vpc\.alicloudapi\.com$/.exec(name);
  if (vpcDomainLike) {
    return {
      failure: failure(
        'dns-failure',
        'vpc-subdomain',
        `${name} does not resolve: the VPC intranet subdomain of group ${vpcDomainLike[1] ?? '?'} is not enabled (ModifyIntranetDomainPolicy VpcIntranetEnable=true)`,
      ),
    };
  }
  return { failure: failure('dns-failure', 'no-route', `${name} does not resolve from inside the function`) };
}

function pathToBoundVpc(store: ResourceStore, fn: FunctionNetwork, instance: ResourceRecord): Reachability | undefined {
  const bound = instanceAttrs(instance).boundVpc;
  if (!bound) {
    return failure(
      'timeout',
      'vpc-binding',
      `dedicated instance ${instance.id} is not bound to any user VPC (ModifyInstanceVpcAttributeForConsole); its VPC endpoint is unreachable`,
    );
  }
  if (!readVpc(store, bound.vpcId)) {
    return failure(
      'timeout',
      'vpc-binding',
      `dedicated instance ${instance.id} is bound to ${bound.vpcId}, which no longer exists`,
    );
  }
  if (bound.vpcId === fn.vpcId) return undefined;

  const attachments = listCenAttachments(store).filter((a) => a.status === 'Attached');
  const fnCens = attachments.filter((a) => a.childInstanceId === fn.vpcId).map((a) => a.cenId);
  const sharedCens = fnCens.filter((cenId) =>
    attachments.some((a) => a.cenId === cenId && a.childInstanceId === bound.vpcId),
  );
  if (sharedCens.length === 0) {
    const sameRegion = fn.region === instance.region;
    return failure(
      'timeout',
      sameRegion && fnCens.length === 0 ? 'vpc-binding' : 'cen-attachment',
      sameRegion && fnCens.length === 0
        ? `dedicated instance ${instance.id} is bound to ${bound.vpcId}, not to the function's ${fn.vpcId ?? '?'}; bind it there or join both VPCs with a CEN`
        : `no CEN has both the function's ${fn.vpcId ?? '?'} and the gateway's ${bound.vpcId} Attached`,
    );
  }
  const egress = instanceAttrs(instance).vpcEgressAddress;
  const routed = sharedCens.filter((cenId) =>
    listCenRouteServices(store).some(
      (r) =>
        r.status === 'Active' &&
        r.cenId === cenId &&
        r.host === egress &&
        r.hostRegionId === instance.region &&
        (r.hostVpcId === undefined || r.hostVpcId === bound.vpcId) &&
        r.accessRegionId === fn.region,
    ),
  );
  if (routed.length === 0) {
    return failure(
      'timeout',
      'cen-route-service',
      `no Active CEN route service for host ${egress} (host region ${instance.region}, VPC ${bound.vpcId}) with access region ${fn.region} in ${sharedCens.join(', ')} (ResolveAndRouteServiceInCen, by ticket)`,
    );
  }
  if (fn.region === instance.region) return undefined;
  const pair = [fn.region, instance.region].sort().join('|');
  const bandwidth = listCenBandwidthLimits(store).some(
    (b) =>
      routed.includes(b.cenId) &&
      [...b.regions].sort().join('|') === pair &&
      b.bandwidthLimit > 0 &&
      b.status === 'Active',
  );
  if (!bandwidth) {
    return failure(
      'timeout',
      'cen-bandwidth',
      `CEN ${routed.join(', ')} has no inter-region bandwidth between ${fn.region} and ${instance.region} (SetCenInterRegionBandwidthLimit)`,
    );
  }
  return undefined;
}

/** Whether a TCP connection from the function to `host:port` completes (undefined = it does). */
export function connectFailure(
  store: ResourceStore,
  fn: FunctionNetwork,
  host: string,
  port: number,
): Reachability | undefined {
  const found = isIP(host) ? undefined : groupByHost(store, host);
  if (!found) return failure('timeout', 'no-route', `nothing answers at ${host}:${port} from the function's network`);
  if (!found.viaVpc) {
    return fn.internetAccess
      ? undefined
      : failure(
          'timeout',
          'internet-access',
          `function ${fn.name} has internetAccess false: the public subdomain ${host} is out of reach (no NAT)`,
        );
  }
  if (!fn.vpcId) {
    return failure(
      'timeout',
      'function-vpc',
      `function ${fn.name} has no vpcConfig: the VPC domain ${host} answers only inside a VPC`,
    );
  }
  const role = fn.roleName === undefined ? undefined : readRamRole(store, fn.roleName);
  if (!role || !hasEniAccess(role)) {
    return failure(
      'timeout',
      'role-policy',
      `function ${fn.name}'s role ${fn.roleName ?? '(none)'} ${role ? 'lacks AliyunECSNetworkInterfaceManagementAccess' : 'no longer exists'}: FC cannot keep its network interface in ${fn.vpcId}`,
    );
  }
  const instance = store.get(INSTANCE, groupAttrs(found.group).instanceId);
  if (!instance || instance.status !== 'RUNNING') {
    return failure(
      'timeout',
      'gateway-instance',
      `dedicated instance ${groupAttrs(found.group).instanceId} is ${instance?.status ?? 'gone'}, not RUNNING`,
    );
  }
  const pathFailure = pathToBoundVpc(store, fn, instance);
  if (pathFailure) return pathFailure;
  if (port !== 80 && port !== 443) {
    return failure('connection-refused', 'port', `the gateway's VPC endpoint listens on 80 and 443, not ${port}`);
  }
  return undefined;
}

export interface ReachabilityRequest {
  functionName: string;
  url: string;
  method?: string;
  headers?: Record<string, string>;
}

/** The function's view of the network, one call per DNS lookup, TCP connect and HTTP request. */
export interface NetworkModel {
  resolve(host: string): Resolution;
  connect(host: string, port: number): Reachability | undefined;
  serve(host: string, request: { method: string; path: string; headers: Record<string, string> }): GatewayAnswer;
}

/** `clock`: the emulator's (an EmulatorContext will do); it decides whether the ECS service is up yet. */
export function networkModelOf(store: ResourceStore, clock: GatewayClock, fn: FunctionNetwork): NetworkModel {
  return {
    resolve: (host) => resolveHost(store, host),
    connect: (host, port) => connectFailure(store, fn, host, port),
    serve: (host, request) =>
      answerGatewayRequest(store, clock, { host, ...request, viaVpc: groupByHost(store, host)?.viaVpc ?? false }),
  };
}

/** Can the function reach the URL, and if not, what does it see and which link is missing? */
export function evaluateReachability(
  store: ResourceStore,
  clock: GatewayClock,
  request: ReachabilityRequest,
): Reachability {
  const record = store.get(FUNCTION, request.functionName);
  if (!record) return failure('timeout', 'function', `function ${request.functionName} does not exist`);
  const network = networkModelOf(store, clock, functionNetwork(record));
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return failure('dns-failure', 'no-route', `'${request.url}' is not a URL`);
  }
  const host = url.hostname;
  const resolution = network.resolve(host);
  if ('failure' in resolution) return resolution.failure;
  const blocked = network.connect(host, Number(url.port || (url.protocol === 'https:' ? 443 : 80)));
  if (blocked) return blocked;
  const response = network.serve(host, {
    method: request.method ?? 'GET',
    path: url.pathname,
    headers: { host, ...request.headers },
  });
  const ok = response.status === 200 && response.missingLink === undefined;
  return {
    reachable: ok,
    symptom: ok ? 'ok' : `http-${response.status}`,
    ...(response.missingLink ? { missingLink: response.missingLink } : {}),
    detail: response.detail,
    response,
  };
}

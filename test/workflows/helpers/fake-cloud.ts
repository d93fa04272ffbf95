/**
 * TEST DOUBLE. An in-memory stand-in for the activities of activities/contract.ts, used to test the
 * workflow logic (ordering, saga, ticket wait, teardown) independently of the emulator and the client
 * layer. It keeps resources by idempotency key (so retried creates return the same id, like the real
 * activities), counts calls, and injects transient or permanent failures on request. The end-to-end
 * tests against the emulator live in emulator-runs.test.ts.
 */
import { ApplicationFailure } from '@temporalio/common';
import type {
  Activities,
  ActivityName,
  CenRouteTicketRequest,
  DeleteOutcome,
  InventoryItem,
  InventoryKind,
} from '../../../activities/contract';

export interface FakeResource {
  kind: InventoryKind | 'routeService';
  id: string;
  region: string;
  name: string;
  prepaid?: boolean;
}

type Fault = { remaining: number; permanent: boolean; code: string };

export class FakeCloud {
  readonly resources = new Map<string, FakeResource>();
  readonly calls: ActivityName[] = [];
  private readonly byToken = new Map<string, string>();
  private readonly faults = new Map<ActivityName, Fault>();
  private seq = 0;
  /** What the function answers when invoked; set to a failure to exercise diagnosis. */
  invocation = { status: 200, body: '{"message":"hello from the backend at /web/cloudapi"}' } as {
    status: number;
    body: string;
    error?: string;
  };

  /** The next `times` calls of `activity` fail with a retryable error (throttling). */
  failTransiently(activity: ActivityName, times: number): void {
    this.faults.set(activity, { remaining: times, permanent: false, code: 'Throttling.User' });
  }

  /** Every call of `activity` fails with a non-retryable error. */
  failPermanently(activity: ActivityName, code = 'QuotaExceeded.Instance'): void {
    this.faults.set(activity, { remaining: Number.POSITIVE_INFINITY, permanent: true, code });
  }

  /** Plays the CEN support desk: applies ResolveAndRouteServiceInCen. */
  applyRouteService(request: CenRouteTicketRequest): void {
    const id = `${request.cenId}:${request.host}`;
    this.resources.set(id, { kind: 'routeService', id, region: request.hostRegionId, name: 'route service' });
  }

  count(kind: FakeResource['kind']): number {
    return [...this.resources.values()].filter((r) => r.kind === kind).length;
  }

  callsOf(activity: ActivityName): number {
    return this.calls.filter((c) => c === activity).length;
  }

  private enter(activity: ActivityName): void {
    this.calls.push(activity);
    const fault = this.faults.get(activity);
    if (!fault || fault.remaining <= 0) return;
    fault.remaining -= 1;
    const message = `${activity}: fake ${fault.code}`;
    throw fault.permanent
      ? ApplicationFailure.nonRetryable(message, fault.code)
      : ApplicationFailure.retryable(message, fault.code);
  }

  private create(
    kind: FakeResource['kind'],
    token: string,
    region: string,
    name: string,
    extra: Partial<FakeResource> = {},
  ) {
    const existing = this.byToken.get(token);
    if (existing && this.resources.has(existing)) return existing;
    const id = `${kind.toLowerCase()}-${++this.seq}`;
    this.byToken.set(token, id);
    this.resources.set(id, { kind, id, region, name, ...extra });
    return id;
  }

  private remove(id: string): DeleteOutcome {
    return this.resources.delete(id) ? { outcome: 'deleted' } : { outcome: 'notFound' };
  }

  private require(id: string, what: string): void {
    if (!this.resources.has(id)) throw ApplicationFailure.nonRetryable(`${what} ${id} not found`, 'NotFound');
  }

  activities(): Activities {
    const a = async <T>(name: ActivityName, body: () => T): Promise<T> => {
      this.enter(name);
      return body();
    };
    const relation = (item: InventoryItem) => this.remove(item.id);
    return {
      preflight: (i) =>
        a('preflight', () => ({
          accountId: '1234567890123456',
          gatewayZoneId: i.gatewayZoneId ?? `${i.gatewayRegion}-b`,
          warnings: [],
        })),
      createVpc: (i) =>
        a('createVpc', () => ({ region: i.region, vpcId: this.create('vpc', i.idempotencyKey, i.region, i.name) })),
      waitVpcAvailable: (i) => a('waitVpcAvailable', () => (this.require(i.vpcId, 'VPC'), i)),
      createVSwitch: (i) =>
        a('createVSwitch', () => ({
          region: i.region,
          vSwitchId: this.create('vSwitch', i.idempotencyKey, i.region, i.name),
        })),
      waitVSwitchAvailable: (i) => a('waitVSwitchAvailable', () => (this.require(i.vSwitchId, 'vSwitch'), i)),
      createSecurityGroup: (i) =>
        a('createSecurityGroup', () => ({
          region: i.region,
          securityGroupId: this.create('securityGroup', i.idempotencyKey, i.region, i.name),
        })),
      authorizeSecurityGroupIngress: (i) =>
        a('authorizeSecurityGroupIngress', () => this.require(i.securityGroupId, 'SG')),
      runBackendInstance: (i) =>
        a('runBackendInstance', () => ({
          region: i.region,
          instanceId: this.create('ecsInstance', i.idempotencyKey, i.region, i.name),
        })),
      waitBackendInstanceRunning: (i) =>
        a('waitBackendInstanceRunning', () => ({ ...i, privateIpAddress: '172.16.1.10' })),
      createDedicatedInstance: (i) =>
        a('createDedicatedInstance', () => ({
          region: i.region,
          instanceId: this.create('gatewayInstance', i.idempotencyKey, i.region, i.name),
        })),
      waitDedicatedInstanceRunning: (i) =>
        a('waitDedicatedInstanceRunning', () => ({
          ...i,
          status: 'RUNNING' as const,
          vpcEgressAddress: '100.104.255.128/26',
        })),
      createVpcAccess: (i) =>
        a('createVpcAccess', () => ({
          region: i.region,
          vpcAccessId: this.create('vpcAccess', i.idempotencyKey, i.region, i.name),
        })),
      createApiGroup: (i) =>
        a('createApiGroup', () => {
          const groupId = this.create('apiGroup', i.idempotencyKey, i.region, i.name);
          return { region: i.region, groupId, subDomain: `${groupId}-${i.region}.alicloudapi.com` };
        }),
      createApi: (i) =>
        a('createApi', () => ({
          region: i.region,
          groupId: i.groupId,
          apiId: this.create('api', i.idempotencyKey, i.region, i.name),
        })),
      deployApi: (i) => a('deployApi', () => this.require(i.apiId, 'API')),
      bindInstanceToVpc: (i) =>
        a('bindInstanceToVpc', () => {
          this.resources.set(`${i.instanceId}:${i.vpcId}`, {
            kind: 'gatewayVpcBinding',
            id: `${i.instanceId}:${i.vpcId}`,
            region: i.region,
            name: 'binding',
          });
        }),
      enableVpcSubdomain: (i) =>
        a('enableVpcSubdomain', () => ({
          region: i.region,
          groupId: i.groupId,
          vpcDomain: `${i.groupId}-vpc.${i.region}.alicloudapi.com`,
          internetEnabled: !i.disableInternetSubdomain,
        })),
      createFcRole: (i) =>
        a('createFcRole', () => {
          this.create('ramRole', i.idempotencyKey, 'global', i.roleName);
          return { roleName: i.roleName, roleArn: `acs:ram::1234567890123456:role/${i.roleName}` };
        }),
      createFunction: (i) =>
        a('createFunction', () => {
          this.create('fcFunction', i.idempotencyKey, i.region, i.name);
          return { region: i.region, functionName: i.name };
        }),
      waitFunctionActive: (i) => a('waitFunctionActive', () => i),
      invokeFunction: (i) => a('invokeFunction', () => ({ ...i, ...this.invocation })),
      diagnoseReachability: () =>
        a('diagnoseReachability', () => ({
          checks: [{ link: 'VPC subdomain enabled', ok: false, detail: 'fake: intranet domain is off' }],
          missing: ['VPC subdomain enabled'],
        })),
      createCen: (i) => a('createCen', () => ({ cenId: this.create('cen', i.idempotencyKey, 'global', i.name) })),
      waitCenActive: (i) => a('waitCenActive', () => i),
      attachVpcToCen: (i) =>
        a('attachVpcToCen', () => {
          const id = `${i.cenId}:${i.vpcId}`;
          this.resources.set(id, { kind: 'cenAttachment', id, region: i.vpcRegion, name: 'attachment' });
        }),
      createBandwidthPackage: (i) =>
        a('createBandwidthPackage', () => ({
          bandwidthPackageId: this.create('cenBandwidthPackage', i.idempotencyKey, 'global', i.name, {
            prepaid: i.chargeType === 'PREPAY',
          }),
        })),
      associateBandwidthPackage: (i) =>
        a('associateBandwidthPackage', () => this.require(i.bandwidthPackageId, 'package')),
      setInterRegionBandwidth: (i) =>
        a('setInterRegionBandwidth', () => {
          const id = `${i.cenId}:${i.localRegion}:${i.oppositeRegion}`;
          this.resources.set(id, { kind: 'cenInterRegionBandwidth', id, region: i.localRegion, name: 'limit' });
        }),
      describeRouteService: (i) =>
        a('describeRouteService', () => {
          const active = this.resources.has(`${i.cenId}:${i.host}`);
          return {
            entries: i.accessRegionIds.map((accessRegionId) => ({
              accessRegionId,
              status: active ? ('Active' as const) : ('NotFound' as const),
            })),
            allActive: active,
          };
        }),
      deleteFunction: (item) => a('deleteFunction', () => this.removeByName('fcFunction', item.id)),
      deleteFcRole: (item) => a('deleteFcRole', () => this.removeByName('ramRole', item.id)),
      deleteApi: (item) => a('deleteApi', () => relation(item)),
      deleteApiGroup: (item) => a('deleteApiGroup', () => relation(item)),
      removeVpcAccess: (item) => a('removeVpcAccess', () => relation(item)),
      unbindInstanceFromVpc: (item) => a('unbindInstanceFromVpc', () => relation(item)),
      deleteDedicatedInstance: (item) => a('deleteDedicatedInstance', () => relation(item)),
      deleteRouteService: (item) => a('deleteRouteService', () => relation(item)),
      resetInterRegionBandwidth: (item) => a('resetInterRegionBandwidth', () => relation(item)),
      deleteBandwidthPackage: (item) =>
        a('deleteBandwidthPackage', (): DeleteOutcome => {
          const found = this.resources.get(item.id);
          if (found?.prepaid) return { outcome: 'needsHuman', reason: 'prepaid: Forbidden.Release' };
          return this.remove(item.id);
        }),
      detachVpcFromCen: (item) => a('detachVpcFromCen', () => relation(item)),
      deleteCen: (item) => a('deleteCen', () => relation(item)),
      deleteBackendInstance: (item) => a('deleteBackendInstance', () => relation(item)),
      deleteSecurityGroup: (item) => a('deleteSecurityGroup', () => relation(item)),
      deleteVSwitch: (item) => a('deleteVSwitch', () => relation(item)),
      deleteVpc: (item) => a('deleteVpc', () => relation(item)),
    };
  }

  /** Functions and roles are identified by name. */
  private removeByName(kind: FakeResource['kind'], name: string): DeleteOutcome {
    const found = [...this.resources.values()].find((r) => r.kind === kind && r.name === name);
    return found ? this.remove(found.id) : { outcome: 'notFound' };
  }
}

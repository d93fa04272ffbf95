/** Scenario 2 steps 2-4: the CEN, its attachments and bandwidth, and the route-service ticket. */
import { ApplicationFailure } from '@temporalio/workflow';
import type { CenRouteTicketRequest } from '../activities/contract';
import { cenGeographicRegionOf } from '../config/regions';
import type { RunConfig } from '../config/schema';
import type { InventoryItem } from '../activities/contract';
import type { VpcKey } from '../config/scenario';
import { activity } from './activity-stubs';
import { idempotencyKey, need, regionOfVpcIn, type Facts, type RunContext, type StepHandlers } from './run-context';
import type { CenStepName, StepName } from './steps';
import { waitForCenRouteTicket } from './ticket';

/** The ResolveAndRouteServiceInCen parameters the runbook's ticket quotes (Scenario 2 step 4). */
export function cenRouteTicketRequest(config: RunConfig, facts: Facts): CenRouteTicketRequest {
  return {
    accessRegionIds: [config.regions.function, config.regions.gateway],
    cenId: need(facts.cenId, 'the CEN id', 'cenRouteTicket'),
    host: need(facts.vpcEgressAddress, 'the gateway egress CIDR', 'cenRouteTicket'),
    hostRegionId: config.regions.gateway,
    hostVpcId: need(facts.vpcIds.apiAccess, 'the id of vpc-api-access', 'cenRouteTicket'),
  };
}

export function cenSteps(ctx: RunContext): Pick<StepHandlers, CenStepName> {
  const { config, state, facts } = ctx;
  const regionOfVpc = (key: VpcKey) => regionOfVpcIn(config, key);
  const record = (item: InventoryItem) => state.record(item);

  async function attachToCen(step: StepName, key: VpcKey): Promise<string> {
    const cenId = need(facts.cenId, 'the CEN id', step);
    const vpcId = need(facts.vpcIds[key], `the id of ${config.vpcs[key].name}`, step);
    const vpcRegion = regionOfVpc(key);
    // The attachment's id is known before the call: record first, so a failure mid-call is still undone.
    record({
      kind: 'cenAttachment',
      id: `${cenId}:${vpcId}`,
      region: vpcRegion,
      name: config.vpcs[key].name,
      createdBy: step,
      cenId,
      vpcId,
    });
    await activity('attachVpcToCen')({ idempotencyKey: idempotencyKey(step), cenId, vpcId, vpcRegion });
    return `${config.vpcs[key].name} attached to ${cenId}`;
  }

  return {
    async cen() {
      const step = 'cen';
      const { cenId } = await activity('createCen')({
        idempotencyKey: idempotencyKey(step),
        name: config.cen.name,
        description: 'Connects vpc-fc-access to vpc-api-access for private API Gateway access',
      });
      record({ kind: 'cen', id: cenId, region: 'global', name: config.cen.name, createdBy: step });
      await activity('waitCenActive')({ cenId });
      facts.cenId = cenId;
      return cenId;
    },

    cenAttachApiAccessVpc: () => attachToCen('cenAttachApiAccessVpc', 'apiAccess'),
    cenAttachFcAccessVpc: () => attachToCen('cenAttachFcAccessVpc', 'fcAccess'),

    async cenBandwidthPackage() {
      const step = 'cenBandwidthPackage';
      const { bandwidthPackageId } = await activity('createBandwidthPackage')({
        idempotencyKey: idempotencyKey(step),
        name: config.cen.bandwidthPackageName,
        bandwidthMbps: config.cen.bandwidthMbps,
        geographicRegionA: geographyOf(config.regions.gateway),
        geographicRegionB: geographyOf(config.regions.function),
        chargeType: config.cen.bandwidthChargeType,
        period: config.cen.prepaidMonths,
      });
      // Recorded without a CEN id yet: association happens in the next step and deletion unassociates.
      record({
        kind: 'cenBandwidthPackage',
        id: bandwidthPackageId,
        region: 'global',
        name: config.cen.bandwidthPackageName,
        createdBy: step,
        cenId: facts.cenId ?? '',
        chargeType: config.cen.bandwidthChargeType,
      });
      facts.bandwidthPackageId = bandwidthPackageId;
      const prepaid =
        config.cen.bandwidthChargeType === 'PREPAY'
          ? `; prepaid for ${config.cen.prepaidMonths} month(s), cannot be deleted by API (teardown reports it)`
          : '';
      return `${bandwidthPackageId} ${config.cen.bandwidthMbps} Mbit/s${prepaid}`;
    },

    async cenBandwidthAssociation() {
      const step = 'cenBandwidthAssociation';
      const cenId = need(facts.cenId, 'the CEN id', step);
      const bandwidthPackageId = need(facts.bandwidthPackageId, 'the bandwidth package', step);
      const item = state.inventory.find((i) => i.kind === 'cenBandwidthPackage' && i.id === bandwidthPackageId);
      if (item?.kind === 'cenBandwidthPackage') item.cenId = cenId;
      await activity('associateBandwidthPackage')({ idempotencyKey: idempotencyKey(step), cenId, bandwidthPackageId });
      return `${bandwidthPackageId} associated with ${cenId}`;
    },

    async cenInterRegionBandwidth() {
      const step = 'cenInterRegionBandwidth';
      const cenId = need(facts.cenId, 'the CEN id', step);
      const localRegion = config.regions.gateway;
      const oppositeRegion = config.regions.function;
      record({
        kind: 'cenInterRegionBandwidth',
        id: `${cenId}:${localRegion}:${oppositeRegion}`,
        region: localRegion,
        name: `${localRegion}<->${oppositeRegion}`,
        createdBy: step,
        cenId,
        oppositeRegion,
      });
      await activity('setInterRegionBandwidth')({
        idempotencyKey: idempotencyKey(step),
        cenId,
        localRegion,
        oppositeRegion,
        bandwidthMbps: config.cen.bandwidthMbps,
      });
      return `${config.cen.bandwidthMbps} Mbit/s between ${localRegion} and ${oppositeRegion}`;
    },

    async cenRouteTicket() {
      const request = cenRouteTicketRequest(config, facts);
      const outcome = await waitForCenRouteTicket(ctx, request);
      record({
        kind: 'cenRouteService',
        id: `${request.cenId}:${request.host}`,
        region: request.hostRegionId,
        name: `route service for ${request.host}`,
        createdBy: 'cenRouteTicket',
        request,
      });
      return outcome;
    },
  };
}

/** CEN bandwidth packages are bought per pair of geographies (China ↔ China in the runbook). */
function geographyOf(region: string): string {
  const geography = cenGeographicRegionOf(region);
  if (!geography) throw ApplicationFailure.nonRetryable(`no CEN geography known for region ${region}`, 'UnknownRegion');
  return geography;
}

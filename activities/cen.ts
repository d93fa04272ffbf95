import type { CbnClient, Cen, CenBandwidthPackage } from './cloud/cbn';
import { isAlibabaCloudError } from './cloud/errors';
import { items } from './cloud/lists';
import type { Activities, DeleteOutcome, RouteServiceStatus } from './contract';
import {
  alreadyExistsIsDone,
  deleteUntilGone,
  deleteWaitingOutDependents,
  findOrCreate,
  retryWhileBusy,
  runTag,
  waitForStatus,
  waitUntilGone,
  type ActivityOptions,
} from './common';
import { runStep } from './failures';
import { clientToken } from './idempotency';
import { ActivityProgress, waitUntil, type HeartbeatState } from './progress';

type CenActivities = Pick<
  Activities,
  | 'createCen'
  | 'waitCenActive'
  | 'attachVpcToCen'
  | 'createBandwidthPackage'
  | 'associateBandwidthPackage'
  | 'setInterRegionBandwidth'
  | 'describeRouteService'
  | 'deleteRouteService'
  | 'resetInterRegionBandwidth'
  | 'deleteBandwidthPackage'
  | 'detachVpcFromCen'
  | 'deleteCen'
>;

/** Scenario 2 steps 2-4: the CEN, its VPC attachments, bandwidth, and the route service support creates. */
export function cenActivities(cbn: CbnClient, options: ActivityOptions): CenActivities {
  const describeCen = async (cenId: string): Promise<Cen | undefined> => {
    const found = await cbn.describeCens({ Filter: [{ Key: 'CenId', Value: [cenId] }] });
    return items(found.Cens).find((c) => c.CenId === cenId);
  };
  const attachment = async (cenId: string, vpcId: string) => {
    const found = await cbn.describeCenAttachedChildInstances({ CenId: cenId });
    return items(found.ChildInstances).find((c) => c.ChildInstanceId === vpcId);
  };
  const describePackage = async (packageId: string): Promise<CenBandwidthPackage | undefined> => {
    const found = await cbn.describeCenBandwidthPackages({
      Filter: [{ Key: 'CenBandwidthPackageId', Value: [packageId] }],
    });
    return items(found.CenBandwidthPackages).find((p) => p.CenBandwidthPackageId === packageId);
  };
  const interRegionLimit = async (cenId: string, local: string, opposite: string) => {
    const found = await cbn.describeCenInterRegionBandwidthLimits({ CenId: cenId });
    return items(found.CenInterRegionBandwidthLimits).find(
      (l) => l.LocalRegionId === local && l.OppositeRegionId === opposite,
    );
  };
  const routeEntries = async (cenId: string, host: string, hostRegionId: string) => {
    const found = await cbn.describeRouteServicesInCen({ CenId: cenId, Host: host, HostRegionId: hostRegionId });
    return items(found.RouteServiceEntries).filter((e) => e.Host === host && e.HostRegionId === hostRegionId);
  };
  const cenWait = options.timeouts.cen;

  return {
    createCen: (input) =>
      runStep('createCen', async () => {
        const find = async () => {
          const found = await cbn.describeCens({
            Filter: [{ Key: 'Name', Value: [input.name] }],
            Tag: runTag(input.idempotencyKey),
          });
          const match = items(found.Cens).find((c) => c.Name === input.name && c.Status !== 'Deleting');
          return match ? { cenId: match.CenId } : undefined;
        };
        return findOrCreate(find, async () => {
          const created = await cbn.createCen({
            Name: input.name,
            Description: input.description,
            ProtectionLevel: 'REDUCED',
            Tag: runTag(input.idempotencyKey),
            ClientToken: clientToken(input.idempotencyKey, 'CreateCen'),
          });
          return { cenId: created.CenId };
        });
      }),

    waitCenActive: (ref) =>
      runStep('waitCenActive', async () => {
        await waitForStatus({
          step: 'waitCenActive',
          what: `CEN ${ref.cenId} to become Active`,
          read: () => describeCen(ref.cenId),
          status: (c) => c.Status,
          ready: ['Active'],
          timeoutMs: cenWait,
          options,
        });
        return ref;
      }),

    attachVpcToCen: (input) =>
      runStep('attachVpcToCen', async () => {
        if (!(await attachment(input.cenId, input.vpcId))) {
          await retryWhileBusy(
            'attachVpcToCen',
            `CEN ${input.cenId} to accept ${input.vpcId}`,
            () =>
              alreadyExistsIsDone(() =>
                cbn.attachCenChildInstance({
                  CenId: input.cenId,
                  ChildInstanceId: input.vpcId,
                  ChildInstanceType: 'VPC',
                  ChildInstanceRegionId: input.vpcRegion,
                }),
              ),
            options,
            cenWait,
          );
        }
        await waitForStatus({
          step: 'attachVpcToCen',
          what: `${input.vpcId} to be Attached to CEN ${input.cenId}`,
          read: () => attachment(input.cenId, input.vpcId),
          status: (c) => c.Status,
          ready: ['Attached'],
          timeoutMs: cenWait,
          options,
        });
      }),

    createBandwidthPackage: (input) =>
      runStep('createBandwidthPackage', async () => {
        const find = async () => {
          const found = await cbn.describeCenBandwidthPackages({ Filter: [{ Key: 'Name', Value: [input.name] }] });
          const match = items(found.CenBandwidthPackages).find((p) => p.Name === input.name && p.Status !== 'Deleting');
          return match ? { bandwidthPackageId: match.CenBandwidthPackageId } : undefined;
        };
        return findOrCreate(find, async () => {
          const prepaid = input.chargeType === 'PREPAY';
          const created = await cbn.createCenBandwidthPackage({
            Name: input.name,
            Description: prepaid
              ? 'fc-apigw-vpc (prepaid: cannot be deleted by API, expires unless renewed)'
              : 'fc-apigw-vpc',
            Bandwidth: input.bandwidthMbps,
            GeographicRegionAId: input.geographicRegionA,
            GeographicRegionBId: input.geographicRegionB,
            BandwidthPackageChargeType: input.chargeType,
            ...(prepaid
              ? { Period: input.period, PricingCycle: 'Month' as const, AutoPay: true, AutoRenew: false }
              : {}),
            ClientToken: clientToken(input.idempotencyKey, 'CreateCenBandwidthPackage'),
          });
          return { bandwidthPackageId: created.CenBandwidthPackageId };
        });
      }),

    associateBandwidthPackage: (input) =>
      runStep('associateBandwidthPackage', async () => {
        const associated = (p: CenBandwidthPackage | undefined) => items(p?.CenIds).includes(input.cenId);
        if (!associated(await describePackage(input.bandwidthPackageId))) {
          await retryWhileBusy(
            'associateBandwidthPackage',
            `bandwidth package ${input.bandwidthPackageId} to be associated`,
            () =>
              alreadyExistsIsDone(() =>
                cbn.associateCenBandwidthPackage({
                  CenId: input.cenId,
                  CenBandwidthPackageId: input.bandwidthPackageId,
                }),
              ),
            options,
            cenWait,
          );
        }
        await waitUntil({
          what: `bandwidth package ${input.bandwidthPackageId} to show CEN ${input.cenId}`,
          step: 'associateBandwidthPackage',
          intervalMs: options.pollIntervalMs,
          timeoutMs: cenWait,
          progress: new ActivityProgress<HeartbeatState>(),
          check: async () => {
            const pkg = await describePackage(input.bandwidthPackageId);
            return associated(pkg) && pkg?.Status !== 'Associating'
              ? { done: true, value: undefined }
              : { done: false, state: pkg?.Status ?? 'not visible' };
          },
        });
      }),

    setInterRegionBandwidth: (input) =>
      runStep('setInterRegionBandwidth', async () => {
        const current = await interRegionLimit(input.cenId, input.localRegion, input.oppositeRegion);
        if (Number(current?.BandwidthLimit) !== input.bandwidthMbps) {
          await retryWhileBusy(
            'setInterRegionBandwidth',
            `CEN ${input.cenId} to accept the ${input.localRegion}↔${input.oppositeRegion} limit`,
            () =>
              cbn.setCenInterRegionBandwidthLimit({
                CenId: input.cenId,
                LocalRegionId: input.localRegion,
                OppositeRegionId: input.oppositeRegion,
                BandwidthLimit: input.bandwidthMbps,
              }),
            options,
            cenWait,
          );
        }
        await waitUntil({
          what: `the ${input.localRegion}↔${input.oppositeRegion} bandwidth limit to be Active`,
          step: 'setInterRegionBandwidth',
          intervalMs: options.pollIntervalMs,
          timeoutMs: cenWait,
          progress: new ActivityProgress<HeartbeatState>(),
          check: async () => {
            const limit = await interRegionLimit(input.cenId, input.localRegion, input.oppositeRegion);
            const effective =
              Number(limit?.BandwidthLimit) === input.bandwidthMbps && (limit?.Status ?? 'Active') === 'Active';
            return effective
              ? { done: true, value: undefined }
              : { done: false, state: limit?.Status ?? 'not visible' };
          },
        });
      }),

    describeRouteService: (request) =>
      runStep('describeRouteService', async () => {
        const found = await routeEntries(request.cenId, request.host, request.hostRegionId);
        const entries = request.accessRegionIds.map((accessRegionId) => {
          const entry = found.find((e) => e.AccessRegionId === accessRegionId);
          return { accessRegionId, status: routeStatus(entry?.Status) };
        });
        return { entries, allActive: entries.every((e) => e.status === 'Active') };
      }),

    deleteRouteService: (item) =>
      runStep('deleteRouteService', async () => {
        const { request } = item;
        const outcomes: DeleteOutcome[] = [];
        for (const accessRegionId of request.accessRegionIds) {
          outcomes.push(
            await deleteWaitingOutDependents(
              'deleteRouteService',
              `route service ${request.host} for ${accessRegionId}`,
              () =>
                cbn.deleteRouteServiceInCen({
                  CenId: request.cenId,
                  Host: request.host,
                  HostRegionId: request.hostRegionId,
                  AccessRegionId: accessRegionId,
                }),
              options,
            ),
          );
        }
        await waitUntilGone({
          step: 'deleteRouteService',
          what: `route services for ${request.host}`,
          state: async () => {
            const left = await routeEntries(request.cenId, request.host, request.hostRegionId);
            return left.length === 0 ? undefined : left.map((e) => `${e.AccessRegionId}:${e.Status}`).join(', ');
          },
          options,
          timeoutMs: cenWait,
        });
        return outcomes.some((o) => o.outcome === 'deleted') ? { outcome: 'deleted' } : { outcome: 'notFound' };
      }),

    resetInterRegionBandwidth: (item) =>
      runStep('resetInterRegionBandwidth', async () => {
        const current = await interRegionLimit(item.cenId, item.region, item.oppositeRegion);
        if (!current || Number(current.BandwidthLimit) === 0) return { outcome: 'notFound' };
        return deleteUntilGone({
          step: 'resetInterRegionBandwidth',
          what: `the ${item.region}↔${item.oppositeRegion} bandwidth limit`,
          call: () =>
            cbn.setCenInterRegionBandwidthLimit({
              CenId: item.cenId,
              LocalRegionId: item.region,
              OppositeRegionId: item.oppositeRegion,
              BandwidthLimit: 0,
            }),
          // A limit of 0 that CEN has finished applying is no limit; until then it is still being removed.
          state: async () => {
            const left = await interRegionLimit(item.cenId, item.region, item.oppositeRegion);
            if (!left || (Number(left.BandwidthLimit) === 0 && left.Status === 'Active')) return undefined;
            return `${left.BandwidthLimit} Mbit/s ${left.Status ?? ''}`.trim();
          },
          options,
          timeoutMs: cenWait,
        });
      }),

    deleteBandwidthPackage: (item) =>
      runStep('deleteBandwidthPackage', async (): Promise<DeleteOutcome> => {
        const pkg = await describePackage(item.id);
        if (!pkg) return { outcome: 'notFound' };
        if (items(pkg.CenIds).includes(item.cenId)) {
          await deleteWaitingOutDependents(
            'deleteBandwidthPackage',
            `association of ${item.id} with ${item.cenId}`,
            async () => {
              try {
                await cbn.unassociateCenBandwidthPackage({ CenId: item.cenId, CenBandwidthPackageId: item.id });
              } catch (error) {
                // "Not associated" comes back as a wrong-status code, which would be waited out as busy
                // until the timeout: if the association is gone meanwhile, that is this step's goal.
                const now = await describePackage(item.id);
                if (now && items(now.CenIds).includes(item.cenId)) throw error;
              }
            },
            options,
          );
        }
        try {
          return await deleteUntilGone({
            step: 'deleteBandwidthPackage',
            what: `bandwidth package ${item.id}`,
            call: () => cbn.deleteCenBandwidthPackage({ CenBandwidthPackageId: item.id }),
            state: async () => (await describePackage(item.id))?.Status,
            options,
            timeoutMs: cenWait,
          });
        } catch (error) {
          if (isAlibabaCloudError(error) && error.kind === 'permission') {
            return {
              outcome: 'needsHuman',
              reason:
                `bandwidth package ${item.id} (${item.chargeType}) cannot be deleted by API (${error.code}, ` +
                `RequestId ${error.requestId ?? 'n/a'}): release it in the CEN console or let it expire; it is no longer associated`,
            };
          }
          throw error;
        }
      }),

    detachVpcFromCen: (item) =>
      runStep('detachVpcFromCen', async () => {
        if (!(await attachment(item.cenId, item.vpcId))) return { outcome: 'notFound' };
        return deleteUntilGone({
          step: 'detachVpcFromCen',
          what: `attachment of ${item.vpcId} to ${item.cenId}`,
          call: () =>
            cbn.detachCenChildInstance({
              CenId: item.cenId,
              ChildInstanceId: item.vpcId,
              ChildInstanceType: 'VPC',
              ChildInstanceRegionId: item.region,
            }),
          state: async () => (await attachment(item.cenId, item.vpcId))?.Status,
          options,
          timeoutMs: cenWait,
        });
      }),

    deleteCen: (item) =>
      runStep('deleteCen', async () => {
        if (!(await describeCen(item.id))) return { outcome: 'notFound' };
        return deleteUntilGone({
          step: 'deleteCen',
          what: `CEN ${item.id}`,
          call: () => cbn.deleteCen({ CenId: item.id }),
          state: async () => (await describeCen(item.id))?.Status,
          options,
          timeoutMs: cenWait,
        });
      }),
  };
}

const ROUTE_STATUSES: readonly RouteServiceStatus[] = ['Creating', 'Active', 'Deleting', 'Failed'];

function routeStatus(reported: string | undefined): RouteServiceStatus {
  if (reported === undefined) return 'NotFound';
  return (ROUTE_STATUSES as readonly string[]).includes(reported) ? (reported as RouteServiceStatus) : 'Creating';
}

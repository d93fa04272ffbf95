/** CBN (CEN) 2017-09-12: Bandwidth packages and inter-region bandwidth limits. */
import type { EmulatorContext, ResourceRecord, RpcHandler } from '../../core/contract';
import { attr, secondsTime } from '../vpc/common';
import { badRequest, forbidden, invalidParameter } from '../vpc/errors';
import { RpcParams, paginate } from '../vpc/params';
import {
  BANDWIDTH_LIMIT,
  BANDWIDTH_PACKAGE,
  GEOGRAPHIC_REGIONS,
  GLOBAL_REGION,
  attachedRegions,
  geographyOf,
  limitId,
  limitsOf,
  packageFor,
  requireBandwidthPackage,
  requireCen,
  requireCenActive,
  requireCenIdle,
} from './model';

import { filters, matches } from './filters';

function geography(p: RpcParams, name: string): string {
  const text = p.required(name);
  const match = GEOGRAPHIC_REGIONS.find((g) => g.toLowerCase() === text.toLowerCase());
  if (!match) throw invalidParameter(name, `"${text}" is not one of ${GEOGRAPHIC_REGIONS.join(', ')}.`);
  return match;
}

const createCenBandwidthPackage: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const bandwidth = p.requiredInteger('Bandwidth', { min: 1, max: 10000 });
  const geoA = geography(p, 'GeographicRegionAId');
  const geoB = geography(p, 'GeographicRegionBId');
  const chargeType = p.oneOf('BandwidthPackageChargeType', ['PREPAY', 'POSTPAY'] as const, 'PREPAY');
  const cycle = p.oneOf('PricingCycle', ['Month', 'Year'] as const, 'Month');
  const period = p.integer('Period', { min: 1, max: cycle === 'Month' ? 36 : 3, fallback: 1 });
  const autoRenew = p.boolean('AutoRenew', false);
  const name = p.name('Name', 'InvalidParameter');
  const description = p.description('InvalidParameter');
  return ctx.idempotent(
    { product: 'cbn', action: 'CreateCenBandwidthPackage', token: p.optional('ClientToken') },
    () => {
      const days = (cycle === 'Month' ? 30 : 365) * period;
      const expiresAt = chargeType === 'PREPAY' ? new Date(ctx.now() + days * 86_400_000).toISOString() : undefined;
      const bwp = ctx.store.insert({
        product: 'cbn',
        type: BANDWIDTH_PACKAGE,
        id: ctx.newId('cenbwp-'),
        region: GLOBAL_REGION,
        name,
        status: 'Idle',
        attrs: {
          bandwidth,
          geographicRegionAId: geoA,
          geographicRegionBId: geoB,
          chargeType,
          autoRenew,
          expiresAt,
          description: description ?? '',
        },
      });
      return {
        CenBandwidthPackageId: bwp.id,
        CenBandwidthPackageOrderId: chargeType === 'PREPAY' ? ctx.newId('') : '',
      };
    },
  );
};

const associateCenBandwidthPackage: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const cen = requireCen(ctx, p.required('CenId'));
  const bwp = requireBandwidthPackage(ctx, p.required('CenBandwidthPackageId'));
  const current = attr<string | undefined>(bwp, 'cenId');
  // The same association again (a retry whose first answer was lost) is done already: succeed, change nothing.
  if (current === cen.id) return {};
  requireCenActive(cen);
  if (current !== undefined) {
    throw badRequest(
      'InvalidOperation.BwpInstanceStatus',
      `Bandwidth package ${bwp.id} is already associated with CEN ${current}.`,
    );
  }
  requireCenIdle(ctx, cen);
  ctx.store.update(BANDWIDTH_PACKAGE, bwp.id, { status: 'InUse', attrs: { cenId: cen.id } });
  return {};
};

const unassociateCenBandwidthPackage: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const cen = requireCen(ctx, p.required('CenId'));
  const bwp = requireBandwidthPackage(ctx, p.required('CenBandwidthPackageId'));
  if (attr(bwp, 'cenId') !== cen.id) {
    throw badRequest(
      'InvalidOperation.BwpInstanceStatus',
      `Bandwidth package ${bwp.id} is not associated with CEN ${cen.id}.`,
    );
  }
  requireCenIdle(ctx, cen);
  const limits = limitsOf(ctx, cen.id).filter((l) => attr(l, 'bandwidthPackageId') === bwp.id);
  if (limits.length > 0) {
    throw badRequest(
      'InvalidOperation.CenBandwidthLimitsNotZero',
      `Inter-region bandwidth limits still use package ${bwp.id} (${limits.map((l) => l.id).join(', ')}); set them to 0 first.`,
    );
  }
  ctx.store.update(BANDWIDTH_PACKAGE, bwp.id, { status: 'Idle', attrs: { cenId: undefined } });
  return {};
};

function packageView(ctx: EmulatorContext, b: ResourceRecord): Record<string, unknown> {
  const cenId = attr<string | undefined>(b, 'cenId');
  const expiresAt = attr<string | undefined>(b, 'expiresAt');
  return {
    CenBandwidthPackageId: b.id,
    Name: b.name ?? '',
    Description: attr(b, 'description'),
    Bandwidth: attr(b, 'bandwidth'),
    BandwidthPackageChargeType: attr(b, 'chargeType'),
    GeographicRegionAId: attr(b, 'geographicRegionAId'),
    GeographicRegionBId: attr(b, 'geographicRegionBId'),
    GeographicSpanId: `${attr(b, 'geographicRegionAId')}_${attr(b, 'geographicRegionBId')}`,
    Status: b.status,
    BusinessStatus: 'Normal',
    CreationTime: secondsTime(b.createdAt),
    ExpiredTime: expiresAt ? secondsTime(expiresAt) : '',
    HasReservationData: 'false',
    IsCrossBorder: attr(b, 'geographicRegionAId') !== attr(b, 'geographicRegionBId'),
    CenIds: { CenId: cenId ? [cenId] : [] },
    OrginInterRegionBandwidthLimits: {
      OrginInterRegionBandwidthLimit: cenId
        ? limitsOf(ctx, cenId)
            .filter((l) => attr(l, 'bandwidthPackageId') === b.id)
            .map((l) => ({
              LocalRegionId: attr(l, 'localRegionId'),
              OppositeRegionId: attr(l, 'oppositeRegionId'),
              BandwidthLimit: String(attr(l, 'bandwidthLimit')),
            }))
        : [],
    },
  };
}

const describeCenBandwidthPackages: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const filter = filters(p, ['CenId', 'Status', 'CenBandwidthPackageId', 'Name']);
  const isOr = p.boolean('IsOrKey', false);
  const page = p.page(50);
  const fields = (b: ResourceRecord): Record<string, string | undefined> => ({
    CenId: attr<string | undefined>(b, 'cenId'),
    Status: b.status,
    CenBandwidthPackageId: b.id,
    Name: b.name,
  });
  // Filters combine with AND unless IsOrKey=true.
  const keep = (b: ResourceRecord) => {
    const results = [...filter.keys()].map((key) => matches(filter, key, fields(b)[key]));
    return isOr ? results.length === 0 || results.some(Boolean) : results.every(Boolean);
  };
  const list = ctx.store.list(BANDWIDTH_PACKAGE, keep).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const { items, ...paging } = paginate(list, page);
  return { ...paging, CenBandwidthPackages: { CenBandwidthPackage: items.map((b) => packageView(ctx, b)) } };
};

const deleteCenBandwidthPackage: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const bwp = requireBandwidthPackage(ctx, p.required('CenBandwidthPackageId'));
  const cenId = attr<string | undefined>(bwp, 'cenId');
  if (cenId !== undefined) {
    throw badRequest(
      'InvalidOperation.BwpInstanceStatus',
      `Bandwidth package ${bwp.id} is associated with CEN ${cenId}; unassociate it first.`,
    );
  }
  if (attr(bwp, 'chargeType') === 'PREPAY') {
    throw forbidden(
      'Forbidden.Release',
      `Bandwidth package ${bwp.id} is prepaid (subscription) and cannot be released by API; it expires at ${attr(bwp, 'expiresAt')} (auto-renew ${attr(bwp, 'autoRenew') ? 'on' : 'off'}). Release it in the console or let it expire.`,
    );
  }
  ctx.store.remove(BANDWIDTH_PACKAGE, bwp.id);
  return {};
};

const setCenInterRegionBandwidthLimit: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const cen = requireCen(ctx, p.required('CenId'));
  const local = p.required('LocalRegionId');
  const opposite = p.required('OppositeRegionId');
  const limit = p.requiredInteger('BandwidthLimit', { min: 0 });
  for (const [name, region] of [
    ['LocalRegionId', local],
    ['OppositeRegionId', opposite],
  ] as const) {
    if (!ctx.regions.includes(region))
      throw badRequest('ParameterIllegal.RegionId', `${name} "${region}" is not a known region.`);
  }
  if (local === opposite) throw invalidParameter('OppositeRegionId', 'must differ from LocalRegionId.');
  requireCenActive(cen);
  requireCenIdle(ctx, cen);
  const id = limitId(cen.id, local, opposite);
  const existing = ctx.store.get(BANDWIDTH_LIMIT, id);
  if (limit === 0) {
    // 0 removes the limit; removing one that is not set changes nothing.
    if (existing) {
      ctx.store.update(BANDWIDTH_LIMIT, id, { status: 'Modifying', attrs: { bandwidthLimit: 0 } });
      ctx.store.schedule(BANDWIDTH_LIMIT, id, [{ status: null, after: 'cen.bandwidth' }]);
    }
    return {};
  }
  const regions = attachedRegions(ctx, cen.id);
  if (!regions.has(local) || !regions.has(opposite)) {
    throw badRequest(
      'InvalidOperation.NoChildInstanceEitherRegion',
      `CEN ${cen.id} needs an attached network instance in both ${local} and ${opposite}.`,
    );
  }
  const bwp = packageFor(ctx, cen.id, local, opposite);
  if (!bwp) {
    throw badRequest(
      'InvalidOperation.BwpNotAssociated',
      `CEN ${cen.id} has no bandwidth package for ${geographyOf(local)} <-> ${geographyOf(opposite)}; create and associate one first.`,
    );
  }
  const othersUse = limitsOf(ctx, cen.id)
    .filter((l) => l.id !== id && attr(l, 'bandwidthPackageId') === bwp.id)
    .reduce((sum, l) => sum + attr<number>(l, 'bandwidthLimit'), 0);
  const capacity = attr<number>(bwp, 'bandwidth');
  if (othersUse + limit > capacity) {
    throw badRequest(
      'ParameterIllegal.BandwidthLimit',
      `BandwidthLimit ${limit} Mbps plus ${othersUse} Mbps already set exceeds package ${bwp.id}'s ${capacity} Mbps.`,
    );
  }
  const attrs = {
    cenId: cen.id,
    localRegionId: local,
    oppositeRegionId: opposite,
    bandwidthLimit: limit,
    bandwidthPackageId: bwp.id,
  };
  if (existing) ctx.store.update(BANDWIDTH_LIMIT, id, { status: 'Modifying', attrs });
  else
    ctx.store.insert({ product: 'cbn', type: BANDWIDTH_LIMIT, id, region: GLOBAL_REGION, status: 'Modifying', attrs });
  ctx.store.schedule(BANDWIDTH_LIMIT, id, [{ status: 'Active', after: 'cen.bandwidth' }]);
  return {};
};

const describeCenInterRegionBandwidthLimits: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const cenId = p.optional('CenId');
  const local = p.optional('LocalRegionId');
  const opposite = p.optional('OppositeRegionId');
  const page = p.page(50);
  if (cenId !== undefined) requireCen(ctx, cenId);
  const list = ctx.store
    .list(
      BANDWIDTH_LIMIT,
      (l) =>
        (cenId === undefined || attr(l, 'cenId') === cenId) &&
        (local === undefined || attr(l, 'localRegionId') === local) &&
        (opposite === undefined || attr(l, 'oppositeRegionId') === opposite),
    )
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const { items, ...paging } = paginate(list, page);
  return {
    ...paging,
    CenInterRegionBandwidthLimits: {
      CenInterRegionBandwidthLimit: items.map((l) => ({
        CenId: attr(l, 'cenId'),
        LocalRegionId: attr(l, 'localRegionId'),
        OppositeRegionId: attr(l, 'oppositeRegionId'),
        BandwidthLimit: attr(l, 'bandwidthLimit'),
        BandwidthPackageId: attr(l, 'bandwidthPackageId'),
        Status: l.status,
      })),
    },
  };
};

export const bandwidthActions: Record<string, RpcHandler> = {
  CreateCenBandwidthPackage: createCenBandwidthPackage,
  AssociateCenBandwidthPackage: associateCenBandwidthPackage,
  UnassociateCenBandwidthPackage: unassociateCenBandwidthPackage,
  DescribeCenBandwidthPackages: describeCenBandwidthPackages,
  DeleteCenBandwidthPackage: deleteCenBandwidthPackage,
  SetCenInterRegionBandwidthLimit: setCenInterRegionBandwidthLimit,
  DescribeCenInterRegionBandwidthLimits: describeCenInterRegionBandwidthLimits,
};

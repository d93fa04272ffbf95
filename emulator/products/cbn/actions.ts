import { createHash } from 'node:crypto';
import type { EmulatorContext, ResourceRecord, RpcHandler } from '../../core/contract';
import { attr, requireKnownRegion, secondsTime } from '../vpc/common';
import { badRequest, forbidden, invalidParameter, missingParameter } from '../vpc/errors';
import { findInRegion, VPC } from '../vpc/model';
import { RpcParams, type Tag, hasTags, paginate } from '../vpc/params';
import {
  BANDWIDTH_LIMIT,
  BANDWIDTH_PACKAGE,
  CEN,
  CEN_ATTACHMENT,
  GEOGRAPHIC_REGIONS,
  GLOBAL_REGION,
  ROUTE_SERVICE,
  attachedRegions,
  attachmentsOf,
  geographyOf,
  limitId,
  limitsOf,
  packageFor,
  packagesOf,
  requireBandwidthPackage,
  requireCen,
  requireCenActive,
  requireCenIdle,
  routeServicesOf,
} from './model';
import { createRouteServices, routeServiceId, routeServiceView } from './route-services';

/** `Filter.N.Key` with `Filter.N.Value.M` values, as DescribeCens/DescribeCenBandwidthPackages take them. */
function filters(p: RpcParams, allowed: readonly string[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  p.indexedRecords('Filter').forEach((f, i) => {
    const key = f.Key;
    if (!key) throw missingParameter(`Filter.${i + 1}.Key`);
    if (!allowed.includes(key))
      throw invalidParameter(`Filter.${i + 1}.Key`, `"${key}" is not one of ${allowed.join(', ')}.`);
    const values = Object.entries(f)
      .filter(([k]) => /^Value\.\d+$/.test(k))
      .sort(([a], [b]) => Number(a.slice(6)) - Number(b.slice(6)))
      .map(([, v]) => v);
    result.set(key, [...(result.get(key) ?? []), ...values]);
  });
  return result;
}

function matches(filter: Map<string, string[]>, key: string, value: string | undefined): boolean {
  const wanted = filter.get(key);
  return !wanted || (value !== undefined && wanted.includes(value));
}

// ---- CEN instances ----

const createCen: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const name = p.name('Name', 'InvalidParameter');
  const description = p.description('InvalidParameter');
  const protectionLevel = p.oneOf('ProtectionLevel', ['REDUCED', 'FULL'] as const, 'REDUCED');
  const tags = p.tags();
  p.checkDryRun();
  return ctx.idempotent({ product: 'cbn', action: 'CreateCen', token: p.optional('ClientToken') }, () => {
    const cen = ctx.store.insert({
      product: 'cbn',
      type: CEN,
      id: ctx.newId('cen-'),
      region: GLOBAL_REGION,
      name,
      status: 'Creating',
      attrs: { description: description ?? '', protectionLevel, tags },
    });
    ctx.store.schedule(CEN, cen.id, [{ status: 'Active', after: 'cen.create' }]);
    return { CenId: cen.id };
  });
};

function cenView(ctx: EmulatorContext, cen: ResourceRecord): Record<string, unknown> {
  return {
    CenId: cen.id,
    Name: cen.name ?? '',
    Description: attr(cen, 'description'),
    Status: cen.status,
    CreationTime: secondsTime(cen.createdAt),
    ProtectionLevel: attr(cen, 'protectionLevel'),
    Ipv6Level: 'DISABLED',
    ResourceGroupId: '',
    CenBandwidthPackageIds: { CenBandwidthPackageId: packagesOf(ctx, cen.id).map((b) => b.id) },
    Tags: { Tag: ((cen.attrs.tags as Tag[] | undefined) ?? []).map((t) => ({ Key: t.key, Value: t.value })) },
  };
}

const describeCens: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const filter = filters(p, ['CenId', 'Name']);
  const tags = p.tags();
  const page = p.page(50);
  const cens = ctx.store
    .list(CEN, (c) => matches(filter, 'CenId', c.id) && matches(filter, 'Name', c.name) && hasTags(c.attrs.tags, tags))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const { items, ...paging } = paginate(cens, page);
  return { ...paging, Cens: { Cen: items.map((c) => cenView(ctx, c)) } };
};

const deleteCen: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const cen = requireCen(ctx, p.required('CenId'));
  requireCenActive(cen);
  const children = attachmentsOf(ctx, cen.id);
  if (children.length > 0) {
    throw badRequest(
      'DependencyViolation.ChildInstance',
      `CEN ${cen.id} still has network instances attached (${children.map((c) => attr<string>(c, 'childInstanceId')).join(', ')}); detach them first.`,
    );
  }
  const packages = packagesOf(ctx, cen.id);
  if (packages.length > 0) {
    throw badRequest(
      'DependencyViolation.BandwidthPackage',
      `CEN ${cen.id} still has bandwidth packages associated (${packages.map((b) => b.id).join(', ')}); unassociate them first.`,
    );
  }
  ctx.store.update(CEN, cen.id, { status: 'Deleting' });
  ctx.store.schedule(CEN, cen.id, [{ status: null, after: 'cen.delete' }]);
  return {};
};

// ---- child instances ----

function childParams(p: RpcParams): { cenId: string; childId: string; childRegion: string } {
  const cenId = p.required('CenId');
  const childId = p.required('ChildInstanceId');
  const type = p.required('ChildInstanceType');
  const childRegion = p.required('ChildInstanceRegionId');
  if (!['VPC', 'VBR', 'CCN'].includes(type)) {
    throw badRequest('ParameterIllegal.ChildInstanceType', `ChildInstanceType "${type}" must be VPC, VBR or CCN.`);
  }
  if (type !== 'VPC') {
    throw invalidParameter('ChildInstanceType', `the emulator models VPC child instances only, not ${type}.`);
  }
  return { cenId, childId, childRegion };
}

const attachCenChildInstance: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const { cenId, childId, childRegion } = childParams(p);
  const owner = p.optional('ChildInstanceOwnerId');
  if (owner !== undefined && owner !== ctx.accountId) {
    throw badRequest(
      'ParameterIllegal.ChildInstanceUid',
      `ChildInstanceOwnerId ${owner} is not this account; cross-account attachment is not modeled.`,
    );
  }
  const cen = requireCen(ctx, cenId);
  requireCenActive(cen);
  if (!ctx.regions.includes(childRegion)) {
    throw badRequest(
      'ParameterIllegal.ChildInstanceRegionId',
      `ChildInstanceRegionId "${childRegion}" is not a known region.`,
    );
  }
  const vpc = findInRegion(ctx, VPC, childRegion, childId);
  if (!vpc) throw badRequest('ParameterInstanceId', `The VPC "${childId}" does not exist in region ${childRegion}.`);
  const existing = ctx.store.list(CEN_ATTACHMENT, (a) => attr(a, 'childInstanceId') === childId)[0];
  if (existing) {
    throw badRequest(
      'InvalidOperation.ChildInstanceAttached',
      `VPC ${childId} is already attached to CEN ${attr<string>(existing, 'cenId')} (${existing.status}); a VPC joins one CEN at a time.`,
    );
  }
  if (vpc.status !== 'Available') {
    throw badRequest(
      'InvalidOperation.ChildInstanceStatus',
      `VPC ${childId} is ${vpc.status}; wait until it is Available.`,
    );
  }
  requireCenIdle(ctx, cen);
  const id = `${cen.id}/${childId}`;
  ctx.store.insert({
    product: 'cbn',
    type: CEN_ATTACHMENT,
    id,
    region: childRegion,
    status: 'Attaching',
    attrs: { cenId: cen.id, childInstanceId: childId, childInstanceType: 'VPC', childInstanceRegionId: childRegion },
  });
  ctx.store.schedule(CEN_ATTACHMENT, id, [{ status: 'Attached', after: 'cen.attach' }]);
  return {};
};

const detachCenChildInstance: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const { cenId, childId, childRegion } = childParams(p);
  const cen = requireCen(ctx, cenId);
  const attachment = ctx.store.get(CEN_ATTACHMENT, `${cen.id}/${childId}`);
  if (!attachment || attr(attachment, 'childInstanceRegionId') !== childRegion) {
    throw badRequest('ParameterInstanceId', `VPC ${childId} (${childRegion}) is not attached to CEN ${cen.id}.`);
  }
  if (attachment.status !== 'Attached') {
    throw badRequest(
      'InvalidOperation.ChildInstanceStatus',
      `The attachment of ${childId} to ${cen.id} is ${attachment.status}; wait until it is Attached.`,
    );
  }
  requireCenIdle(ctx, cen);
  const lastInRegion =
    attachmentsOf(ctx, cen.id).filter((a) => attr(a, 'childInstanceRegionId') === childRegion).length === 1;
  const limits = limitsOf(ctx, cen.id).filter(
    (l) => attr(l, 'localRegionId') === childRegion || attr(l, 'oppositeRegionId') === childRegion,
  );
  if (lastInRegion && limits.length > 0) {
    throw badRequest(
      'InvalidOperation.CenBandwidthLimitsNotZero',
      `Inter-region bandwidth is still set for ${childRegion} (${limits.map((l) => l.id).join(', ')}); set it to 0 first.`,
    );
  }
  const routes = routeServicesOf(ctx, cen.id).filter((r) => attr(r, 'hostVpcId') === childId);
  if (routes.length > 0) {
    throw badRequest(
      'DependencyViolation.RouteService',
      `VPC ${childId} hosts route services of CEN ${cen.id} (${routes.map((r) => r.id).join(', ')}); delete them first (DeleteRouteServiceInCen).`,
    );
  }
  ctx.store.update(CEN_ATTACHMENT, attachment.id, { status: 'Detaching' });
  ctx.store.schedule(CEN_ATTACHMENT, attachment.id, [{ status: null, after: 'cen.detach' }]);
  return {};
};

function childView(ctx: EmulatorContext, a: ResourceRecord): Record<string, unknown> {
  return {
    CenId: attr(a, 'cenId'),
    ChildInstanceId: attr(a, 'childInstanceId'),
    ChildInstanceType: 'VPC',
    ChildInstanceRegionId: attr(a, 'childInstanceRegionId'),
    ChildInstanceOwnerId: Number(ctx.accountId),
    ChildInstanceName: ctx.store.get(VPC, attr(a, 'childInstanceId'))?.name ?? '',
    Status: a.status,
    ChildInstanceAttachTime: secondsTime(a.createdAt),
  };
}

const describeCenAttachedChildInstances: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const cen = requireCen(ctx, p.required('CenId'));
  const region = p.optional('ChildInstanceRegionId');
  const type = p.optional('ChildInstanceType');
  const page = p.page(50);
  const list = attachmentsOf(ctx, cen.id).filter(
    (a) =>
      (region === undefined || attr(a, 'childInstanceRegionId') === region) && (type === undefined || type === 'VPC'),
  );
  const { items, ...paging } = paginate(list, page);
  return { ...paging, ChildInstances: { ChildInstance: items.map((a) => childView(ctx, a)) } };
};

const describeCenAttachedChildInstanceAttribute: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const cen = requireCen(ctx, p.required('CenId'));
  const childId = p.required('ChildInstanceId');
  const region = p.required('ChildInstanceRegionId');
  const attachment = ctx.store.get(CEN_ATTACHMENT, `${cen.id}/${childId}`);
  if (!attachment || attr(attachment, 'childInstanceRegionId') !== region) {
    throw badRequest('ParameterInstanceId', `VPC ${childId} (${region}) is not attached to CEN ${cen.id}.`);
  }
  return { ...childView(ctx, attachment), ChildInstanceRouteTables: { ChildInstanceRouteTable: [] } };
};

/**
 * The emulator models Basic Edition only: every region holding an attached network instance has a Basic
 * transit router (what ListTransitRouters' `Type` tells a preflight).
 */
const listTransitRouters: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const cenId = p.optional('CenId');
  const regionFilter = p.optional('RegionId');
  const page = p.page(50, 20);
  const cens = cenId ? [requireCen(ctx, cenId)] : ctx.store.list(CEN);
  const routers = cens.flatMap((cen) =>
    [...new Set(attachmentsOf(ctx, cen.id).map((a) => attr<string>(a, 'childInstanceRegionId')))]
      .filter((r) => regionFilter === undefined || r === regionFilter)
      .map((region) => ({
        TransitRouterId: `tr-${region}-${createHash('sha1').update(`${cen.id}/${region}`).digest('hex').slice(0, 20)}`,
        TransitRouterName: '',
        TransitRouterDescription: '',
        CenId: cen.id,
        RegionId: region,
        Type: 'Basic',
        Status: 'Active',
        AliUid: Number(ctx.accountId),
        CreationTime: secondsTime(cen.createdAt),
        SupportMulticast: false,
        Tags: [],
      })),
  );
  const { items, ...paging } = paginate(routers, page);
  return { ...paging, TransitRouters: items };
};

// ---- bandwidth packages and limits ----

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
  requireCenActive(cen);
  const current = attr<string | undefined>(bwp, 'cenId');
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

// ---- route services ----

const resolveAndRouteServiceInCen: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const input = {
    cenId: p.required('CenId'),
    host: p.required('Host'),
    hostRegionId: p.required('HostRegionId'),
    hostVpcId: p.required('HostVpcId'),
    accessRegionIds: p.indexed('AccessRegionIds'),
    description: p.optional('Description'),
  };
  if (input.accessRegionIds.length === 0) throw missingParameter('AccessRegionIds.1');
  return ctx.idempotent(
    { product: 'cbn', action: 'ResolveAndRouteServiceInCen', token: p.optional('ClientToken') },
    () => {
      createRouteServices(ctx, input, { kind: 'api' });
      return {};
    },
  );
};

const describeRouteServicesInCen: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const cen = requireCen(ctx, p.required('CenId'));
  const hostRegion = p.optional('HostRegionId');
  const host = p.optional('Host');
  const accessRegion = p.optional('AccessRegionId');
  const hostVpc = p.optional('HostVpcId');
  const page = p.page(50);
  const list = routeServicesOf(ctx, cen.id).filter(
    (r) =>
      (hostRegion === undefined || attr(r, 'hostRegionId') === hostRegion) &&
      (host === undefined || attr(r, 'host') === host) &&
      (accessRegion === undefined || attr(r, 'accessRegionId') === accessRegion) &&
      (hostVpc === undefined || attr(r, 'hostVpcId') === hostVpc),
  );
  const { items, ...paging } = paginate(list, page);
  return { ...paging, RouteServiceEntries: { RouteServiceEntry: items.map(routeServiceView) } };
};

const deleteRouteServiceInCen: RpcHandler = (req, ctx) => {
  const p = RpcParams.of(req);
  const cen = requireCen(ctx, p.required('CenId'));
  const host = p.required('Host');
  const hostRegion = p.required('HostRegionId');
  const accessRegion = p.required('AccessRegionId');
  requireKnownRegion(hostRegion, ctx, 'HostRegionId');
  requireKnownRegion(accessRegion, ctx, 'AccessRegionId');
  const id = routeServiceId(cen.id, host, hostRegion, accessRegion);
  const entry = ctx.store.get(ROUTE_SERVICE, id);
  if (!entry) {
    throw badRequest(
      'InvalidOperation.RouteServiceNotExist',
      `CEN ${cen.id} has no route service for ${host} (${hostRegion}) accessed from ${accessRegion}.`,
    );
  }
  if (entry.status !== 'Active') {
    throw badRequest(
      'InvalidOperation.CloudRouteStatusNotAllow',
      `The route service ${id} is ${entry.status}; wait until it is Active.`,
    );
  }
  requireCenIdle(ctx, cen);
  ctx.store.update(ROUTE_SERVICE, id, { status: 'Deleting' });
  ctx.store.schedule(ROUTE_SERVICE, id, [{ status: null, after: 'cen.route' }]);
  return {};
};

export const cbnActions: Record<string, RpcHandler> = {
  CreateCen: createCen,
  DescribeCens: describeCens,
  DeleteCen: deleteCen,
  AttachCenChildInstance: attachCenChildInstance,
  DetachCenChildInstance: detachCenChildInstance,
  DescribeCenAttachedChildInstances: describeCenAttachedChildInstances,
  DescribeCenAttachedChildInstanceAttribute: describeCenAttachedChildInstanceAttribute,
  ListTransitRouters: listTransitRouters,
  CreateCenBandwidthPackage: createCenBandwidthPackage,
  AssociateCenBandwidthPackage: associateCenBandwidthPackage,
  UnassociateCenBandwidthPackage: unassociateCenBandwidthPackage,
  DescribeCenBandwidthPackages: describeCenBandwidthPackages,
  DeleteCenBandwidthPackage: deleteCenBandwidthPackage,
  SetCenInterRegionBandwidthLimit: setCenInterRegionBandwidthLimit,
  DescribeCenInterRegionBandwidthLimits: describeCenInterRegionBandwidthLimits,
  ResolveAndRouteServiceInCen: resolveAndRouteServiceInCen,
  DescribeRouteServicesInCen: describeRouteServicesInCen,
  DeleteRouteServiceInCen: deleteRouteServiceInCen,
};

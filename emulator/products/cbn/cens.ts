/** CBN (CEN) 2017-09-12: CEN instances, their child instances (VPCs) and the Basic Edition transit routers. */
import { createHash } from 'node:crypto';
import type { EmulatorContext, ResourceRecord, RpcHandler } from '../../core/contract';
import { attr, secondsTime } from '../vpc/common';
import { badRequest, invalidParameter } from '../vpc/errors';
import { findInRegion, VPC } from '../vpc/model';
import { RpcParams, type Tag, hasTags, paginate } from '../vpc/params';
import {
  CEN,
  CEN_ATTACHMENT,
  GLOBAL_REGION,
  attachmentsOf,
  limitsOf,
  packagesOf,
  requireCen,
  requireCenActive,
  requireCenIdle,
  routeServicesOf,
} from './model';

import { filters, matches } from './filters';

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

export const cenActions: Record<string, RpcHandler> = {
  CreateCen: createCen,
  DescribeCens: describeCens,
  DeleteCen: deleteCen,
  AttachCenChildInstance: attachCenChildInstance,
  DetachCenChildInstance: detachCenChildInstance,
  DescribeCenAttachedChildInstances: describeCenAttachedChildInstances,
  DescribeCenAttachedChildInstanceAttribute: describeCenAttachedChildInstanceAttribute,
  ListTransitRouters: listTransitRouters,
};

import type { EmulatorContext, ResourceRecord } from '../../core/contract';
import { attr } from '../vpc/common';
import { badRequest } from '../vpc/errors';
import { CEN_ATTACHMENT } from '../vpc/model';

export const CEN = 'Cen';
export const BANDWIDTH_PACKAGE = 'CenBandwidthPackage';
export const BANDWIDTH_LIMIT = 'CenInterRegionBandwidthLimit';
export const ROUTE_SERVICE = 'CenRouteService';
export { CEN_ATTACHMENT };

/** CEN is a global service: its records are not tied to a region. */
export const GLOBAL_REGION = 'global';

export const GEOGRAPHIC_REGIONS = ['China', 'North-America', 'Asia-Pacific', 'Europe', 'Australia'] as const;

/** The bandwidth-package geography a region belongs to (Hong Kong and the Middle East count as Asia-Pacific). */
export function geographyOf(region: string): string {
  if (region === 'cn-hongkong') return 'Asia-Pacific';
  if (region.startsWith('cn-')) return 'China';
  if (region.startsWith('us-')) return 'North-America';
  if (region.startsWith('eu-')) return 'Europe';
  if (region.startsWith('ap-southeast-2')) return 'Australia';
  return 'Asia-Pacific';
}

export function requireCen(ctx: EmulatorContext, cenId: string): ResourceRecord {
  const cen = ctx.store.get(CEN, cenId);
  if (!cen) throw badRequest('ParameterCenInstanceId', `The specified CEN instance "${cenId}" does not exist.`);
  return cen;
}

export function requireCenActive(cen: ResourceRecord): void {
  if (cen.status !== 'Active') {
    throw badRequest(
      'InvalidOperation.CenInstanceStatus',
      `The CEN instance ${cen.id} is ${cen.status}; the operation needs it Active. Poll DescribeCens and retry.`,
    );
  }
}

export function requireBandwidthPackage(ctx: EmulatorContext, id: string): ResourceRecord {
  const bwp = ctx.store.get(BANDWIDTH_PACKAGE, id);
  if (!bwp) throw badRequest('ParameterBwpInstanceId', `The specified bandwidth package "${id}" does not exist.`);
  return bwp;
}

export function attachmentsOf(ctx: EmulatorContext, cenId: string): ResourceRecord[] {
  return ctx.store
    .list(CEN_ATTACHMENT, (a) => attr(a, 'cenId') === cenId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export function attachedRegions(ctx: EmulatorContext, cenId: string): Set<string> {
  return new Set(
    attachmentsOf(ctx, cenId)
      .filter((a) => a.status === 'Attached')
      .map((a) => attr<string>(a, 'childInstanceRegionId')),
  );
}

export function packagesOf(ctx: EmulatorContext, cenId: string): ResourceRecord[] {
  return ctx.store.list(BANDWIDTH_PACKAGE, (b) => attr(b, 'cenId') === cenId);
}

export function limitsOf(ctx: EmulatorContext, cenId: string): ResourceRecord[] {
  return ctx.store.list(BANDWIDTH_LIMIT, (l) => attr(l, 'cenId') === cenId);
}

export function routeServicesOf(ctx: EmulatorContext, cenId: string): ResourceRecord[] {
  return ctx.store
    .list(ROUTE_SERVICE, (r) => attr(r, 'cenId') === cenId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * One CEN change at a time: while a child instance is attaching/detaching or an inter-region bandwidth
 * limit is being modified, other changes to the same CEN get Operation.Blocking (retryable).
 */
export function requireCenIdle(ctx: EmulatorContext, cen: ResourceRecord): void {
  const busy =
    attachmentsOf(ctx, cen.id).find((a) => a.status === 'Attaching' || a.status === 'Detaching') ??
    limitsOf(ctx, cen.id).find((l) => l.status === 'Modifying');
  if (busy) {
    throw badRequest(
      'Operation.Blocking',
      `The CEN instance ${cen.id} is busy with another change (${busy.type} ${busy.id} is ${busy.status}); retry when it completes.`,
    );
  }
}

/** Sorted region pair, as bandwidth limits are keyed (the limit applies in both directions). */
export function limitId(cenId: string, a: string, b: string): string {
  const [x, y] = [a, b].sort();
  return `${cenId}/${x}/${y}`;
}

/** The package associated with the CEN that covers both regions' geographies, if any. */
export function packageFor(ctx: EmulatorContext, cenId: string, a: string, b: string): ResourceRecord | undefined {
  const wanted = [geographyOf(a), geographyOf(b)].sort().join('|');
  return packagesOf(ctx, cenId).find(
    (p) => [attr<string>(p, 'geographicRegionAId'), attr<string>(p, 'geographicRegionBId')].sort().join('|') === wanted,
  );
}

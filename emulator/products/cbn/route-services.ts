import type { EmulatorContext, ResourceRecord } from '../../core/contract';
import { parseCidr, parseIpv4 } from '../vpc/cidr';
import { attr, requireKnownRegion } from '../vpc/common';
import { badRequest, invalidParameter } from '../vpc/errors';
import { CEN_ATTACHMENT } from '../vpc/model';
import { ROUTE_SERVICE, attachedRegions, requireCen, requireCenActive, requireCenIdle } from './model';

export interface RouteServiceRequest {
  cenId: string;
  host: string;
  hostRegionId: string;
  hostVpcId: string;
  accessRegionIds: string[];
  description?: string;
}

export function routeServiceId(cenId: string, host: string, hostRegionId: string, accessRegionId: string): string {
  return `${cenId}/${host}/${hostRegionId}/${accessRegionId}`;
}

function validHost(host: string): boolean {
  return (
    parseIpv4(host) !== undefined ||
    parseCidr(host) !== undefined ||
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/i.test(host)
  );
}

/** Who asks for the route: the API caller, or the support team working a ticket. */
export type RouteOrigin = { kind: 'api' } | { kind: 'ticket'; ticketId: string };

/**
 * Validates a ResolveAndRouteServiceInCen request and creates one route service per access region
 * (Creating → Active). Shared by the API action and the support-ticket control route. The API waits its
 * turn behind other CEN changes (Operation.Blocking) and refuses entries that exist; support works the
 * ticket whenever it can and reuses entries that already exist.
 */
export function createRouteServices(
  ctx: EmulatorContext,
  input: RouteServiceRequest,
  origin: RouteOrigin,
): ResourceRecord[] {
  const cen = requireCen(ctx, input.cenId);
  requireCenActive(cen);
  if (origin.kind === 'api') requireCenIdle(ctx, cen);
  if (!validHost(input.host)) {
    throw invalidParameter('Host', `"${input.host}" is not an IPv4 address, CIDR block or domain name.`);
  }
  requireKnownRegion(input.hostRegionId, ctx, 'HostRegionId');
  if (input.accessRegionIds.length === 0) throw badRequest('MissingParameter', 'AccessRegionIds.1 is required.');
  input.accessRegionIds.forEach((r, i) => requireKnownRegion(r, ctx, `AccessRegionIds.${i + 1}`));
  const hostAttachment = ctx.store.get(CEN_ATTACHMENT, `${cen.id}/${input.hostVpcId}`);
  if (
    !hostAttachment ||
    hostAttachment.status !== 'Attached' ||
    attr(hostAttachment, 'childInstanceRegionId') !== input.hostRegionId
  ) {
    throw badRequest(
      'ParameterInstanceId',
      `HostVpcId ${input.hostVpcId} is not attached to CEN ${cen.id} in region ${input.hostRegionId} (AttachCenChildInstance, then wait for Attached).`,
    );
  }
  const regions = attachedRegions(ctx, cen.id);
  const missing = input.accessRegionIds.filter((r) => !regions.has(r));
  if (missing.length > 0) {
    throw badRequest(
      'InvalidOperation.NoChildInstanceEitherRegion',
      `CEN ${cen.id} has no attached network instance in access region(s) ${missing.join(', ')}.`,
    );
  }
  const result: ResourceRecord[] = [];
  for (const accessRegionId of [...new Set(input.accessRegionIds)]) {
    const id = routeServiceId(cen.id, input.host, input.hostRegionId, accessRegionId);
    const existing = ctx.store.get(ROUTE_SERVICE, id);
    if (existing && existing.status !== 'Deleting') {
      if (origin.kind === 'ticket') {
        result.push(existing);
        continue;
      }
      throw badRequest(
        'InvalidOperation.RouteServiceExists',
        `A route service for ${input.host} (${input.hostRegionId}) accessed from ${accessRegionId} already exists in CEN ${cen.id} (${existing.status}).`,
      );
    }
    if (existing) ctx.store.remove(ROUTE_SERVICE, id);
    const record = ctx.store.insert({
      product: 'cbn',
      type: ROUTE_SERVICE,
      id,
      region: input.hostRegionId,
      status: 'Creating',
      attrs: {
        cenId: cen.id,
        host: input.host,
        hostRegionId: input.hostRegionId,
        hostVpcId: input.hostVpcId,
        accessRegionId,
        description: input.description ?? '',
        createdBy: origin.kind === 'api' ? 'api' : `ticket ${origin.ticketId}`,
      },
    });
    ctx.store.schedule(ROUTE_SERVICE, id, [{ status: 'Active', after: 'cen.route' }]);
    result.push(record);
  }
  return result;
}

export function routeServiceView(r: ResourceRecord): Record<string, unknown> {
  const host = attr<string>(r, 'host');
  const isAddress = parseIpv4(host) !== undefined || parseCidr(host) !== undefined;
  return {
    CenId: attr(r, 'cenId'),
    Host: host,
    HostRegionId: attr(r, 'hostRegionId'),
    HostVpcId: attr(r, 'hostVpcId'),
    AccessRegionId: attr(r, 'accessRegionId'),
    Status: r.status,
    Description: attr(r, 'description'),
    Cidrs: { Cidr: isAddress ? [host.includes('/') ? host : `${host}/32`] : [] },
  };
}

/** CBN (CEN) 2017-09-12: Route services: ResolveAndRouteServiceInCen, DescribeRouteServicesInCen, DeleteRouteServiceInCen. */
import type { RpcHandler } from '../../core/contract';
import { attr, requireKnownRegion } from '../vpc/common';
import { badRequest, missingParameter } from '../vpc/errors';
import { RpcParams, paginate } from '../vpc/params';
import { ROUTE_SERVICE, requireCen, requireCenIdle, routeServicesOf } from './model';
import { createRouteServices, routeServiceId, routeServiceView } from './route-services';

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

export const routeActions: Record<string, RpcHandler> = {
  ResolveAndRouteServiceInCen: resolveAndRouteServiceInCen,
  DescribeRouteServicesInCen: describeRouteServicesInCen,
  DeleteRouteServiceInCen: deleteRouteServiceInCen,
};

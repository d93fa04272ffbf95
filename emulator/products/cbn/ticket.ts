import type { ControlRoute } from '../../core/contract';
import { badRequest } from '../vpc/errors';
import { type RouteServiceRequest, createRouteServices, routeServiceView } from './route-services';

function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') {
    throw badRequest('MissingParameter', `The ticket body needs a non-empty string "${name}".`);
  }
  return value;
}

function parseTicket(body: unknown): RouteServiceRequest & { ticketId?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest(
      'InvalidParameter',
      'The ticket body must be a JSON object: {CenId, Host, HostRegionId, HostVpcId, AccessRegionIds: [...]}.',
    );
  }
  const b = body as Record<string, unknown>;
  const regions = b.AccessRegionIds;
  if (!Array.isArray(regions) || regions.length === 0 || !regions.every((r) => typeof r === 'string' && r !== '')) {
    throw badRequest('MissingParameter', 'The ticket body needs "AccessRegionIds": a non-empty array of region ids.');
  }
  const optional = (name: string): string | undefined => {
    const v = b[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw badRequest('InvalidParameter', `"${name}" must be a string.`);
    return v;
  };
  return {
    cenId: field(b, 'CenId'),
    host: field(b, 'Host'),
    hostRegionId: field(b, 'HostRegionId'),
    hostVpcId: field(b, 'HostVpcId'),
    accessRegionIds: regions as string[],
    description: optional('Description'),
    ticketId: optional('ticketId'),
  };
}

/**
 * `POST /_emulator/tickets/cen-route` plays the CEN support team the runbook files a ticket with: it
 * validates the ResolveAndRouteServiceInCen parameters and creates the route service(s). A ticket
 * filed again (same ticketId) returns the first answer; entries that already exist are reused.
 */
export const cenRouteTicket: ControlRoute = {
  method: 'POST',
  path: 'tickets/cen-route',
  handler: async (body, ctx) => {
    const ticket = parseTicket(body);
    const ticketId = ticket.ticketId ?? ctx.newId('ticket-');
    const answer = await ctx.idempotent({ product: 'cbn', action: 'tickets/cen-route', token: ticketId }, () => ({
      ticketId,
      routeServices: createRouteServices(ctx, ticket, { kind: 'ticket', ticketId }).map(routeServiceView),
    }));
    return { status: 200, body: answer };
  },
};

import type { EmulatorContext, ResourceRecord, RpcHandler, RpcRequest } from '../../core/contract';
import { badRequest } from './errors';

/** `2026-11-26T12:00:00Z`: VPC and CBN CreationTime. */
export function secondsTime(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/** `2026-11-26T12:00Z`: ECS CreationTime/StartTime. */
export function minutesTime(iso: string): string {
  return `${iso.slice(0, 16)}Z`;
}

export function requireKnownRegion(region: string, ctx: EmulatorContext, paramName = 'RegionId'): void {
  if (!ctx.regions.includes(region)) {
    throw badRequest(
      'InvalidRegionId',
      `The specified ${paramName} "${region}" does not exist; known regions: ${ctx.regions.join(', ')}.`,
    );
  }
}

/** Wraps regional actions so an unknown RegionId fails before any handler logic runs. */
export function regional(actions: Record<string, RpcHandler>): Record<string, RpcHandler> {
  return Object.fromEntries(
    Object.entries(actions).map(([name, handler]) => [
      name,
      (req: RpcRequest, ctx: EmulatorContext) => {
        requireKnownRegion(req.region, ctx);
        return handler(req, ctx);
      },
    ]),
  );
}

/** Records of `type` in `region`, oldest first (Describe* lists in creation order). */
export function listInRegion(
  ctx: EmulatorContext,
  type: string,
  region: string,
  filter: (r: ResourceRecord) => boolean = () => true,
): ResourceRecord[] {
  return ctx.store
    .list(type, (r) => r.region === region && filter(r))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export function attr<T>(record: ResourceRecord, name: string): T {
  return record.attrs[name] as T;
}

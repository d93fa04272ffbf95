import type { ProductDefinition } from '../../core/contract';
import { bandwidthActions } from './bandwidth';
import { cenActions } from './cens';
import { routeActions } from './routes';
import { cenRouteTicket } from './ticket';

/**
 * CBN (CEN) 2017-09-12 (RPC), Basic Edition semantics. CEN is global, so the request's region is not
 * checked; regions named in parameters are. Operations, codes and limits: ../README-network.md.
 */
export const cbnProduct: ProductDefinition = {
  name: 'cbn',
  style: 'rpc',
  version: '2017-09-12',
  actions: { ...cenActions, ...bandwidthActions, ...routeActions },
  control: [cenRouteTicket],
};

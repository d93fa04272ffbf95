import type { ProductDefinition } from '../../core/contract';
import { cbnActions } from './actions';
import { cenRouteTicket } from './ticket';

/**
 * CBN (CEN) 2017-09-12 (RPC), Basic Edition semantics. CEN is global, so the request's region is not
 * checked; regions named in parameters are. Operations, codes and limits: ../README-network.md.
 */
export const cbnProduct: ProductDefinition = {
  name: 'cbn',
  style: 'rpc',
  version: '2017-09-12',
  actions: cbnActions,
  control: [cenRouteTicket],
};

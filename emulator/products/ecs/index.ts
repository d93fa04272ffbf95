import type { ProductDefinition } from '../../core/contract';
import { regional } from '../vpc/common';
import { instanceActions } from './instances';
import { lookupActions } from './lookups';
import { securityGroupActions } from './security-groups';

/** ECS 2014-05-26 (RPC): security groups and instances. Operations, codes and limits: ../README-network.md. */
export const ecsProduct: ProductDefinition = {
  name: 'ecs',
  style: 'rpc',
  version: '2014-05-26',
  actions: regional({ ...securityGroupActions, ...instanceActions, ...lookupActions }),
};

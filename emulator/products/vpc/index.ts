import type { ProductDefinition } from '../../core/contract';
import { regional } from './common';
import { vpcActions } from './vpcs';
import { vSwitchActions } from './vswitches';

/** VPC 2016-04-28 (RPC): VPCs and vSwitches. Operations, codes and limits: ../README-network.md. */
export const vpcProduct: ProductDefinition = {
  name: 'vpc',
  style: 'rpc',
  version: '2016-04-28',
  actions: regional({ ...vpcActions, ...vSwitchActions }),
};

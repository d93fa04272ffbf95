import type { Activities } from './contract';
import { items } from './cloud/lists';
import type { VpcClient } from './cloud/vpc';
import { findOrCreate, runTag, unlessNotFound, waitForStatus, deleteUntilGone, type ActivityOptions } from './common';
import { runStep } from './failures';
import { clientToken } from './idempotency';

type NetworkActivities = Pick<
  Activities,
  'createVpc' | 'waitVpcAvailable' | 'createVSwitch' | 'waitVSwitchAvailable' | 'deleteVSwitch' | 'deleteVpc'
>;

/** Runbook step 1: the VPCs and their vSwitches. */
export function networkActivities(vpc: VpcClient, options: ActivityOptions): NetworkActivities {
  return {
    createVpc: (input) =>
      runStep('createVpc', async () => {
        const find = async () => {
          const found = await vpc.describeVpcs({
            RegionId: input.region,
            VpcName: input.name,
            Tag: runTag(input.idempotencyKey),
          });
          const match = items(found.Vpcs).find((v) => v.VpcName === input.name);
          return match ? { region: input.region, vpcId: match.VpcId } : undefined;
        };
        return findOrCreate(find, async () => {
          const created = await vpc.createVpc({
            RegionId: input.region,
            VpcName: input.name,
            CidrBlock: input.cidrBlock,
            Description: 'fc-apigw-vpc',
            Tag: runTag(input.idempotencyKey),
            ClientToken: clientToken(input.idempotencyKey, 'CreateVpc'),
          });
          return { region: input.region, vpcId: created.VpcId };
        });
      }),

    waitVpcAvailable: (ref) =>
      runStep('waitVpcAvailable', async () => {
        await waitForStatus({
          step: 'waitVpcAvailable',
          what: `VPC ${ref.vpcId} to become Available`,
          read: () => unlessNotFound(() => vpc.describeVpcAttribute({ RegionId: ref.region, VpcId: ref.vpcId })),
          status: (v) => v.Status,
          ready: ['Available'],
          timeoutMs: options.timeouts.network,
          options,
        });
        return ref;
      }),

    createVSwitch: (input) =>
      runStep('createVSwitch', async () => {
        const find = async () => {
          const found = await vpc.describeVSwitches({
            RegionId: input.region,
            VpcId: input.vpcId,
            VSwitchName: input.name,
            Tag: runTag(input.idempotencyKey),
          });
          const match = items(found.VSwitches).find((v) => v.VSwitchName === input.name);
          return match ? { region: input.region, vSwitchId: match.VSwitchId } : undefined;
        };
        return findOrCreate(find, async () => {
          const created = await vpc.createVSwitch({
            RegionId: input.region,
            VpcId: input.vpcId,
            ZoneId: input.zoneId,
            CidrBlock: input.cidrBlock,
            VSwitchName: input.name,
            Description: 'fc-apigw-vpc',
            Tag: runTag(input.idempotencyKey),
            ClientToken: clientToken(input.idempotencyKey, 'CreateVSwitch'),
          });
          return { region: input.region, vSwitchId: created.VSwitchId };
        });
      }),

    waitVSwitchAvailable: (ref) =>
      runStep('waitVSwitchAvailable', async () => {
        await waitForStatus({
          step: 'waitVSwitchAvailable',
          what: `vSwitch ${ref.vSwitchId} to become Available`,
          read: () =>
            unlessNotFound(() => vpc.describeVSwitchAttributes({ RegionId: ref.region, VSwitchId: ref.vSwitchId })),
          status: (v) => v.Status,
          ready: ['Available'],
          timeoutMs: options.timeouts.network,
          options,
        });
        return ref;
      }),

    deleteVSwitch: (item) =>
      runStep('deleteVSwitch', () =>
        deleteUntilGone({
          step: 'deleteVSwitch',
          what: `vSwitch ${item.id}`,
          call: () => vpc.deleteVSwitch({ RegionId: item.region, VSwitchId: item.id }),
          state: async () =>
            (await unlessNotFound(() => vpc.describeVSwitchAttributes({ RegionId: item.region, VSwitchId: item.id })))
              ?.Status,
          options,
        }),
      ),

    deleteVpc: (item) =>
      runStep('deleteVpc', () =>
        deleteUntilGone({
          step: 'deleteVpc',
          what: `VPC ${item.id}`,
          call: () => vpc.deleteVpc({ RegionId: item.region, VpcId: item.id }),
          state: async () =>
            (await unlessNotFound(() => vpc.describeVpcAttribute({ RegionId: item.region, VpcId: item.id })))?.Status,
          options,
        }),
      ),
  };
}

import { backendUserDataBase64 } from './assets';
import type { Activities } from './contract';
import type { EcsClient, EcsInstance } from './cloud/ecs';
import { items } from './cloud/lists';
import { deleteUntilGone, findOrCreate, runTag, waitForStatus, type ActivityOptions } from './common';
import { runStep, stepRefused } from './failures';
import { clientToken } from './idempotency';

type BackendActivities = Pick<
  Activities,
  | 'createSecurityGroup'
  | 'authorizeSecurityGroupIngress'
  | 'runBackendInstance'
  | 'waitBackendInstanceRunning'
  | 'deleteBackendInstance'
  | 'deleteSecurityGroup'
>;

async function describeInstance(ecs: EcsClient, region: string, instanceId: string): Promise<EcsInstance | undefined> {
  const found = await ecs.describeInstances({ RegionId: region, InstanceIds: [instanceId] });
  return items(found.Instances).find((i) => i.InstanceId === instanceId);
}

/** Runbook step 1: the ECS backend in vpc-backend-1 and the security groups. */
export function backendActivities(ecs: EcsClient, options: ActivityOptions): BackendActivities {
  return {
    createSecurityGroup: (input) =>
      runStep('createSecurityGroup', async () => {
        const find = async () => {
          const found = await ecs.describeSecurityGroups({
            RegionId: input.region,
            VpcId: input.vpcId,
            SecurityGroupName: input.name,
            Tag: runTag(input.idempotencyKey),
          });
          const match = items(found.SecurityGroups).find((g) => g.SecurityGroupName === input.name);
          return match ? { region: input.region, securityGroupId: match.SecurityGroupId } : undefined;
        };
        return findOrCreate(find, async () => {
          const created = await ecs.createSecurityGroup({
            RegionId: input.region,
            VpcId: input.vpcId,
            SecurityGroupName: input.name,
            Description: input.description,
            SecurityGroupType: 'normal',
            Tag: runTag(input.idempotencyKey),
            ClientToken: clientToken(input.idempotencyKey, 'CreateSecurityGroup'),
          });
          return { region: input.region, securityGroupId: created.SecurityGroupId };
        });
      }),

    authorizeSecurityGroupIngress: (input) =>
      runStep('authorizeSecurityGroupIngress', async () => {
        const portRange = `${input.port}/${input.port}`;
        const current = await ecs.describeSecurityGroupAttribute({
          RegionId: input.region,
          SecurityGroupId: input.securityGroupId,
          Direction: 'ingress',
        });
        const present = items(current.Permissions).some(
          (p) =>
            p.IpProtocol.toLowerCase() === input.protocol &&
            p.PortRange === portRange &&
            p.SourceCidrIp === input.sourceCidr &&
            (p.Policy ?? 'accept').toLowerCase() === 'accept',
        );
        if (present) return;
        await ecs.authorizeSecurityGroup({
          RegionId: input.region,
          SecurityGroupId: input.securityGroupId,
          Permissions: [
            {
              IpProtocol: input.protocol,
              PortRange: portRange,
              SourceCidrIp: input.sourceCidr,
              Policy: 'accept',
              NicType: 'intranet',
              Description: input.description,
            },
          ],
          ClientToken: clientToken(input.idempotencyKey, 'AuthorizeSecurityGroup'),
        });
      }),

    runBackendInstance: (input) =>
      runStep('runBackendInstance', async () => {
        const find = async () => {
          const found = await ecs.describeInstances({
            RegionId: input.region,
            InstanceName: input.name,
            VSwitchId: input.vSwitchId,
            Tag: runTag(input.idempotencyKey),
          });
          const match = items(found.Instances).find((i) => i.InstanceName === input.name);
          return match ? { region: input.region, instanceId: match.InstanceId } : undefined;
        };
        return findOrCreate(find, async () => {
          const created = await ecs.runInstances({
            RegionId: input.region,
            ZoneId: input.zoneId,
            ImageId: input.imageId,
            InstanceType: input.instanceType,
            VSwitchId: input.vSwitchId,
            SecurityGroupId: input.securityGroupId,
            InstanceName: input.name,
            Description: `fc-apigw-vpc backend: HTTP :${input.port}${input.path}`,
            UserData: backendUserDataBase64({ port: input.port, path: input.path }),
            Amount: 1,
            InstanceChargeType: 'PostPaid',
            InternetMaxBandwidthOut: 0,
            Tag: runTag(input.idempotencyKey),
            ClientToken: clientToken(input.idempotencyKey, 'RunInstances'),
          });
          const [instanceId] = items(created.InstanceIdSets);
          if (!instanceId) {
            throw stepRefused(
              'runBackendInstance',
              'UnexpectedResponse',
              'RunInstances answered without an instance id',
            );
          }
          return { region: input.region, instanceId };
        });
      }),

    waitBackendInstanceRunning: (ref) =>
      runStep('waitBackendInstanceRunning', async () => {
        const instance = await waitForStatus({
          step: 'waitBackendInstanceRunning',
          what: `ECS instance ${ref.instanceId} to be Running`,
          read: () => describeInstance(ecs, ref.region, ref.instanceId),
          status: (i) => i.Status,
          ready: ['Running'],
          failed: ['Stopped'],
          timeoutMs: options.timeouts.ecs,
          options,
        });
        const [privateIpAddress] = items(instance.VpcAttributes?.PrivateIpAddress);
        if (!privateIpAddress) {
          throw stepRefused(
            'waitBackendInstanceRunning',
            'UnexpectedResponse',
            `ECS instance ${ref.instanceId} has no private IP`,
          );
        }
        return { ...ref, privateIpAddress };
      }),

    deleteBackendInstance: (item) =>
      runStep('deleteBackendInstance', () =>
        // The security group and vSwitch stay blocked until the instance is really gone.
        deleteUntilGone({
          step: 'deleteBackendInstance',
          what: `ECS instance ${item.id}`,
          call: () => ecs.deleteInstance({ RegionId: item.region, InstanceId: item.id, Force: true }),
          state: async () => (await describeInstance(ecs, item.region, item.id))?.Status,
          options,
        }),
      ),

    deleteSecurityGroup: (item) =>
      runStep('deleteSecurityGroup', () =>
        deleteUntilGone({
          step: 'deleteSecurityGroup',
          what: `security group ${item.id}`,
          call: () => ecs.deleteSecurityGroup({ RegionId: item.region, SecurityGroupId: item.id }),
          state: async () => {
            const found = await ecs.describeSecurityGroups({ RegionId: item.region, SecurityGroupIds: [item.id] });
            return items(found.SecurityGroups).some((g) => g.SecurityGroupId === item.id) ? 'present' : undefined;
          },
          options,
        }),
      ),
  };
}

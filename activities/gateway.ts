import type { CloudClients } from './cloud';
import type { GatewayInstance } from './cloud/cloudapi';
import { items } from './cloud/lists';
import type { Activities, DeleteOutcome } from './contract';
import {
  deleteCall,
  deleteUntilGone,
  deleteWaitingOutDependents,
  findOrCreate,
  runTag,
  unlessNotFound,
  waitForStatus,
  type ActivityOptions,
} from './common';
import { runStep, stepRefused } from './failures';
import { clientToken } from './idempotency';
import { ActivityProgress, waitUntil, type HeartbeatState } from './progress';

type GatewayActivities = Pick<
  Activities,
  | 'createDedicatedInstance'
  | 'waitDedicatedInstanceRunning'
  | 'createVpcAccess'
  | 'createApiGroup'
  | 'createApi'
  | 'deployApi'
  | 'bindInstanceToVpc'
  | 'enableVpcSubdomain'
  | 'deleteApi'
  | 'deleteApiGroup'
  | 'removeVpcAccess'
  | 'unbindInstanceFromVpc'
  | 'deleteDedicatedInstance'
>;

type GatewayClients = Pick<CloudClients, 'cloudapi' | 'accountId'>;

/** Runbook steps 2-4 (Scenario 1) / 5-7 (Scenario 2): the dedicated instance, the API and its VPC domain. */
export function gatewayActivities(clients: GatewayClients, options: ActivityOptions): GatewayActivities {
  const { cloudapi } = clients;

  const describeInstance = async (region: string, instanceId: string): Promise<GatewayInstance | undefined> => {
    const found = await unlessNotFound(() => cloudapi.describeInstances({ RegionId: region, InstanceId: instanceId }));
    return items(found?.Instances).find((i) => i.InstanceId === instanceId);
  };

  /** Waits until the instance is RUNNING and `bound` holds (bindings put it through a non-RUNNING state). */
  const waitInstance = (
    step: string,
    region: string,
    instanceId: string,
    what: string,
    bound: (i: GatewayInstance) => boolean,
  ) =>
    waitForStatus({
      step,
      what: `dedicated instance ${instanceId} ${what}`,
      read: () => describeInstance(region, instanceId),
      status: (i) => (i.Status === 'RUNNING' && !bound(i) ? 'RUNNING (change not visible yet)' : i.Status),
      ready: ['RUNNING'],
      failed: ['CREATE_FAILED', 'DELETE_FAILED'],
      timeoutMs: options.timeouts.gatewayInstance,
      options,
    });

  return {
    createDedicatedInstance: (input) =>
      runStep('createDedicatedInstance', async () => {
        const find = async () => {
          const found = await cloudapi.describeInstances({ RegionId: input.region, Tag: runTag(input.idempotencyKey) });
          const match = items(found.Instances).find((i) => i.InstanceName === input.name && i.Status !== 'DELETING');
          return match ? { region: input.region, instanceId: match.InstanceId } : undefined;
        };
        return findOrCreate(find, async () => {
          const created = await cloudapi.createInstance({
            RegionId: input.region,
            InstanceName: input.name,
            InstanceSpec: input.instanceSpec,
            ZoneId: input.zoneId,
            HttpsPolicy: input.httpsPolicy,
            ChargeType: 'PostPaid',
            InstanceType: 'normal',
            Tag: runTag(input.idempotencyKey),
            Token: clientToken(input.idempotencyKey, 'CreateInstance'),
          });
          return { region: input.region, instanceId: created.InstanceId };
        });
      }),

    waitDedicatedInstanceRunning: (ref) =>
      runStep('waitDedicatedInstanceRunning', async () => {
        const instance = await waitInstance(
          'waitDedicatedInstanceRunning',
          ref.region,
          ref.instanceId,
          'to be RUNNING',
          () => true,
        );
        if (!instance.VpcEgressAddress) {
          throw stepRefused(
            'waitDedicatedInstanceRunning',
            'MissingVpcEgressAddress',
            `dedicated instance ${ref.instanceId} is RUNNING but reports no VpcEgressAddress (is it a shared instance? ` +
              'only dedicated instances can be reached over a VPC)',
          );
        }
        return { ...ref, status: 'RUNNING' as const, vpcEgressAddress: instance.VpcEgressAddress };
      }),

    createVpcAccess: (input) =>
      runStep('createVpcAccess', async () => {
        const find = async () => {
          const found = await cloudapi.describeVpcAccesses({
            RegionId: input.region,
            VpcId: input.vpcId,
            InstanceId: input.backendInstanceId,
            Port: input.port,
          });
          const match = items(found.VpcAccessAttributes).find(
            (a) => a.VpcId === input.vpcId && a.InstanceId === input.backendInstanceId && Number(a.Port) === input.port,
          );
          return match ? { region: input.region, vpcAccessId: vpcAccessIdOf(match.VpcAccessId, input) } : undefined;
        };
        return findOrCreate(find, async () => {
          const created = await cloudapi.setVpcAccess({
            RegionId: input.region,
            Name: input.name,
            VpcId: input.vpcId,
            InstanceId: input.backendInstanceId,
            Port: input.port,
            Description: 'fc-apigw-vpc: ECS backend',
          });
          return { region: input.region, vpcAccessId: vpcAccessIdOf(created.VpcAccessId, input) };
        });
      }),

    createApiGroup: (input) =>
      runStep('createApiGroup', async () => {
        const find = async () => {
          const found = await cloudapi.describeApiGroups({ RegionId: input.region, GroupName: input.name });
          const match = items(found.ApiGroupAttributes).find(
            (g) =>
              g.GroupName === input.name && (g.InstanceId === undefined || g.InstanceId === input.gatewayInstanceId),
          );
          if (!match) return undefined;
          const subDomain =
            match.SubDomain ??
            (await cloudapi.describeApiGroup({ RegionId: input.region, GroupId: match.GroupId })).SubDomain ??
            '';
          return { region: input.region, groupId: match.GroupId, subDomain };
        };
        return findOrCreate(find, async () => {
          const created = await cloudapi.createApiGroup({
            RegionId: input.region,
            GroupName: input.name,
            InstanceId: input.gatewayInstanceId,
            Description: input.description,
            Tag: runTag(input.idempotencyKey),
          });
          return { region: input.region, groupId: created.GroupId, subDomain: created.SubDomain ?? '' };
        });
      }),

    createApi: (input) =>
      runStep('createApi', async () => {
        const find = async () => {
          const found = await cloudapi.describeApis({
            RegionId: input.region,
            GroupId: input.groupId,
            ApiName: input.name,
          });
          const match = items(found.ApiSummarys).find((a) => a.ApiName === input.name && a.GroupId === input.groupId);
          return match ? { region: input.region, groupId: input.groupId, apiId: match.ApiId } : undefined;
        };
        return findOrCreate(find, async () => {
          const created = await cloudapi.createApi({
            RegionId: input.region,
            GroupId: input.groupId,
            ApiName: input.name,
            Visibility: 'PUBLIC',
            AuthType: input.authType,
            RequestConfig: {
              RequestProtocol: 'HTTP',
              RequestHttpMethod: input.method,
              RequestPath: input.requestPath,
              RequestMode: 'PASSTHROUGH',
            },
            ServiceConfig: {
              ServiceProtocol: 'HTTP',
              ServiceHttpMethod: input.method,
              ServicePath: input.backendPath,
              ServiceTimeout: input.timeoutMs,
              Mock: 'FALSE',
              ServiceVpcEnable: 'TRUE',
              VpcConfig: { Name: input.vpcAccessName },
            },
            ResultType: 'JSON',
            ResultSample: '{}',
            Description: `fc-apigw-vpc: VPC backend ${input.vpcAccessName}:${input.backendPort}${input.backendPath}`,
          });
          return { region: input.region, groupId: input.groupId, apiId: created.ApiId };
        });
      }),

    deployApi: (input) =>
      runStep('deployApi', async () => {
        // Deploying the same definition again is harmless, so no look-up is needed for idempotency.
        await cloudapi.deployApi({
          RegionId: input.region,
          GroupId: input.groupId,
          ApiId: input.apiId,
          StageName: stageOf(input.stageName),
          Description: input.description,
        });
      }),

    bindInstanceToVpc: (input) =>
      runStep('bindInstanceToVpc', async () => {
        const progress = new ActivityProgress<HeartbeatState & { requested?: boolean }>();
        const current = await describeInstance(input.region, input.instanceId);
        if (!current) {
          throw stepRefused(
            'bindInstanceToVpc',
            'InstanceNotFound',
            `dedicated instance ${input.instanceId} does not exist`,
          );
        }
        if (current.UserVpcId !== input.vpcId && !progress.get('requested')) {
          await cloudapi.modifyInstanceVpcAttributeForConsole({
            RegionId: input.region,
            InstanceId: input.instanceId,
            VpcId: input.vpcId,
            VswitchId: input.vSwitchId,
            VpcOwnerId: await clients.accountId(),
            Token: clientToken(input.idempotencyKey, 'ModifyInstanceVpcAttributeForConsole'),
          });
          progress.save({ requested: true });
        }
        await waitInstance(
          'bindInstanceToVpc',
          input.region,
          input.instanceId,
          `bound to ${input.vpcId} and RUNNING`,
          (i) => i.UserVpcId === input.vpcId,
        );
      }),

    enableVpcSubdomain: (input) =>
      runStep('enableVpcSubdomain', async () => {
        const group = await cloudapi.describeApiGroup({ RegionId: input.region, GroupId: input.groupId });
        if (!group.VpcDomain) {
          await cloudapi.modifyIntranetDomainPolicy({
            RegionId: input.region,
            GroupId: input.groupId,
            VpcIntranetEnable: true,
          });
        }
        if (input.disableInternetSubdomain) {
          await cloudapi.modifyApiGroupNetworkPolicy({
            RegionId: input.region,
            GroupId: input.groupId,
            InternetEnable: false,
          });
        }
        const vpcDomain = await waitUntil({
          what: `API group ${input.groupId} to show its VPC domain`,
          step: 'enableVpcSubdomain',
          intervalMs: options.pollIntervalMs,
          timeoutMs: options.timeouts.network,
          progress: new ActivityProgress<HeartbeatState>(),
          check: async () => {
            const readBack = await cloudapi.describeApiGroup({ RegionId: input.region, GroupId: input.groupId });
            return readBack.VpcDomain
              ? { done: true, value: readBack.VpcDomain }
              : { done: false, state: 'VpcDomain not assigned yet' };
          },
        });
        return {
          region: input.region,
          groupId: input.groupId,
          vpcDomain,
          internetEnabled: !input.disableInternetSubdomain,
        };
      }),

    deleteApi: (item) =>
      runStep('deleteApi', async () => {
        const stage = {
          RegionId: item.region,
          GroupId: item.groupId,
          ApiId: item.id,
          StageName: stageOf(item.stageName),
        };
        await deleteCall(() => cloudapi.abolishApi(stage));
        return deleteCall(() => cloudapi.deleteApi({ RegionId: item.region, GroupId: item.groupId, ApiId: item.id }));
      }),

    deleteApiGroup: (item) =>
      runStep('deleteApiGroup', async () => {
        const group = await unlessNotFound(() =>
          cloudapi.describeApiGroup({ RegionId: item.region, GroupId: item.id }),
        );
        if (!group) return { outcome: 'notFound' };
        if (group.VpcDomain) {
          await deleteCall(() =>
            cloudapi.modifyIntranetDomainPolicy({ RegionId: item.region, GroupId: item.id, VpcIntranetEnable: false }),
          );
        }
        return deleteUntilGone({
          step: 'deleteApiGroup',
          what: `API group ${item.id}`,
          call: () => cloudapi.deleteApiGroup({ RegionId: item.region, GroupId: item.id }),
          state: async () =>
            (await unlessNotFound(() => cloudapi.describeApiGroup({ RegionId: item.region, GroupId: item.id })))
              ? 'present'
              : undefined,
          options,
        });
      }),

    removeVpcAccess: (item) =>
      runStep('removeVpcAccess', () =>
        deleteWaitingOutDependents(
          'removeVpcAccess',
          `VPC authorization ${item.name}`,
          () =>
            cloudapi.removeVpcAccess({
              RegionId: item.region,
              VpcId: item.vpcId,
              InstanceId: item.backendInstanceId,
              Port: item.port,
            }),
          options,
        ),
      ),

    unbindInstanceFromVpc: (item) =>
      runStep('unbindInstanceFromVpc', async (): Promise<DeleteOutcome> => {
        const current = await describeInstance(item.region, item.instanceId);
        if (!current || current.UserVpcId !== item.vpcId) return { outcome: 'notFound' };
        await cloudapi.modifyInstanceVpcAttributeForConsole({
          RegionId: item.region,
          InstanceId: item.instanceId,
          VpcId: item.vpcId,
          VswitchId: item.vSwitchId,
          VpcOwnerId: await clients.accountId(),
          DeleteVpcAccess: true,
        });
        await waitInstance(
          'unbindInstanceFromVpc',
          item.region,
          item.instanceId,
          `unbound from ${item.vpcId} and RUNNING`,
          (i) => i.UserVpcId !== item.vpcId,
        );
        return { outcome: 'deleted' };
      }),

    deleteDedicatedInstance: (item) =>
      runStep('deleteDedicatedInstance', async () => {
        return deleteUntilGone({
          step: 'deleteDedicatedInstance',
          what: `dedicated instance ${item.id}`,
          call: () => cloudapi.deleteInstance({ RegionId: item.region, InstanceId: item.id }),
          state: async () => (await describeInstance(item.region, item.id))?.Status,
          options,
          timeoutMs: options.timeouts.gatewayInstance,
        });
      }),
  };
}

function vpcAccessIdOf(
  reported: string | undefined,
  input: { vpcId: string; backendInstanceId: string; port: number },
) {
  return reported || `${input.vpcId}:${input.backendInstanceId}:${input.port}`;
}

function stageOf(stageName: string): 'RELEASE' | 'PRE' | 'TEST' {
  if (stageName === 'RELEASE' || stageName === 'PRE' || stageName === 'TEST') return stageName;
  throw stepRefused('api stage', 'InvalidParameter.StageName', `stage "${stageName}" must be RELEASE, PRE or TEST`);
}

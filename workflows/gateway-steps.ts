/** Runbook steps 1-4 (Scenario 2: 1, 5-7) on the API Gateway side: instance, API with a VPC backend, binding, VPC subdomain. */
import { workflowInfo } from '@temporalio/workflow';
import type { InventoryItem } from '../activities/contract';
import { activity } from './activity-stubs';
import { idempotencyKey, need, type RunContext, type StepHandlers } from './run-context';
import type { GatewayStepName } from './steps';

export function gatewaySteps(ctx: RunContext): Pick<StepHandlers, GatewayStepName> {
  const { config, state, facts } = ctx;
  const gatewayRegion = config.regions.gateway;
  const record = (item: InventoryItem) => state.record(item);

  return {
    async gatewayInstance() {
      const step = 'gatewayInstance';
      const region = gatewayRegion;
      const { instanceId } = await activity('createDedicatedInstance')({
        idempotencyKey: idempotencyKey(step),
        region,
        name: config.gateway.instanceName,
        instanceSpec: config.gateway.instanceSpec,
        zoneId: need(facts.preflight, 'the preflight report', step).gatewayZoneId,
        httpsPolicy: config.gateway.httpsPolicy,
      });
      record({ kind: 'gatewayInstance', id: instanceId, region, name: config.gateway.instanceName, createdBy: step });
      const ready = await activity('waitDedicatedInstanceRunning')({ region, instanceId });
      facts.gatewayInstanceId = instanceId;
      facts.vpcEgressAddress = ready.vpcEgressAddress;
      return `${instanceId} RUNNING, VPC egress ${ready.vpcEgressAddress}`;
    },

    async gatewayIngressRule() {
      const step = 'gatewayIngressRule';
      const sourceCidr = need(facts.vpcEgressAddress, 'the gateway egress CIDR', step);
      await activity('authorizeSecurityGroupIngress')({
        idempotencyKey: idempotencyKey(step),
        region: gatewayRegion,
        securityGroupId: need(facts.backendSecurityGroupId, 'the backend security group', step),
        protocol: 'tcp',
        port: config.backend.port,
        sourceCidr,
        description: 'API Gateway dedicated instance egress',
      });
      return `tcp ${config.backend.port} from ${sourceCidr}`;
    },

    async vpcAccess() {
      const step = 'vpcAccess';
      const vpcId = need(facts.vpcIds.backend, 'the id of vpc-backend-1', step);
      const backendInstanceId = need(facts.backendInstanceId, 'the backend instance', step);
      const { vpcAccessId } = await activity('createVpcAccess')({
        idempotencyKey: idempotencyKey(step),
        region: gatewayRegion,
        name: config.gateway.vpcAccessName,
        vpcId,
        backendInstanceId,
        port: config.backend.port,
      });
      record({
        kind: 'vpcAccess',
        id: vpcAccessId,
        region: gatewayRegion,
        name: config.gateway.vpcAccessName,
        createdBy: step,
        vpcId,
        backendInstanceId,
        port: config.backend.port,
      });
      return `${config.gateway.vpcAccessName} → ${backendInstanceId}:${config.backend.port}`;
    },

    async apiGroup() {
      const step = 'apiGroup';
      const { groupId, subDomain } = await activity('createApiGroup')({
        idempotencyKey: idempotencyKey(step),
        region: gatewayRegion,
        name: config.gateway.groupName,
        gatewayInstanceId: need(facts.gatewayInstanceId, 'the dedicated instance', step),
        description: 'Called by Function Compute over a VPC',
      });
      record({ kind: 'apiGroup', id: groupId, region: gatewayRegion, name: config.gateway.groupName, createdBy: step });
      facts.groupId = groupId;
      return `${groupId} (${subDomain})`;
    },

    async api() {
      const step = 'api';
      const groupId = need(facts.groupId, 'the API group', step);
      const { apiId } = await activity('createApi')({
        idempotencyKey: idempotencyKey(step),
        region: gatewayRegion,
        groupId,
        name: config.gateway.apiName,
        requestPath: config.gateway.apiPath,
        method: 'GET',
        authType: 'ANONYMOUS',
        vpcAccessName: config.gateway.vpcAccessName,
        backendPath: config.backend.path,
        backendPort: config.backend.port,
        timeoutMs: 10_000,
      });
      record({
        kind: 'api',
        id: apiId,
        region: gatewayRegion,
        name: config.gateway.apiName,
        createdBy: step,
        groupId,
        stageName: config.gateway.stageName,
      });
      facts.apiId = apiId;
      return `${apiId} GET ${config.gateway.apiPath} → VPC ${config.gateway.vpcAccessName}${config.backend.path}`;
    },

    async deployApi() {
      const step = 'deployApi';
      await activity('deployApi')({
        idempotencyKey: idempotencyKey(step),
        region: gatewayRegion,
        groupId: need(facts.groupId, 'the API group', step),
        apiId: need(facts.apiId, 'the API', step),
        stageName: config.gateway.stageName,
        description: `published by workflow ${workflowInfo().workflowId}`,
      });
      return `published to ${config.gateway.stageName}`;
    },

    async gatewayVpcBinding() {
      const step = 'gatewayVpcBinding';
      const instanceId = need(facts.gatewayInstanceId, 'the dedicated instance', step);
      const vpcId = need(facts.vpcIds.apiAccess, 'the id of vpc-api-access', step);
      const vSwitchId = need(facts.vSwitchIds.apiAccess, 'the vSwitch of vpc-api-access', step);
      record({
        kind: 'gatewayVpcBinding',
        id: `${instanceId}:${vpcId}`,
        region: gatewayRegion,
        name: config.vpcs.apiAccess.name,
        createdBy: step,
        instanceId,
        vpcId,
        vSwitchId,
      });
      await activity('bindInstanceToVpc')({
        idempotencyKey: idempotencyKey(step),
        region: gatewayRegion,
        instanceId,
        vpcId,
        vSwitchId,
      });
      await activity('waitDedicatedInstanceRunning')({ region: gatewayRegion, instanceId });
      return `${instanceId} bound to ${config.vpcs.apiAccess.name} ${vpcId}`;
    },

    async vpcSubdomain() {
      const step = 'vpcSubdomain';
      const result = await activity('enableVpcSubdomain')({
        idempotencyKey: idempotencyKey(step),
        region: gatewayRegion,
        groupId: need(facts.groupId, 'the API group', step),
        disableInternetSubdomain: config.gateway.disableInternetSubdomain,
      });
      facts.vpcDomain = result.vpcDomain;
      return `${result.vpcDomain} (internet subdomain ${result.internetEnabled ? 'on' : 'off'})`;
    },
  };
}

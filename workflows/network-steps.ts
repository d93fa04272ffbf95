/** Runbook step 1 (and the VPC half of step 6/9): VPCs, vSwitches, security groups, the ECS backend. */
import type { InventoryItem } from '../activities/contract';
import { functionVpcKey, type VpcKey } from '../config/scenario';
import { activity } from './activity-stubs';
import { idempotencyKey, need, regionOfVpcIn, type RunContext, type StepHandlers } from './run-context';
import type { NetworkStepName, StepName } from './steps';

export function networkSteps(ctx: RunContext): Pick<StepHandlers, NetworkStepName> {
  const { config, state, facts } = ctx;
  const gatewayRegion = config.regions.gateway;
  const regionOfVpc = (key: VpcKey) => regionOfVpcIn(config, key);
  const record = (item: InventoryItem) => state.record(item);

  async function createVpc(step: StepName, key: VpcKey): Promise<string> {
    const vpc = config.vpcs[key];
    const region = regionOfVpc(key);
    const { vpcId } = await activity('createVpc')({
      idempotencyKey: idempotencyKey(step),
      region,
      name: vpc.name,
      cidrBlock: vpc.cidr,
    });
    record({ kind: 'vpc', id: vpcId, region, name: vpc.name, createdBy: step });
    await activity('waitVpcAvailable')({ region, vpcId });
    facts.vpcIds[key] = vpcId;
    return `${vpc.name} ${vpcId} (${vpc.cidr})`;
  }

  async function createVSwitch(step: StepName, key: VpcKey): Promise<string> {
    const vSwitch = config.vpcs[key].vSwitch;
    const region = regionOfVpc(key);
    const vpcId = need(facts.vpcIds[key], `the id of ${config.vpcs[key].name}`, step);
    const { vSwitchId } = await activity('createVSwitch')({
      idempotencyKey: idempotencyKey(step),
      region,
      vpcId,
      name: vSwitch.name,
      zoneId: vSwitch.zoneId,
      cidrBlock: vSwitch.cidr,
    });
    record({ kind: 'vSwitch', id: vSwitchId, region, name: vSwitch.name, createdBy: step, vpcId });
    await activity('waitVSwitchAvailable')({ region, vSwitchId });
    facts.vSwitchIds[key] = vSwitchId;
    return `${vSwitch.name} ${vSwitchId} (${vSwitch.cidr}, ${vSwitch.zoneId})`;
  }

  async function createSecurityGroup(step: StepName, key: VpcKey, name: string, description: string) {
    const region = regionOfVpc(key);
    const vpcId = need(facts.vpcIds[key], `the id of ${config.vpcs[key].name}`, step);
    const { securityGroupId } = await activity('createSecurityGroup')({
      idempotencyKey: idempotencyKey(step),
      region,
      vpcId,
      name,
      description,
    });
    record({ kind: 'securityGroup', id: securityGroupId, region, name, createdBy: step, vpcId });
    return securityGroupId;
  }

  return {
    apiAccessVpc: () => createVpc('apiAccessVpc', 'apiAccess'),
    apiAccessVSwitch: () => createVSwitch('apiAccessVSwitch', 'apiAccess'),
    backendVpc: () => createVpc('backendVpc', 'backend'),
    backendVSwitch: () => createVSwitch('backendVSwitch', 'backend'),
    fcAccessVpc: () => createVpc('fcAccessVpc', 'fcAccess'),
    fcAccessVSwitch: () => createVSwitch('fcAccessVSwitch', 'fcAccess'),

    async backendSecurityGroup() {
      facts.backendSecurityGroupId = await createSecurityGroup(
        'backendSecurityGroup',
        'backend',
        config.backend.securityGroupName,
        'Lets the dedicated API Gateway instance reach the backend service',
      );
      return facts.backendSecurityGroupId;
    },

    async functionSecurityGroup() {
      facts.functionSecurityGroupId = await createSecurityGroup(
        'functionSecurityGroup',
        functionVpcKey(config),
        config.function.securityGroupName,
        'Network interfaces of the Function Compute function',
      );
      return facts.functionSecurityGroupId;
    },

    async backendInstance() {
      const step = 'backendInstance';
      const region = gatewayRegion;
      const { instanceId } = await activity('runBackendInstance')({
        idempotencyKey: idempotencyKey(step),
        region,
        name: config.backend.instanceName,
        zoneId: config.vpcs.backend.vSwitch.zoneId,
        vSwitchId: need(facts.vSwitchIds.backend, 'the backend vSwitch', step),
        securityGroupId: need(facts.backendSecurityGroupId, 'the backend security group', step),
        imageId: config.backend.imageId,
        instanceType: config.backend.instanceType,
        port: config.backend.port,
        path: config.backend.path,
      });
      record({ kind: 'ecsInstance', id: instanceId, region, name: config.backend.instanceName, createdBy: step });
      const ready = await activity('waitBackendInstanceRunning')({ region, instanceId });
      facts.backendInstanceId = instanceId;
      return `${instanceId} running at ${ready.privateIpAddress}:${config.backend.port}${config.backend.path}`;
    },
  };
}

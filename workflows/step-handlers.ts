import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type {
  CenRouteTicketRequest,
  FcRoleRef,
  InvocationResult,
  InventoryItem,
  PreflightInput,
  PreflightReport,
  ReachabilityDiagnosis,
} from '../activities/contract';
import { apiUrlOf, functionRegionOf, functionVpcKey, vpcsInScenario, type VpcKey } from '../config/scenario';
import { cenGeographicRegionOf } from '../config/regions';
import type { RunConfig } from '../config/schema';
import { activity } from './activity-stubs';
import type { RunState } from './run-state';
import type { StepName } from './steps';
import { waitForCenRouteTicket } from './ticket';

/** What steps learn and later steps use. Filled in as steps finish; dependencies guarantee the order. */
export interface Facts {
  preflight?: PreflightReport;
  vpcIds: Partial<Record<VpcKey, string>>;
  vSwitchIds: Partial<Record<VpcKey, string>>;
  backendSecurityGroupId?: string;
  functionSecurityGroupId?: string;
  backendInstanceId?: string;
  gatewayInstanceId?: string;
  vpcEgressAddress?: string;
  groupId?: string;
  apiId?: string;
  vpcDomain?: string;
  role?: FcRoleRef;
  functionName?: string;
  cenId?: string;
  bandwidthPackageId?: string;
  verification?: InvocationResult;
  diagnosis?: ReachabilityDiagnosis;
}

export interface RunContext {
  config: RunConfig;
  state: RunState;
  facts: Facts;
}

/** A fact a step needs from an earlier one; missing means the step table's dependencies are wrong. */
function need<T>(value: T | undefined, what: string, step: StepName): T {
  if (value === undefined) {
    throw ApplicationFailure.nonRetryable(`step ${step} needs ${what}, which no earlier step produced`, 'StepTableBug');
  }
  return value;
}

export function idempotencyKey(step: StepName): string {
  return `${workflowInfo().workflowId}/${step}`;
}

export type StepHandlers = Record<StepName, () => Promise<string | void>>;

/** The ResolveAndRouteServiceInCen parameters the runbook's ticket quotes (Scenario 2 step 4). */
export function cenRouteTicketRequest(config: RunConfig, facts: Facts): CenRouteTicketRequest {
  return {
    accessRegionIds: [config.regions.function, config.regions.gateway],
    cenId: need(facts.cenId, 'the CEN id', 'cenRouteTicket'),
    host: need(facts.vpcEgressAddress, 'the gateway egress CIDR', 'cenRouteTicket'),
    hostRegionId: config.regions.gateway,
    hostVpcId: need(facts.vpcIds.apiAccess, 'the id of vpc-api-access', 'cenRouteTicket'),
  };
}

/**
 * One handler per step of the table: each reads like its runbook step, records what it creates in the
 * inventory as soon as the id is known (so compensation can find it), and returns a short detail line
 * for the progress query.
 */
export function createStepHandlers(ctx: RunContext): StepHandlers {
  const { config, state, facts } = ctx;
  const gatewayRegion = config.regions.gateway;
  const functionRegion = functionRegionOf(config);
  const regionOfVpc = (key: VpcKey) => (key === 'fcAccess' ? config.regions.function : gatewayRegion);
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

  async function attachToCen(step: StepName, key: VpcKey): Promise<string> {
    const cenId = need(facts.cenId, 'the CEN id', step);
    const vpcId = need(facts.vpcIds[key], `the id of ${config.vpcs[key].name}`, step);
    const vpcRegion = regionOfVpc(key);
    // The attachment's id is known before the call: record first, so a failure mid-call is still undone.
    record({
      kind: 'cenAttachment',
      id: `${cenId}:${vpcId}`,
      region: vpcRegion,
      name: config.vpcs[key].name,
      createdBy: step,
      cenId,
      vpcId,
    });
    await activity('attachVpcToCen')({ idempotencyKey: idempotencyKey(step), cenId, vpcId, vpcRegion });
    return `${config.vpcs[key].name} attached to ${cenId}`;
  }

  return {
    async preflight() {
      const names: PreflightInput['names'] = vpcsInScenario(config).flatMap(({ key, region }) => [
        { kind: 'vpc' as const, region, name: config.vpcs[key].name },
        { kind: 'vSwitch' as const, region, name: config.vpcs[key].vSwitch.name },
      ]);
      names.push(
        { kind: 'securityGroup', region: gatewayRegion, name: config.backend.securityGroupName },
        { kind: 'securityGroup', region: functionRegion, name: config.function.securityGroupName },
        { kind: 'ecsInstance', region: gatewayRegion, name: config.backend.instanceName },
        { kind: 'gatewayInstance', region: gatewayRegion, name: config.gateway.instanceName },
        { kind: 'apiGroup', region: gatewayRegion, name: config.gateway.groupName },
        { kind: 'fcFunction', region: functionRegion, name: config.function.name },
      );
      if (config.scenario === 'cross-region') names.push({ kind: 'cen', region: gatewayRegion, name: config.cen.name });
      const report = await activity('preflight')({
        scenario: config.scenario,
        gatewayRegion,
        functionRegion,
        zones: vpcsInScenario(config).map(({ key, region }) => ({ region, zoneId: config.vpcs[key].vSwitch.zoneId })),
        ...(config.gateway.zoneId ? { gatewayZoneId: config.gateway.zoneId } : {}),
        instanceSpec: config.gateway.instanceSpec,
        names,
      });
      facts.preflight = report;
      const warnings = report.warnings.length > 0 ? `; warnings: ${report.warnings.join('; ')}` : '';
      return `account ${report.accountId}, gateway zone ${report.gatewayZoneId}${warnings}`;
    },

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

    async fcRole() {
      const step = 'fcRole';
      const role = await activity('createFcRole')({
        idempotencyKey: idempotencyKey(step),
        roleName: config.function.roleName,
        policyName: config.function.policyName,
      });
      record({
        kind: 'ramRole',
        id: role.roleName,
        region: 'global',
        name: role.roleName,
        createdBy: step,
        policyName: config.function.policyName,
      });
      facts.role = role;
      return `${role.roleArn} with ${config.function.policyName}`;
    },

    async function() {
      const step = 'function';
      const key = functionVpcKey(config);
      const apiUrl = apiUrlOf(need(facts.vpcDomain, 'the VPC subdomain', step), config);
      const { functionName } = await activity('createFunction')({
        idempotencyKey: idempotencyKey(step),
        region: functionRegion,
        name: config.function.name,
        runtime: config.function.runtime,
        memoryMb: config.function.memoryMb,
        timeoutSeconds: config.function.timeoutSeconds,
        roleArn: need(facts.role, 'the FC role', step).roleArn,
        vpcId: need(facts.vpcIds[key], `the id of ${config.vpcs[key].name}`, step),
        vSwitchIds: [need(facts.vSwitchIds[key], `the vSwitch of ${config.vpcs[key].name}`, step)],
        securityGroupId: need(facts.functionSecurityGroupId, 'the function security group', step),
        apiUrl,
      });
      record({ kind: 'fcFunction', id: functionName, region: functionRegion, name: functionName, createdBy: step });
      await activity('waitFunctionActive')({ region: functionRegion, functionName });
      facts.functionName = functionName;
      return `${functionName} (${config.function.runtime}) in ${config.vpcs[key].name}, calls ${apiUrl}`;
    },

    async cen() {
      const step = 'cen';
      const { cenId } = await activity('createCen')({
        idempotencyKey: idempotencyKey(step),
        name: config.cen.name,
        description: 'Connects vpc-fc-access to vpc-api-access for private API Gateway access',
      });
      record({ kind: 'cen', id: cenId, region: 'global', name: config.cen.name, createdBy: step });
      await activity('waitCenActive')({ cenId });
      facts.cenId = cenId;
      return cenId;
    },

    cenAttachApiAccessVpc: () => attachToCen('cenAttachApiAccessVpc', 'apiAccess'),
    cenAttachFcAccessVpc: () => attachToCen('cenAttachFcAccessVpc', 'fcAccess'),

    async cenBandwidthPackage() {
      const step = 'cenBandwidthPackage';
      const { bandwidthPackageId } = await activity('createBandwidthPackage')({
        idempotencyKey: idempotencyKey(step),
        name: config.cen.bandwidthPackageName,
        bandwidthMbps: config.cen.bandwidthMbps,
        geographicRegionA: geographyOf(config.regions.gateway),
        geographicRegionB: geographyOf(config.regions.function),
        chargeType: config.cen.bandwidthChargeType,
        period: config.cen.prepaidMonths,
      });
      // Recorded without a CEN id yet: association happens in the next step and deletion unassociates.
      record({
        kind: 'cenBandwidthPackage',
        id: bandwidthPackageId,
        region: 'global',
        name: config.cen.bandwidthPackageName,
        createdBy: step,
        cenId: facts.cenId ?? '',
        chargeType: config.cen.bandwidthChargeType,
      });
      facts.bandwidthPackageId = bandwidthPackageId;
      const prepaid =
        config.cen.bandwidthChargeType === 'PREPAY'
          ? `; prepaid for ${config.cen.prepaidMonths} month(s), cannot be deleted by API (teardown reports it)`
          : '';
      return `${bandwidthPackageId} ${config.cen.bandwidthMbps} Mbit/s${prepaid}`;
    },

    async cenBandwidthAssociation() {
      const step = 'cenBandwidthAssociation';
      const cenId = need(facts.cenId, 'the CEN id', step);
      const bandwidthPackageId = need(facts.bandwidthPackageId, 'the bandwidth package', step);
      const item = state.inventory.find((i) => i.kind === 'cenBandwidthPackage' && i.id === bandwidthPackageId);
      if (item?.kind === 'cenBandwidthPackage') item.cenId = cenId;
      await activity('associateBandwidthPackage')({ idempotencyKey: idempotencyKey(step), cenId, bandwidthPackageId });
      return `${bandwidthPackageId} associated with ${cenId}`;
    },

    async cenInterRegionBandwidth() {
      const step = 'cenInterRegionBandwidth';
      const cenId = need(facts.cenId, 'the CEN id', step);
      const localRegion = config.regions.gateway;
      const oppositeRegion = config.regions.function;
      record({
        kind: 'cenInterRegionBandwidth',
        id: `${cenId}:${localRegion}:${oppositeRegion}`,
        region: localRegion,
        name: `${localRegion}<->${oppositeRegion}`,
        createdBy: step,
        cenId,
        oppositeRegion,
      });
      await activity('setInterRegionBandwidth')({
        idempotencyKey: idempotencyKey(step),
        cenId,
        localRegion,
        oppositeRegion,
        bandwidthMbps: config.cen.bandwidthMbps,
      });
      return `${config.cen.bandwidthMbps} Mbit/s between ${localRegion} and ${oppositeRegion}`;
    },

    async cenRouteTicket() {
      const request = cenRouteTicketRequest(config, facts);
      const outcome = await waitForCenRouteTicket(ctx, request);
      record({
        kind: 'cenRouteService',
        id: `${request.cenId}:${request.host}`,
        region: request.hostRegionId,
        name: `route service for ${request.host}`,
        createdBy: 'cenRouteTicket',
        request,
      });
      return outcome;
    },

    async verify() {
      const step = 'verify';
      const functionName = need(facts.functionName, 'the function', step);
      const result = await activity('invokeFunction')({ region: functionRegion, functionName });
      facts.verification = result;
      if (result.status >= 200 && result.status < 300 && !result.error) {
        return `backend answered ${result.status} through the VPC subdomain: ${result.body.slice(0, 200)}`;
      }
      const diagnosis = await activity('diagnoseReachability')({
        scenario: config.scenario,
        inventory: [...state.inventory],
        apiUrl: apiUrlOf(need(facts.vpcDomain, 'the VPC subdomain', step), config),
        backendPort: config.backend.port,
        vpcEgressAddress: need(facts.vpcEgressAddress, 'the gateway egress CIDR', step),
      });
      facts.diagnosis = diagnosis;
      const got = result.error ? `${result.error}` : `HTTP ${result.status}: ${result.body.slice(0, 200)}`;
      const missing =
        diagnosis.missing.length > 0
          ? `missing: ${diagnosis.missing.join('; ')}`
          : 'no missing link found by describe calls';
      throw ApplicationFailure.nonRetryable(
        `the function did not get the backend's answer through the VPC subdomain (${got}); ${missing}`,
        'VerificationFailed',
        { invocation: result, diagnosis },
      );
    },
  };
}

/** CEN bandwidth packages are bought per pair of geographies (China ↔ China in the runbook). */
function geographyOf(region: string): string {
  const geography = cenGeographicRegionOf(region);
  if (!geography) throw ApplicationFailure.nonRetryable(`no CEN geography known for region ${region}`, 'UnknownRegion');
  return geography;
}

import type { ActivityName, InventoryKind } from '../activities/contract';
import type { RunConfig, Scenario } from '../config/schema';

/**
 * Each scenario described once, as a table of steps. The workflow's execution order, the `progress`
 * query, the `plan` command and the teardown order are all derived from this table, so they cannot
 * disagree. Pure data (no I/O): the workflow bundle imports it.
 */

/** Step names by the module that implements them (network-steps.ts, gateway-steps.ts, ...). */
export type NetworkStepName =
  | 'apiAccessVpc'
  | 'apiAccessVSwitch'
  | 'backendVpc'
  | 'backendVSwitch'
  | 'fcAccessVpc'
  | 'fcAccessVSwitch'
  | 'backendSecurityGroup'
  | 'functionSecurityGroup'
  | 'backendInstance';
export type GatewayStepName =
  | 'gatewayInstance'
  | 'gatewayIngressRule'
  | 'vpcAccess'
  | 'apiGroup'
  | 'api'
  | 'deployApi'
  | 'gatewayVpcBinding'
  | 'vpcSubdomain';
export type FunctionStepName = 'fcRole' | 'function' | 'verify';
export type CenStepName =
  | 'cen'
  | 'cenAttachApiAccessVpc'
  | 'cenAttachFcAccessVpc'
  | 'cenBandwidthPackage'
  | 'cenBandwidthAssociation'
  | 'cenInterRegionBandwidth'
  | 'cenRouteTicket';
export type StepName = 'preflight' | NetworkStepName | GatewayStepName | FunctionStepName | CenStepName;

/** Which configured region a step's resources live in; `global` for RAM and CEN (account-wide). */
export type RegionRole = 'gateway' | 'function' | 'global';

export interface StepResource {
  kind: InventoryKind;
  name: string;
  region: RegionRole;
}

export interface StepDefinition {
  name: StepName;
  title: string;
  /** Runbook step number per scenario (0 = checks before step 1). */
  runbookStep: Partial<Record<Scenario, number>>;
  /** Steps whose resources or facts this step uses. */
  dependsOn: StepName[];
  /**
   * Steps this one merely waits for (sequencing, not use): teardown need not reverse these, e.g. the VPC
   * binding waits for the API setup only because binding makes the instance briefly refuse gateway calls.
   */
  sequencedAfter?: StepName[];
  /** Activities the step calls, in order (retry class per activity: workflows/retry-policies.ts). */
  activities: ActivityName[];
  /** Called only when the main path fails (e.g. diagnosing verification). */
  onFailure?: ActivityName[];
  /** Resources the step creates; their deletes are the step's compensation. */
  creates: (config: RunConfig) => StepResource[];
  /** True when a resource of the same name found by the create activity is taken over instead of recreated. */
  adoptable: boolean;
  /** Waits for a human (the CEN route ticket). */
  human?: boolean;
}

const none = () => [];

const functionVpcStep = (s: Scenario): StepName => (s === 'cross-region' ? 'fcAccessVpc' : 'apiAccessVpc');
const functionVSwitchStep = (s: Scenario): StepName => (s === 'cross-region' ? 'fcAccessVSwitch' : 'apiAccessVSwitch');

function table(scenario: Scenario): StepDefinition[] {
  const both = (s1: number, s2: number): Partial<Record<Scenario, number>> => ({
    'same-region': s1,
    'cross-region': s2,
  });
  const cross = scenario === 'cross-region';
  const steps: StepDefinition[] = [
    {
      name: 'preflight',
      title: 'Check credentials, regions, zones, names (and CEN edition) before creating anything',
      runbookStep: both(0, 0),
      dependsOn: [],
      activities: ['preflight'],
      creates: none,
      adoptable: false,
    },
    {
      name: 'apiAccessVpc',
      title: 'Create vpc-api-access (the VPC the gateway is bound to)',
      runbookStep: both(1, 1),
      dependsOn: ['preflight'],
      activities: ['createVpc', 'waitVpcAvailable'],
      creates: (c) => [{ kind: 'vpc', name: c.vpcs.apiAccess.name, region: 'gateway' }],
      adoptable: true,
    },
    {
      name: 'apiAccessVSwitch',
      title: 'Create a vSwitch in vpc-api-access',
      runbookStep: both(1, 1),
      dependsOn: ['apiAccessVpc'],
      activities: ['createVSwitch', 'waitVSwitchAvailable'],
      creates: (c) => [{ kind: 'vSwitch', name: c.vpcs.apiAccess.vSwitch.name, region: 'gateway' }],
      adoptable: true,
    },
    {
      name: 'backendVpc',
      title: 'Create vpc-backend-1 (the backend ECS instance lives here)',
      runbookStep: both(1, 1),
      dependsOn: ['preflight'],
      activities: ['createVpc', 'waitVpcAvailable'],
      creates: (c) => [{ kind: 'vpc', name: c.vpcs.backend.name, region: 'gateway' }],
      adoptable: true,
    },
    {
      name: 'backendVSwitch',
      title: 'Create a vSwitch in vpc-backend-1',
      runbookStep: both(1, 1),
      dependsOn: ['backendVpc'],
      activities: ['createVSwitch', 'waitVSwitchAvailable'],
      creates: (c) => [{ kind: 'vSwitch', name: c.vpcs.backend.vSwitch.name, region: 'gateway' }],
      adoptable: true,
    },
    {
      name: 'backendSecurityGroup',
      title: 'Create the backend security group',
      runbookStep: both(1, 1),
      dependsOn: ['backendVpc'],
      activities: ['createSecurityGroup'],
      creates: (c) => [{ kind: 'securityGroup', name: c.backend.securityGroupName, region: 'gateway' }],
      adoptable: true,
    },
    {
      name: 'backendInstance',
      title: 'Run the ECS backend serving http://localhost:8080/web/cloudapi',
      runbookStep: both(1, 1),
      dependsOn: ['backendVSwitch', 'backendSecurityGroup'],
      activities: ['runBackendInstance', 'waitBackendInstanceRunning'],
      creates: (c) => [{ kind: 'ecsInstance', name: c.backend.instanceName, region: 'gateway' }],
      adoptable: true,
    },
    {
      name: 'gatewayInstance',
      title: 'Create the dedicated API Gateway instance and read its VPC egress CIDR',
      runbookStep: both(1, 1),
      dependsOn: ['preflight'],
      activities: ['createDedicatedInstance', 'waitDedicatedInstanceRunning'],
      creates: (c) => [{ kind: 'gatewayInstance', name: c.gateway.instanceName, region: 'gateway' }],
      adoptable: true,
    },
    {
      name: 'gatewayIngressRule',
      title: "Allow the gateway's egress CIDR to reach the backend port",
      runbookStep: both(1, 1),
      dependsOn: ['backendSecurityGroup', 'gatewayInstance'],
      activities: ['authorizeSecurityGroupIngress'],
      creates: none,
      adoptable: true,
    },
    {
      name: 'vpcAccess',
      title: 'Create the VPC authorization for the backend instance and port',
      runbookStep: both(2, 5),
      dependsOn: ['backendInstance', 'gatewayInstance'],
      activities: ['createVpcAccess'],
      creates: (c) => [{ kind: 'vpcAccess', name: c.gateway.vpcAccessName, region: 'gateway' }],
      adoptable: true,
    },
    {
      name: 'apiGroup',
      title: 'Create the API group on the dedicated instance',
      runbookStep: both(2, 5),
      dependsOn: ['gatewayInstance'],
      activities: ['createApiGroup'],
      creates: (c) => [{ kind: 'apiGroup', name: c.gateway.groupName, region: 'gateway' }],
      adoptable: true,
    },
    {
      name: 'api',
      title: 'Create the API with a VPC backend and no authentication',
      runbookStep: both(2, 5),
      dependsOn: ['apiGroup', 'vpcAccess'],
      activities: ['createApi'],
      creates: (c) => [{ kind: 'api', name: c.gateway.apiName, region: 'gateway' }],
      adoptable: true,
    },
    {
      name: 'deployApi',
      title: 'Publish the API to the production stage',
      runbookStep: both(2, 5),
      dependsOn: ['api'],
      activities: ['deployApi'],
      creates: none,
      adoptable: true,
    },
    {
      // After the API setup: binding sends the instance through a non-RUNNING state that would refuse
      // the gateway calls above (notes: "wait for RUNNING before the next gateway call").
      name: 'gatewayVpcBinding',
      title: 'Bind the dedicated instance to vpc-api-access and wait until it is RUNNING again',
      runbookStep: both(3, 6),
      dependsOn: ['gatewayInstance', 'apiAccessVSwitch'],
      sequencedAfter: ['deployApi'],
      activities: ['bindInstanceToVpc', 'waitDedicatedInstanceRunning'],
      creates: (c) => [{ kind: 'gatewayVpcBinding', name: c.vpcs.apiAccess.name, region: 'gateway' }],
      adoptable: true,
    },
    {
      name: 'vpcSubdomain',
      title: 'Enable the VPC intranet subdomain of the API group',
      runbookStep: both(4, 7),
      dependsOn: ['gatewayVpcBinding', 'apiGroup'],
      activities: ['enableVpcSubdomain'],
      creates: none,
      adoptable: true,
    },
    ...(cross
      ? ([
          {
            name: 'fcAccessVpc',
            title: 'Create vpc-fc-access in the function region',
            runbookStep: { 'cross-region': 1 },
            dependsOn: ['preflight'],
            activities: ['createVpc', 'waitVpcAvailable'],
            creates: (c) => [{ kind: 'vpc', name: c.vpcs.fcAccess.name, region: 'function' }],
            adoptable: true,
          },
          {
            name: 'fcAccessVSwitch',
            title: 'Create a vSwitch in vpc-fc-access for the function',
            runbookStep: { 'cross-region': 9 },
            dependsOn: ['fcAccessVpc'],
            activities: ['createVSwitch', 'waitVSwitchAvailable'],
            creates: (c) => [{ kind: 'vSwitch', name: c.vpcs.fcAccess.vSwitch.name, region: 'function' }],
            adoptable: true,
          },
          {
            name: 'cen',
            title: 'Create the CEN instance',
            runbookStep: { 'cross-region': 2 },
            dependsOn: ['preflight'],
            activities: ['createCen', 'waitCenActive'],
            creates: (c) => [{ kind: 'cen', name: c.cen.name, region: 'global' }],
            adoptable: true,
          },
          {
            name: 'cenAttachApiAccessVpc',
            title: 'Attach vpc-api-access to the CEN',
            runbookStep: { 'cross-region': 2 },
            dependsOn: ['cen', 'apiAccessVpc'],
            activities: ['attachVpcToCen'],
            creates: (c) => [{ kind: 'cenAttachment', name: c.vpcs.apiAccess.name, region: 'gateway' }],
            adoptable: true,
          },
          {
            // A CEN takes one change at a time (Operation.Blocking): chain the CEN changes.
            name: 'cenAttachFcAccessVpc',
            title: 'Attach vpc-fc-access to the CEN',
            runbookStep: { 'cross-region': 2 },
            dependsOn: ['cenAttachApiAccessVpc', 'fcAccessVpc'],
            activities: ['attachVpcToCen'],
            creates: (c) => [{ kind: 'cenAttachment', name: c.vpcs.fcAccess.name, region: 'function' }],
            adoptable: true,
          },
          {
            name: 'cenBandwidthPackage',
            title: 'Buy the CEN bandwidth plan',
            runbookStep: { 'cross-region': 3 },
            dependsOn: ['preflight'],
            activities: ['createBandwidthPackage'],
            creates: (c) => [{ kind: 'cenBandwidthPackage', name: c.cen.bandwidthPackageName, region: 'global' }],
            adoptable: true,
          },
          {
            name: 'cenBandwidthAssociation',
            title: 'Associate the bandwidth plan with the CEN',
            runbookStep: { 'cross-region': 3 },
            dependsOn: ['cenBandwidthPackage', 'cenAttachFcAccessVpc'],
            activities: ['associateBandwidthPackage'],
            creates: none,
            adoptable: true,
          },
          {
            name: 'cenInterRegionBandwidth',
            title: 'Set the bandwidth between the gateway and function regions',
            runbookStep: { 'cross-region': 3 },
            dependsOn: ['cenBandwidthAssociation'],
            activities: ['setInterRegionBandwidth'],
            creates: (c) => [
              {
                kind: 'cenInterRegionBandwidth',
                name: `${c.regions.gateway}<->${c.regions.function}`,
                region: 'gateway',
              },
            ],
            adoptable: true,
          },
          {
            name: 'cenRouteTicket',
            title: 'Ticket: ask CEN support to run ResolveAndRouteServiceInCen; wait until it is done',
            runbookStep: { 'cross-region': 4 },
            dependsOn: ['gatewayInstance', 'cenAttachApiAccessVpc', 'cenInterRegionBandwidth'],
            activities: ['describeRouteService'],
            creates: () => [
              { kind: 'cenRouteService', name: 'route service for the gateway egress CIDR', region: 'gateway' },
            ],
            adoptable: true,
            human: true,
          },
        ] satisfies StepDefinition[])
      : []),
    {
      name: 'functionSecurityGroup',
      title: "Create the function's security group in its VPC",
      runbookStep: both(6, 9),
      dependsOn: [functionVpcStep(scenario)],
      activities: ['createSecurityGroup'],
      creates: (c) => [{ kind: 'securityGroup', name: c.function.securityGroupName, region: 'function' }],
      adoptable: true,
    },
    {
      name: 'fcRole',
      title: 'Create the FC role with AliyunECSNetworkInterfaceManagementAccess',
      runbookStep: both(6, 9),
      dependsOn: ['preflight'],
      activities: ['createFcRole'],
      creates: (c) => [{ kind: 'ramRole', name: c.function.roleName, region: 'global' }],
      adoptable: true,
    },
    {
      name: 'function',
      title: 'Create the Python function in the VPC, calling the VPC subdomain',
      runbookStep: both(5, 8),
      dependsOn: ['fcRole', functionVSwitchStep(scenario), 'functionSecurityGroup', 'vpcSubdomain'],
      activities: ['createFunction', 'waitFunctionActive'],
      creates: (c) => [{ kind: 'fcFunction', name: c.function.name, region: 'function' }],
      adoptable: true,
    },
    {
      name: 'verify',
      title: 'Invoke the function: the backend must answer through the VPC subdomain',
      runbookStep: both(7, 10),
      dependsOn: ['function', 'deployApi', 'gatewayIngressRule', ...(cross ? (['cenRouteTicket'] as const) : [])],
      activities: ['invokeFunction'],
      onFailure: ['diagnoseReachability'],
      creates: none,
      adoptable: false,
    },
  ];
  return steps;
}

const TABLES: Record<Scenario, StepDefinition[]> = {
  'same-region': table('same-region'),
  'cross-region': table('cross-region'),
};

export function stepsOf(scenario: Scenario): readonly StepDefinition[] {
  return TABLES[scenario];
}

export function stepNamed(scenario: Scenario, name: StepName): StepDefinition {
  const step = TABLES[scenario].find((s) => s.name === name);
  if (!step) throw new Error(`scenario ${scenario} has no step "${name}"`);
  return step;
}

/**
 * Groups steps into waves: every step's dependencies are in earlier waves, and steps of one wave are
 * independent of each other. Throws on unknown dependencies or cycles (a broken table).
 */
/** Everything a step waits for before it starts. */
export function predecessorsOf(step: StepDefinition): StepName[] {
  return [...step.dependsOn, ...(step.sequencedAfter ?? [])];
}

export function executionWaves(steps: readonly StepDefinition[]): StepName[][] {
  const known = new Set(steps.map((s) => s.name));
  for (const step of steps) {
    for (const dep of predecessorsOf(step)) {
      if (!known.has(dep)) throw new Error(`step "${step.name}" depends on unknown step "${dep}"`);
    }
  }
  const placed = new Set<StepName>();
  const waves: StepName[][] = [];
  while (placed.size < steps.length) {
    const wave = steps
      .filter((s) => !placed.has(s.name) && predecessorsOf(s).every((d) => placed.has(d)))
      .map((s) => s.name);
    if (wave.length === 0) {
      const stuck = steps.filter((s) => !placed.has(s.name)).map((s) => s.name);
      throw new Error(`the step table has a dependency cycle among: ${stuck.join(', ')}`);
    }
    wave.forEach((name) => placed.add(name));
    waves.push(wave);
  }
  return waves;
}

/** Steps in a dependency-respecting order (waves flattened). */
export function executionOrder(steps: readonly StepDefinition[]): StepName[] {
  return executionWaves(steps).flat();
}

/** Every step whose resources the given step builds on, directly or not (sequencing excluded). */
export function transitiveDependencies(steps: readonly StepDefinition[], name: StepName): Set<StepName> {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const result = new Set<StepName>();
  const visit = (n: StepName) => {
    for (const dep of byName.get(n)?.dependsOn ?? []) {
      if (!result.has(dep)) {
        result.add(dep);
        visit(dep);
      }
    }
  };
  visit(name);
  return result;
}

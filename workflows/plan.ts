import { DELETE_ACTIVITY_BY_KIND, type ActivityName, type InventoryKind } from '../activities/contract';
import { functionRegionOf } from '../config/scenario';
import type { RunConfig, Scenario } from '../config/schema';
import { RETRY_CLASS_OF, type RetryClass } from './retry-policies';
import { executionWaves, predecessorsOf, stepsOf, type RegionRole, type StepName } from './steps';
import { teardownOrder } from './teardown-order';

/**
 * `fc-apigw-vpc plan <scenario>`: every resource and API call a run would make, in order, derived from
 * the same step table the workflow executes. Makes no call.
 */

/** The Alibaba Cloud operations behind each activity (product, action), as documented in notes/alibaba-apis.md. */
export const API_CALLS: Record<ActivityName, string[]> = {
  preflight: [
    'STS GetCallerIdentity',
    'VPC DescribeZones',
    'CloudAPI DescribeZones',
    'VPC DescribeVpcs',
    'CBN DescribeCens (cross-region)',
  ],
  createVpc: ['VPC DescribeVpcs (find by name)', 'VPC CreateVpc'],
  waitVpcAvailable: ['VPC DescribeVpcAttribute (poll until Available)'],
  createVSwitch: ['VPC DescribeVSwitches (find by name)', 'VPC CreateVSwitch'],
  waitVSwitchAvailable: ['VPC DescribeVSwitchAttributes (poll until Available)'],
  createSecurityGroup: ['ECS DescribeSecurityGroups (find by name)', 'ECS CreateSecurityGroup'],
  authorizeSecurityGroupIngress: ['ECS AuthorizeSecurityGroup'],
  runBackendInstance: ['ECS DescribeInstances (find by name)', 'ECS RunInstances (UserData starts the HTTP service)'],
  waitBackendInstanceRunning: ['ECS DescribeInstances (poll until Running)'],
  createDedicatedInstance: ['CloudAPI DescribeInstances (find by name)', 'CloudAPI CreateInstance'],
  waitDedicatedInstanceRunning: ['CloudAPI DescribeInstances (poll until RUNNING, read VpcEgressAddress)'],
  createVpcAccess: ['CloudAPI DescribeVpcAccesses (find)', 'CloudAPI SetVpcAccess'],
  createApiGroup: ['CloudAPI DescribeApiGroups (find by name)', 'CloudAPI CreateApiGroup'],
  createApi: ['CloudAPI DescribeApis (find by name)', 'CloudAPI CreateApi (VPC backend, AuthType ANONYMOUS)'],
  deployApi: ['CloudAPI DeployApi'],
  bindInstanceToVpc: ['CloudAPI ModifyInstanceVpcAttributeForConsole'],
  enableVpcSubdomain: [
    'CloudAPI ModifyIntranetDomainPolicy',
    'CloudAPI ModifyApiGroupNetworkPolicy (InternetEnable=false, if configured)',
    'CloudAPI DescribeApiGroup (read VpcDomain)',
  ],
  createFcRole: ['RAM GetRole', 'RAM CreateRole (trusts fc.aliyuncs.com)', 'RAM AttachPolicyToRole'],
  createFunction: ['FC GET /2023-03-30/functions/{name}', 'FC POST /2023-03-30/functions (vpcConfig, role)'],
  waitFunctionActive: ['FC GET /2023-03-30/functions/{name} (poll until Active)'],
  invokeFunction: ['FC POST /2023-03-30/functions/{name}/invocations'],
  diagnoseReachability: ['Describe* of every link (only when the invocation fails)'],
  createCen: ['CBN DescribeCens (find by name)', 'CBN CreateCen'],
  waitCenActive: ['CBN DescribeCens (poll until Active)'],
  attachVpcToCen: ['CBN AttachCenChildInstance', 'CBN DescribeCenAttachedChildInstances (poll until Attached)'],
  createBandwidthPackage: ['CBN DescribeCenBandwidthPackages (find by name)', 'CBN CreateCenBandwidthPackage'],
  associateBandwidthPackage: ['CBN AssociateCenBandwidthPackage'],
  setInterRegionBandwidth: ['CBN SetCenInterRegionBandwidthLimit'],
  describeRouteService: ['(ticket to CEN support: ResolveAndRouteServiceInCen)', 'CBN DescribeRouteServicesInCen'],
  deleteFunction: ['FC DELETE /2023-03-30/functions/{name}', 'FC GET /2023-03-30/functions/{name} (until NotFound)'],
  deleteFcRole: ['RAM DetachPolicyFromRole', 'RAM DeleteRole', 'RAM GetRole (until NotFound)'],
  deleteApi: ['CloudAPI AbolishApi', 'CloudAPI DeleteApi'],
  deleteApiGroup: [
    'CloudAPI ModifyIntranetDomainPolicy (off)',
    'CloudAPI DeleteApiGroup',
    'CloudAPI DescribeApiGroup (until NotFound)',
  ],
  removeVpcAccess: ['CloudAPI RemoveVpcAccess'],
  unbindInstanceFromVpc: ['CloudAPI unbind user VPC', 'CloudAPI DescribeInstances (poll until RUNNING)'],
  deleteDedicatedInstance: ['CloudAPI DeleteInstance', 'CloudAPI DescribeInstances (poll until gone)'],
  deleteRouteService: ['CBN DeleteRouteServiceInCen', 'CBN DescribeRouteServicesInCen (poll until gone)'],
  resetInterRegionBandwidth: [
    'CBN SetCenInterRegionBandwidthLimit (0)',
    'CBN DescribeCenInterRegionBandwidthLimits (poll until removed)',
  ],
  deleteBandwidthPackage: [
    'CBN UnassociateCenBandwidthPackage',
    'CBN DeleteCenBandwidthPackage (prepaid: for a human)',
    'CBN DescribeCenBandwidthPackages (poll until gone)',
  ],
  detachVpcFromCen: ['CBN DetachCenChildInstance', 'CBN DescribeCenAttachedChildInstances (poll until gone)'],
  deleteCen: ['CBN DeleteCen', 'CBN DescribeCens (poll until gone)'],
  deleteBackendInstance: ['ECS DeleteInstance (Force)', 'ECS DescribeInstances (poll until gone)'],
  deleteSecurityGroup: ['ECS DeleteSecurityGroup', 'ECS DescribeSecurityGroups (until gone)'],
  deleteVSwitch: ['VPC DeleteVSwitch', 'VPC DescribeVSwitchAttributes (poll until NotFound)'],
  deleteVpc: ['VPC DeleteVpc', 'VPC DescribeVpcAttribute (poll until NotFound)'],
};

export interface PlannedCall {
  activity: ActivityName;
  retryClass: RetryClass;
  apiCalls: string[];
}

export interface PlannedResource {
  kind: InventoryKind;
  name: string;
  region: string;
}

export interface PlannedStep {
  order: number;
  /** Steps of the same wave run in parallel. */
  wave: number;
  name: StepName;
  title: string;
  runbookStep: number;
  dependsOn: StepName[];
  calls: PlannedCall[];
  creates: PlannedResource[];
  /** Deletes that undo the step (saga / teardown). */
  compensation: ActivityName[];
  adoptable: boolean;
  human: boolean;
}

export interface RunPlan {
  scenario: Scenario;
  waves: StepName[][];
  steps: PlannedStep[];
  /** The order a teardown of this run deletes in. */
  teardown: (PlannedResource & { activity: ActivityName })[];
}

function regionFor(role: RegionRole, config: RunConfig): string {
  if (role === 'global') return 'global';
  return role === 'gateway' ? config.regions.gateway : functionRegionOf(config);
}

export function planRun(config: RunConfig): RunPlan {
  const steps = stepsOf(config.scenario);
  const waves = executionWaves(steps);
  const planned: PlannedStep[] = [];
  waves.forEach((wave, waveIndex) => {
    for (const name of wave) {
      const step = steps.find((s) => s.name === name);
      if (!step) throw new Error(`plan: step ${name} missing from the table`);
      const creates = step
        .creates(config)
        .map((r) => ({ kind: r.kind, name: r.name, region: regionFor(r.region, config) }));
      planned.push({
        order: planned.length + 1,
        wave: waveIndex + 1,
        name,
        title: step.title,
        runbookStep: step.runbookStep[config.scenario] ?? 0,
        dependsOn: predecessorsOf(step),
        calls: [...step.activities, ...(step.onFailure ?? [])].map((activity) => ({
          activity,
          retryClass: RETRY_CLASS_OF[activity],
          apiCalls: API_CALLS[activity],
        })),
        creates,
        compensation: creates.map((r) => DELETE_ACTIVITY_BY_KIND[r.kind]),
        adoptable: step.adoptable,
        human: step.human ?? false,
      });
    }
  });
  // Teardown order of the planned resources, computed the way the teardown workflow orders an inventory.
  const teardown = teardownOrder(planned.flatMap((step) => step.creates)).map((item) => ({
    kind: item.kind,
    name: item.name,
    region: item.region,
    activity: DELETE_ACTIVITY_BY_KIND[item.kind],
  }));
  return { scenario: config.scenario, waves, steps: planned, teardown };
}

/** The plan as text for the CLI. */
export function formatPlan(plan: RunPlan): string {
  const lines = [
    `Plan for ${plan.scenario} (${plan.steps.length} steps in ${plan.waves.length} waves; nothing is created):`,
  ];
  let wave = 0;
  for (const step of plan.steps) {
    if (step.wave !== wave) {
      wave = step.wave;
      lines.push('', `Wave ${wave}${plan.waves[wave - 1].length > 1 ? ' (in parallel)' : ''}:`);
    }
    const runbook = step.runbookStep === 0 ? 'before step 1' : `runbook step ${step.runbookStep}`;
    lines.push(
      `  ${step.order}. ${step.name}: ${step.title} [${runbook}]${step.human ? ' [HUMAN: support ticket]' : ''}`,
    );
    if (step.dependsOn.length > 0) lines.push(`     after: ${step.dependsOn.join(', ')}`);
    for (const r of step.creates) lines.push(`     creates ${r.kind} "${r.name}" in ${r.region}`);
    for (const call of step.calls)
      lines.push(`     ${call.activity} (${call.retryClass}): ${call.apiCalls.join('; ')}`);
  }
  lines.push('', 'Teardown order:');
  plan.teardown.forEach((r, i) => lines.push(`  ${i + 1}. ${r.activity}: ${r.kind} "${r.name}" in ${r.region}`));
  return lines.join('\n');
}

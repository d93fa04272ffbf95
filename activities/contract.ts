/**
 * The contract between the workflows (workflows/) and the activities (activities/): every activity the
 * workflows call, with plain-JSON inputs and outputs (ids, regions, names — never credentials; those live
 * in the worker's environment). `createActivities(clients): Activities` implements it.
 *
 * Conventions every implementation follows:
 * - Create activities take `idempotencyKey` (derived by the workflow from workflow id + step name, stable
 *   across retries and replays). Before creating they look the resource up (by name/tag or by the token)
 *   so a retried or re-run activity returns the existing resource instead of making a second one.
 * - `create*` returns as soon as the resource exists (so the workflow records its id in the inventory at
 *   once and can compensate it); `wait*` polls until the resource is ready, heartbeating on every poll.
 *   Activities whose target id is known in advance (attachments, bindings, bandwidth settings, policies)
 *   wait inside themselves until the change is effective.
 * - Failures: Alibaba errors classified once (activities/failures.ts): retryable ones rethrown as retryable
 *   ApplicationFailure, the rest as non-retryable with the Alibaba code and RequestId.
 * - Deletes treat NotFound as done and report it; they never fail for a resource that is already gone.
 */

// ---------------------------------------------------------------------------------------------------------
// Inventory: every resource a run creates.
// ---------------------------------------------------------------------------------------------------------

interface InventoryBase {
  /** The resource's id as Alibaba reports it (for relations: a stable composite id, see each kind). */
  id: string;
  region: string;
  name: string;
  /** Step (from the scenario's step table) that created it. */
  createdBy: string;
}

export type InventoryItem =
  | (InventoryBase & { kind: 'vpc' })
  | (InventoryBase & { kind: 'vSwitch'; vpcId: string })
  | (InventoryBase & { kind: 'securityGroup'; vpcId: string })
  | (InventoryBase & { kind: 'ecsInstance' })
  | (InventoryBase & { kind: 'gatewayInstance' })
  /** id = `${instanceId}:${vpcId}`. */
  | (InventoryBase & { kind: 'gatewayVpcBinding'; instanceId: string; vpcId: string; vSwitchId: string })
  /** id = the VpcAccessId, or `${vpcId}:${backendInstanceId}:${port}` when the API returns none. */
  | (InventoryBase & { kind: 'vpcAccess'; vpcId: string; backendInstanceId: string; port: number })
  | (InventoryBase & { kind: 'apiGroup' })
  | (InventoryBase & { kind: 'api'; groupId: string; stageName: string })
  | (InventoryBase & { kind: 'ramRole'; policyName: string })
  /** id = the function name (FC 3.0 identifies functions by name). */
  | (InventoryBase & { kind: 'fcFunction' })
  | (InventoryBase & { kind: 'cen' })
  /** id = `${cenId}:${vpcId}`. */
  | (InventoryBase & { kind: 'cenAttachment'; cenId: string; vpcId: string })
  | (InventoryBase & { kind: 'cenBandwidthPackage'; cenId: string; chargeType: 'PREPAY' | 'POSTPAY' })
  /** id = `${cenId}:${localRegion}:${oppositeRegion}`; region = localRegion. */
  | (InventoryBase & { kind: 'cenInterRegionBandwidth'; cenId: string; oppositeRegion: string })
  /** id = `${cenId}:${host}`; made by support (ticket) or by the API, recorded once known. */
  | (InventoryBase & { kind: 'cenRouteService'; request: CenRouteTicketRequest });

export type InventoryKind = InventoryItem['kind'];
export type InventoryItemOf<K extends InventoryKind> = Extract<InventoryItem, { kind: K }>;
export type Inventory = InventoryItem[];

// ---------------------------------------------------------------------------------------------------------
// Inputs and outputs.
// ---------------------------------------------------------------------------------------------------------

export interface Idempotent {
  /** Stable across retries and replays: `${workflowId}/${stepName}`. */
  idempotencyKey: string;
}

export interface Regional {
  region: string;
}

export interface PreflightInput {
  scenario: 'same-region' | 'cross-region';
  gatewayRegion: string;
  functionRegion: string;
  /** Zones the run uses for vSwitches (checked to exist in their region). */
  zones: { region: string; zoneId: string }[];
  /** Requested zone for the dedicated instance; omitted → pick one that offers dedicated instances. */
  gatewayZoneId?: string;
  instanceSpec: string;
  /** Names the run will create; a resource with the same name that this run did not create is a conflict. */
  names: { kind: InventoryKind; region: string; name: string }[];
}

export interface PreflightReport {
  accountId: string;
  /** Zone for the dedicated instance (the requested one, confirmed, or the one picked). */
  gatewayZoneId: string;
  /** CEN edition the account gets; only checked for the cross-region scenario. */
  cenEdition?: 'Basic' | 'Enterprise' | 'unknown';
  /** Facts worth telling the user that do not stop the run. */
  warnings: string[];
}

export interface CreateVpcInput extends Idempotent, Regional {
  name: string;
  cidrBlock: string;
}
export interface VpcRef extends Regional {
  vpcId: string;
}

export interface CreateVSwitchInput extends Idempotent, Regional {
  vpcId: string;
  name: string;
  zoneId: string;
  cidrBlock: string;
}
export interface VSwitchRef extends Regional {
  vSwitchId: string;
}

export interface CreateSecurityGroupInput extends Idempotent, Regional {
  vpcId: string;
  name: string;
  description: string;
}
export interface SecurityGroupRef extends Regional {
  securityGroupId: string;
}

export interface AuthorizeIngressInput extends Idempotent, Regional {
  securityGroupId: string;
  protocol: 'tcp';
  port: number;
  /** The dedicated instance's VPC egress CIDR: the only source allowed to reach the backend. */
  sourceCidr: string;
  description: string;
}

export interface RunBackendInstanceInput extends Idempotent, Regional {
  name: string;
  zoneId: string;
  vSwitchId: string;
  securityGroupId: string;
  imageId: string;
  instanceType: string;
  /** The HTTP service the UserData starts (runbook: :8080, /web/cloudapi). */
  port: number;
  path: string;
}
export interface EcsInstanceRef extends Regional {
  instanceId: string;
}
export interface BackendInstanceReady extends EcsInstanceRef {
  privateIpAddress: string;
}

export interface CreateDedicatedInstanceInput extends Idempotent, Regional {
  name: string;
  instanceSpec: string;
  zoneId: string;
  httpsPolicy: string;
}
export interface GatewayInstanceRef extends Regional {
  instanceId: string;
}
export interface GatewayInstanceReady extends GatewayInstanceRef {
  status: 'RUNNING';
  /** VpcEgressAddress: the CIDR the instance reaches backends and CEN from. Read from the API, never guessed. */
  vpcEgressAddress: string;
}

export interface CreateVpcAccessInput extends Idempotent, Regional {
  name: string;
  vpcId: string;
  /** The ECS backend instance id. */
  backendInstanceId: string;
  port: number;
}
export interface VpcAccessRef extends Regional {
  vpcAccessId: string;
}

export interface CreateApiGroupInput extends Idempotent, Regional {
  name: string;
  gatewayInstanceId: string;
  description: string;
}
export interface ApiGroupRef extends Regional {
  groupId: string;
  /** The public (internet) subdomain CloudAPI assigns at creation. */
  subDomain: string;
}

export interface CreateApiInput extends Idempotent, Regional {
  groupId: string;
  name: string;
  /** Request path on the gateway. */
  requestPath: string;
  method: 'GET';
  /** AuthType ANONYMOUS: the runbook's "No Certification". */
  authType: 'ANONYMOUS';
  /** VPC backend: ServiceVpcEnable TRUE, VpcConfig.Name = the VPC authorization's name. */
  vpcAccessName: string;
  backendPath: string;
  backendPort: number;
  timeoutMs: number;
}
export interface ApiRef extends Regional {
  groupId: string;
  apiId: string;
}

export interface DeployApiInput extends Idempotent, Regional {
  groupId: string;
  apiId: string;
  stageName: string;
  description: string;
}

export interface BindInstanceToVpcInput extends Idempotent, Regional {
  instanceId: string;
  vpcId: string;
  vSwitchId: string;
}

export interface EnableVpcSubdomainInput extends Idempotent, Regional {
  groupId: string;
  /** Also switch the internet subdomain off (ModifyApiGroupNetworkPolicy InternetEnable=false). */
  disableInternetSubdomain: boolean;
}
export interface VpcSubdomain extends Regional {
  groupId: string;
  /** VpcDomain read back from DescribeApiGroup. */
  vpcDomain: string;
  internetEnabled: boolean;
}

export interface CreateFcRoleInput extends Idempotent {
  roleName: string;
  /** System policy attached to the role (runbook: AliyunECSNetworkInterfaceManagementAccess). */
  policyName: string;
}
export interface FcRoleRef {
  roleName: string;
  /** acs:ram::<account>:role/<name>, as FC's `role` wants it. */
  roleArn: string;
}

export interface CreateFunctionInput extends Idempotent, Regional {
  name: string;
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  roleArn: string;
  vpcId: string;
  vSwitchIds: string[];
  securityGroupId: string;
  /** What the function calls: http://<VPC subdomain><api path> (set as API_URL). */
  apiUrl: string;
}
export interface FunctionRef extends Regional {
  functionName: string;
}

/** What the shipped function answers: the backend's status and body as seen through the VPC subdomain. */
export interface InvocationResult extends Regional {
  functionName: string;
  /** HTTP status the function got from the API; 0 when it could not connect. */
  status: number;
  body: string;
  /** Network failure kind reported by the function (dns, timeout, connection_refused, ...). */
  error?: string;
}

export interface DiagnoseInput {
  scenario: 'same-region' | 'cross-region';
  inventory: Inventory;
  /** The URL the function called. */
  apiUrl: string;
  backendPort: number;
  vpcEgressAddress: string;
}
export interface ReachabilityCheck {
  /** A link in the chain, e.g. "gateway bound to vpc-api-access", "route service Active". */
  link: string;
  ok: boolean;
  detail: string;
}
export interface ReachabilityDiagnosis {
  checks: ReachabilityCheck[];
  /** The links that are missing, in chain order; empty when everything looks right. */
  missing: string[];
}

export interface CreateCenInput extends Idempotent {
  name: string;
  description: string;
}
export interface CenRef {
  cenId: string;
}

export interface AttachVpcToCenInput extends Idempotent {
  cenId: string;
  vpcId: string;
  vpcRegion: string;
}

export interface CreateBandwidthPackageInput extends Idempotent {
  name: string;
  bandwidthMbps: number;
  geographicRegionA: string;
  geographicRegionB: string;
  chargeType: 'PREPAY' | 'POSTPAY';
  /** Months for PREPAY. */
  period: number;
}
export interface BandwidthPackageRef {
  bandwidthPackageId: string;
}

export interface AssociateBandwidthPackageInput extends Idempotent {
  cenId: string;
  bandwidthPackageId: string;
}

export interface SetInterRegionBandwidthInput extends Idempotent {
  cenId: string;
  localRegion: string;
  oppositeRegion: string;
  bandwidthMbps: number;
}

/** Exactly the ResolveAndRouteServiceInCen parameters the runbook's ticket asks support to apply. */
export interface CenRouteTicketRequest {
  /** AccessRegionIds.1, AccessRegionIds.2, ... */
  accessRegionIds: string[];
  cenId: string;
  /** The dedicated instance's VPC egress CIDR. */
  host: string;
  hostRegionId: string;
  hostVpcId: string;
}

export type RouteServiceStatus = 'Creating' | 'Active' | 'Deleting' | 'Failed' | 'NotFound';
export interface RouteServiceState {
  /** One entry per access region asked for. */
  entries: { accessRegionId: string; status: RouteServiceStatus }[];
  allActive: boolean;
}

export type DeleteOutcome =
  | { outcome: 'deleted' }
  | { outcome: 'notFound' }
  /** The API cannot delete it (e.g. a prepaid CEN bandwidth package: Forbidden.Release); a human must. */
  | { outcome: 'needsHuman'; reason: string };

// ---------------------------------------------------------------------------------------------------------
// The activities.
// ---------------------------------------------------------------------------------------------------------

export interface Activities {
  /** Credentials, regions, a zone offering dedicated instances, free names, CEN edition. Creates nothing. */
  preflight(input: PreflightInput): Promise<PreflightReport>;

  // Runbook step 1: network and backend.
  createVpc(input: CreateVpcInput): Promise<VpcRef>;
  waitVpcAvailable(input: VpcRef): Promise<VpcRef>;
  createVSwitch(input: CreateVSwitchInput): Promise<VSwitchRef>;
  waitVSwitchAvailable(input: VSwitchRef): Promise<VSwitchRef>;
  createSecurityGroup(input: CreateSecurityGroupInput): Promise<SecurityGroupRef>;
  authorizeSecurityGroupIngress(input: AuthorizeIngressInput): Promise<void>;
  runBackendInstance(input: RunBackendInstanceInput): Promise<EcsInstanceRef>;
  waitBackendInstanceRunning(input: EcsInstanceRef): Promise<BackendInstanceReady>;
  createDedicatedInstance(input: CreateDedicatedInstanceInput): Promise<GatewayInstanceRef>;
  waitDedicatedInstanceRunning(input: GatewayInstanceRef): Promise<GatewayInstanceReady>;

  // Runbook step 2 (Scenario 1) / 5 (Scenario 2): API with a VPC backend, published.
  createVpcAccess(input: CreateVpcAccessInput): Promise<VpcAccessRef>;
  createApiGroup(input: CreateApiGroupInput): Promise<ApiGroupRef>;
  createApi(input: CreateApiInput): Promise<ApiRef>;
  deployApi(input: DeployApiInput): Promise<void>;

  // Step 3 / 6: bind the dedicated instance to the user VPC (then waitDedicatedInstanceRunning).
  bindInstanceToVpc(input: BindInstanceToVpcInput): Promise<void>;

  // Step 4 / 7: VPC intranet subdomain.
  enableVpcSubdomain(input: EnableVpcSubdomainInput): Promise<VpcSubdomain>;

  // Steps 5-6 / 8-9: the function, its role and VPC access.
  createFcRole(input: CreateFcRoleInput): Promise<FcRoleRef>;
  createFunction(input: CreateFunctionInput): Promise<FunctionRef>;
  waitFunctionActive(input: FunctionRef): Promise<FunctionRef>;

  // Step 7 / 10: verify.
  invokeFunction(input: FunctionRef): Promise<InvocationResult>;
  diagnoseReachability(input: DiagnoseInput): Promise<ReachabilityDiagnosis>;

  // Scenario 2 steps 2-4: CEN.
  createCen(input: CreateCenInput): Promise<CenRef>;
  waitCenActive(input: CenRef): Promise<CenRef>;
  attachVpcToCen(input: AttachVpcToCenInput): Promise<void>;
  createBandwidthPackage(input: CreateBandwidthPackageInput): Promise<BandwidthPackageRef>;
  associateBandwidthPackage(input: AssociateBandwidthPackageInput): Promise<void>;
  setInterRegionBandwidth(input: SetInterRegionBandwidthInput): Promise<void>;
  /** DescribeRouteServicesInCen for the ticket's parameters (auto-detect of the support desk's work). */
  describeRouteService(input: CenRouteTicketRequest): Promise<RouteServiceState>;

  // Deletes, one per inventory kind (teardown and saga). NotFound → { outcome: 'notFound' }.
  deleteFunction(item: InventoryItemOf<'fcFunction'>): Promise<DeleteOutcome>;
  /** Detaches the policy, then deletes the role. */
  deleteFcRole(item: InventoryItemOf<'ramRole'>): Promise<DeleteOutcome>;
  /** Abolishes the API from its stage, then deletes it. */
  deleteApi(item: InventoryItemOf<'api'>): Promise<DeleteOutcome>;
  /** Switches the VPC subdomain off if on, then deletes the group. */
  deleteApiGroup(item: InventoryItemOf<'apiGroup'>): Promise<DeleteOutcome>;
  removeVpcAccess(item: InventoryItemOf<'vpcAccess'>): Promise<DeleteOutcome>;
  /** Unbinds the user VPC and waits for the instance to be RUNNING again. */
  unbindInstanceFromVpc(item: InventoryItemOf<'gatewayVpcBinding'>): Promise<DeleteOutcome>;
  deleteDedicatedInstance(item: InventoryItemOf<'gatewayInstance'>): Promise<DeleteOutcome>;
  deleteRouteService(item: InventoryItemOf<'cenRouteService'>): Promise<DeleteOutcome>;
  /** Sets the inter-region limit back to 0. */
  resetInterRegionBandwidth(item: InventoryItemOf<'cenInterRegionBandwidth'>): Promise<DeleteOutcome>;
  /** Unassociates from the CEN, then deletes; a prepaid package → needsHuman. */
  deleteBandwidthPackage(item: InventoryItemOf<'cenBandwidthPackage'>): Promise<DeleteOutcome>;
  detachVpcFromCen(item: InventoryItemOf<'cenAttachment'>): Promise<DeleteOutcome>;
  deleteCen(item: InventoryItemOf<'cen'>): Promise<DeleteOutcome>;
  deleteBackendInstance(item: InventoryItemOf<'ecsInstance'>): Promise<DeleteOutcome>;
  /** DependencyViolation (ENIs still attached) is retryable: the activity keeps trying. */
  deleteSecurityGroup(item: InventoryItemOf<'securityGroup'>): Promise<DeleteOutcome>;
  deleteVSwitch(item: InventoryItemOf<'vSwitch'>): Promise<DeleteOutcome>;
  deleteVpc(item: InventoryItemOf<'vpc'>): Promise<DeleteOutcome>;
}

export type ActivityName = keyof Activities;

/** Which delete activity removes each inventory kind (one place; teardown and saga both use it). */
export const DELETE_ACTIVITY_BY_KIND = {
  fcFunction: 'deleteFunction',
  ramRole: 'deleteFcRole',
  api: 'deleteApi',
  apiGroup: 'deleteApiGroup',
  vpcAccess: 'removeVpcAccess',
  gatewayVpcBinding: 'unbindInstanceFromVpc',
  gatewayInstance: 'deleteDedicatedInstance',
  cenRouteService: 'deleteRouteService',
  cenInterRegionBandwidth: 'resetInterRegionBandwidth',
  cenBandwidthPackage: 'deleteBandwidthPackage',
  cenAttachment: 'detachVpcFromCen',
  cen: 'deleteCen',
  ecsInstance: 'deleteBackendInstance',
  securityGroup: 'deleteSecurityGroup',
  vSwitch: 'deleteVSwitch',
  vpc: 'deleteVpc',
} as const satisfies { [K in InventoryKind]: ActivityName };

/**
 * Safe deletion order from notes/alibaba-apis.md: FC function → RAM role → (CEN route service) → API Gateway (API, group, VPC
 * access, binding, instance) → CEN (bandwidth, package, attachments, CEN) → ECS, security
 * groups → vSwitches → VPCs. Earlier kinds are deleted first.
 */
export const TEARDOWN_ORDER: readonly InventoryKind[] = [
  'fcFunction',
  'ramRole',
  // Ahead of the notes' CEN block: the route service points at the gateway instance's egress CIDR, so it
  // goes before the instance it routes to (the step table's dependencies demand it; see step-table.test.ts).
  'cenRouteService',
  'api',
  'apiGroup',
  'vpcAccess',
  'gatewayVpcBinding',
  'gatewayInstance',
  'cenInterRegionBandwidth',
  'cenBandwidthPackage',
  'cenAttachment',
  'cen',
  'ecsInstance',
  'securityGroup',
  'vSwitch',
  'vpc',
];

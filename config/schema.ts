import { z } from 'zod';
import { parseDuration } from './durations';

/**
 * The run input: one schema, defaults taken from the runbook (reference/seed-fc-apigateway-vpc.txt).
 * Field-level rules live here; rules that relate several fields live in ./rules.ts.
 * The parsed value is plain JSON (it becomes workflow input and lands in history): never put secrets here.
 */

export const SCENARIOS = ['same-region', 'cross-region'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Dedicated API Gateway instance specs. The runbook's one limit: only a dedicated instance works. */
export const DEDICATED_INSTANCE_SPECS = [
  'api.s1.small',
  'api.m1.medium',
  'api.m2.medium',
  'api.l1.large',
  'api.l2.large',
  'api.xl1.xlarge',
  'api.xxl1.xxlarge',
] as const;

export const FUNCTION_RUNTIMES = ['python3.10', 'python3.9', 'python3.12'] as const;

const regionId = z.string().regex(/^[a-z]{2}-[a-z]+(-\d+)?$/, 'must look like a region id, e.g. cn-shanghai');

/** Alibaba's common rule for VPC, vSwitch, ECS, security group and CEN names. */
const resourceName = z
  .string()
  .min(2, 'must be 2-128 characters')
  .max(128, 'must be 2-128 characters')
  .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'must start with a letter and contain only letters, digits, ".", "_" and "-"');

/** API group and API names (CloudAPI): 4-50 characters, letters, digits and underscores. */
const gatewayName = z
  .string()
  .min(4, 'must be 4-50 characters')
  .max(50, 'must be 4-50 characters')
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must start with a letter and contain only letters, digits and "_"');

const functionName = z
  .string()
  .min(1, 'must be 1-64 characters')
  .max(64, 'must be 1-64 characters')
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must start with a letter or "_" and contain only letters, digits, "_" and "-"');

const ramRoleName = z
  .string()
  .min(1, 'must be 1-64 characters')
  .max(64, 'must be 1-64 characters')
  .regex(/^[A-Za-z0-9.-]+$/, 'must contain only letters, digits, "." and "-"');

const urlPath = z
  .string()
  .regex(/^\/[A-Za-z0-9._~\-/]*$/, 'must be an absolute URL path such as /web/cloudapi (letters, digits, . _ ~ - /)');

const port = z.number().int('must be a whole number').min(1, 'must be 1-65535').max(65535, 'must be 1-65535');

/** Accepts "90s", "6h", "7d" or milliseconds; yields milliseconds. */
const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration: use e.g. "30s", "15m", "6h", "7d"` });
    return z.NEVER;
  }
  return ms;
});

const vSwitchSchema = z.strictObject({
  name: resourceName,
  zoneId: z.string().regex(/^[a-z]{2}-[a-z]+(-\d+)?-[a-z0-9]+$/i, 'must look like a zone id, e.g. cn-shanghai-b'),
  cidr: z.string(),
});

function vpcSchema(defaults: { name: string; cidr: string; vSwitch: z.input<typeof vSwitchSchema> }) {
  return z
    .strictObject({
      name: resourceName.default(defaults.name),
      cidr: z.string().default(defaults.cidr),
      vSwitch: z
        .strictObject({
          name: resourceName.default(defaults.vSwitch.name),
          zoneId: vSwitchSchema.shape.zoneId.default(defaults.vSwitch.zoneId),
          cidr: z.string().default(defaults.vSwitch.cidr),
        })
        .prefault({}),
    })
    .prefault({});
}

export const runConfigSchema = z.strictObject({
  scenario: z.enum(SCENARIOS),
  regions: z
    .strictObject({
      /** API Gateway, vpc-api-access, vpc-backend-1 and the ECS backend (runbook: China (Shanghai)). */
      gateway: regionId.default('cn-shanghai'),
      /** Function Compute and vpc-fc-access in Scenario 2 (runbook: China (Zhangjiakou)). Scenario 1 uses `gateway`. */
      function: regionId.default('cn-zhangjiakou'),
    })
    .prefault({}),
  vpcs: z
    .strictObject({
      apiAccess: vpcSchema({
        name: 'vpc-api-access',
        cidr: '192.168.0.0/16',
        vSwitch: { name: 'vsw-api-access', zoneId: 'cn-shanghai-b', cidr: '192.168.1.0/24' },
      }),
      backend: vpcSchema({
        name: 'vpc-backend-1',
        cidr: '172.16.0.0/16',
        vSwitch: { name: 'vsw-backend-1', zoneId: 'cn-shanghai-b', cidr: '172.16.1.0/24' },
      }),
      /** Only used by the cross-region scenario. */
      fcAccess: vpcSchema({
        name: 'vpc-fc-access',
        cidr: '10.0.0.0/16',
        vSwitch: { name: 'vsw-fc-access', zoneId: 'cn-zhangjiakou-a', cidr: '10.0.1.0/24' },
      }),
    })
    .prefault({}),
  backend: z
    .strictObject({
      instanceName: resourceName.default('ecs-backend-1'),
      imageId: z.string().min(1, 'must name an ECS image').default('aliyun_3_x64_20G_alibase_20240819.vhd'),
      instanceType: z
        .string()
        .regex(/^ecs\.[a-z0-9-]+\.[a-z0-9]+$/, 'must look like an ECS instance type, e.g. ecs.e-c1m1.large')
        .default('ecs.e-c1m1.large'),
      securityGroupName: resourceName.default('sg-backend-1'),
      port: port.default(8080),
      path: urlPath.default('/web/cloudapi'),
    })
    .prefault({}),
  gateway: z
    .strictObject({
      instanceName: resourceName.default('apigw-dedicated'),
      instanceSpec: z.string().default('api.s1.small'),
      /** Omitted: preflight picks a zone that offers dedicated instances. */
      zoneId: z.string().optional(),
      httpsPolicy: z.enum(['HTTPS2_TLS1_0', 'HTTPS2_TLS1_2', 'HTTPS1_1_TLS1_0']).default('HTTPS2_TLS1_2'),
      vpcAccessName: resourceName.default('vpc-backend-1-ecs'),
      groupName: gatewayName.default('fc_private_access'),
      apiName: gatewayName.default('web_cloudapi'),
      /** Request path of the API on the gateway; the backend path is `backend.path`. */
      apiPath: urlPath.default('/web/cloudapi'),
      stageName: z.enum(['RELEASE', 'PRE', 'TEST']).default('RELEASE'),
      /**
       * Default true: the runbook's goal is private access and its API uses "No Certification", so a
       * public subdomain would publish an anonymous API to the internet. Cost: no online debugging in
       * the console (runbook step 4 note). Set false to keep the internet subdomain.
       */
      disableInternetSubdomain: z.boolean().default(true),
    })
    .prefault({}),
  cen: z
    .strictObject({
      name: resourceName.default('cen-fc-apigw'),
      bandwidthPackageName: resourceName.default('cen-bwp-fc-apigw'),
      bandwidthMbps: z.number().int('must be a whole number of Mbit/s').min(1).max(10_000).default(2),
      /** The runbook "purchases" a plan: prepaid, which the API cannot delete (teardown reports it). */
      bandwidthChargeType: z.enum(['PREPAY', 'POSTPAY']).default('PREPAY'),
      prepaidMonths: z.number().int().min(1).max(36).default(1),
    })
    .prefault({}),
  function: z
    .strictObject({
      name: functionName.default('fc-call-api-over-vpc'),
      runtime: z.enum(FUNCTION_RUNTIMES).default('python3.10'),
      memoryMb: z.number().int().min(128).max(32_768).default(128),
      timeoutSeconds: z.number().int().min(1).max(600).default(30),
      roleName: ramRoleName.default('fc-apigw-vpc-eni-role'),
      /** Runbook step 6: the system policy that lets FC plug an ENI into the VPC. */
      policyName: z.string().min(1).default('AliyunECSNetworkInterfaceManagementAccess'),
      securityGroupName: resourceName.default('sg-fc-access'),
    })
    .prefault({}),
  ticket: z
    .strictObject({
      reminderInterval: duration.default(6 * 3_600_000),
      deadline: duration.default(7 * 86_400_000),
      /** Poll DescribeRouteServicesInCen and go on once the route is Active, without waiting for the signal. */
      autoDetect: z.boolean().default(false),
      autoDetectInterval: duration.default(5 * 60_000),
    })
    .prefault({}),
  /** Keep what a failed run created, for inspection, instead of compensating. */
  keepOnFailure: z.boolean().default(false),
});

/** What a user may write (every field optional except the scenario). */
export type RunConfigInput = z.input<typeof runConfigSchema>;
/** The validated, fully defaulted run configuration: plain JSON, the workflows' input. */
export type RunConfig = z.output<typeof runConfigSchema>;

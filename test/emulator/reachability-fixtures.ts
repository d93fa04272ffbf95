/**
 * The runbook's reachability chain built record by record (the shapes of the team's emulator-records
 * table), and the single broken links the tests apply to it. Shared by the pure-model tests and the
 * HTTP invocation tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorHandle, ProductName } from '../../emulator';
import { zipOf } from './fc-fixtures';

export const SH = 'cn-shanghai';
export const ZJK = 'cn-zhangjiakou';
export const EGRESS = '100.104.255.128/26';
export const INSTANCE = 'apigateway-sh-0123456789ab';
export const GROUP = 'f'.repeat(32);
export const VPC_DOMAIN = `${GROUP}-${SH}-vpc.alicloudapi.com`;
export const URL_OK = `http://${VPC_DOMAIN}/web/cloudapi`;

function insert(
  emu: EmulatorHandle,
  product: ProductName,
  type: string,
  id: string,
  region: string,
  status: string,
  attrs: Record<string, unknown>,
) {
  emu.store.insert({ product, type, id, region, status, attrs });
}

export const patch = (emu: EmulatorHandle, type: string, id: string, attrs: Record<string, unknown>, status?: string) =>
  emu.store.update(type, id, { attrs, ...(status ? { status } : {}) });

export const userData = Buffer.from(
  '#!/bin/bash\nPORT=8080 API_PATH=/web/cloudapi nohup python3 service.py &\n',
).toString('base64');

/**
 * The gateway side, shared by both scenarios: dedicated instance bound to vpc-api-access, a group with
 * its VPC domain on, a VPC authorization for the backend ECS (tcp 8080 open to the egress CIDR) and an
 * anonymous API deployed to RELEASE.
 */
function buildGatewaySide(emu: EmulatorHandle): void {
  insert(emu, 'vpc', 'Vpc', 'vpc-api-access', SH, 'Available', { cidrBlock: '192.168.0.0/16' });
  insert(emu, 'vpc', 'VSwitch', 'vsw-api-access', SH, 'Available', { vpcId: 'vpc-api-access', zoneId: `${SH}-b` });
  insert(emu, 'vpc', 'Vpc', 'vpc-backend-1', SH, 'Available', { cidrBlock: '172.16.0.0/16' });
  insert(emu, 'ecs', 'SecurityGroup', 'sg-backend', SH, 'Available', {
    vpcId: 'vpc-backend-1',
    rules: [
      {
        direction: 'ingress',
        ipProtocol: 'tcp',
        portRange: '8080/8080',
        sourceCidrIp: EGRESS,
        policy: 'accept',
        priority: 1,
      },
    ],
  });
  insert(emu, 'ecs', 'EcsInstance', 'i-backend', SH, 'Running', {
    vpcId: 'vpc-backend-1',
    vSwitchId: 'vsw-backend',
    securityGroupIds: ['sg-backend'],
    privateIpAddress: '172.16.1.10',
    userData,
  });
  insert(emu, 'cloudapi', 'ApiGatewayInstance', INSTANCE, SH, 'RUNNING', {
    instanceSpec: 'api.s1.small',
    instanceType: 'VPC_DEDICATED',
    zoneId: `${SH}-b`,
    vpcEgressAddress: EGRESS,
    httpsPolicy: 'HTTPS2_TLS1_0',
    chargeType: 'PostPaid',
    boundVpc: { vpcId: 'vpc-api-access', vSwitchId: 'vsw-api-access', vpcOwnerId: emu.accountId },
  });
  insert(emu, 'cloudapi', 'ApiGroup', GROUP, SH, 'NORMAL', {
    instanceId: INSTANCE,
    groupName: 'fc_access',
    description: '',
    basePath: '/',
    subDomain: `${GROUP}-${SH}.alicloudapi.com`,
    vpcDomain: VPC_DOMAIN,
    vpcIntranetEnable: true,
    internetEnable: false,
    modifiedAt: new Date().toISOString(),
  });
  insert(emu, 'cloudapi', 'VpcAccess', 'backend_8080', SH, 'Available', {
    name: 'backend_8080',
    vpcAccessId: 'a'.repeat(32),
    vpcId: 'vpc-backend-1',
    instanceId: 'i-backend',
    port: 8080,
    region: SH,
    description: '',
  });
  const requestConfig = {
    RequestProtocol: 'HTTP',
    RequestHttpMethod: 'GET',
    RequestPath: '/web/cloudapi',
    RequestMode: 'PASSTHROUGH',
  };
  const serviceConfig = {
    ServiceProtocol: 'HTTP',
    ServiceHttpMethod: 'GET',
    ServicePath: '/web/cloudapi',
    ServiceTimeout: 10000,
    ServiceVpcEnable: 'TRUE',
    VpcConfig: { Name: 'backend_8080', VpcId: 'vpc-backend-1', InstanceId: 'i-backend', Port: 8080 },
  };
  insert(emu, 'cloudapi', 'Api', 'b'.repeat(32), SH, 'NORMAL', {
    groupId: GROUP,
    apiName: 'web_cloudapi',
    description: '',
    visibility: 'PRIVATE',
    authType: 'ANONYMOUS',
    resultType: 'JSON',
    requestConfig,
    serviceConfig,
    deployedStages: {
      RELEASE: {
        deployedAt: '',
        description: '',
        effectiveVersion: '1',
        requestConfig,
        serviceConfig,
        authType: 'ANONYMOUS',
      },
    },
    modifiedAt: new Date().toISOString(),
  });
  // Long enough for cloud-init on the ECS instance to have the service up.
  emu.advanceClock(10 * 60_000);
  insert(emu, 'ram', 'RamRole', 'fc-vpc-role', SH, 'Active', {
    assumeRolePolicyDocument: JSON.stringify({
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }],
      Version: '1',
    }),
    policies: [{ policyName: 'AliyunECSNetworkInterfaceManagementAccess', policyType: 'System' }],
  });
}

function insertFunction(
  emu: EmulatorHandle,
  region: string,
  vpcId: string,
  code: string,
  handler = 'index.handler',
): void {
  insert(emu, 'vpc', 'VSwitch', `vsw-fc-${region}`, region, 'Available', { vpcId, zoneId: `${region}-a` });
  insert(emu, 'ecs', 'SecurityGroup', `sg-fc-${region}`, region, 'Available', { vpcId, rules: [] });
  insert(emu, 'fc', 'FcFunction', 'caller', region, 'Active', {
    functionId: 'id',
    runtime: 'python3.10',
    handler,
    role: `acs:ram::${emu.accountId}:role/fc-vpc-role`,
    vpcConfig: { vpcId, vSwitchIds: [`vsw-fc-${region}`], securityGroupId: `sg-fc-${region}` },
    internetAccess: false,
    code,
    codeSize: 0,
    codeChecksum: '0',
    environmentVariables: { API_URL: URL_OK, TIMEOUT_SECONDS: '5' },
    timeout: 30,
    memorySize: 512,
    cpu: 0.35,
    diskSize: 512,
    instanceConcurrency: 1,
    description: '',
    lastModifiedTime: '',
    lastUpdateStatus: 'Successful',
    updateDoneAt: 0,
  });
}

/** Scenario 1: the function runs in vpc-api-access, the VPC the instance is bound to. */
export function scenario1(emu: EmulatorHandle, code = ''): void {
  buildGatewaySide(emu);
  insertFunction(emu, SH, 'vpc-api-access', code);
}

/** Scenario 2: the function runs in vpc-fc-access (Zhangjiakou), joined to vpc-api-access by a CEN. */
export function scenario2(emu: EmulatorHandle, code = ''): void {
  buildGatewaySide(emu);
  insert(emu, 'vpc', 'Vpc', 'vpc-fc-access', ZJK, 'Available', { cidrBlock: '10.10.0.0/16' });
  insertFunction(emu, ZJK, 'vpc-fc-access', code);
  insert(emu, 'cbn', 'Cen', 'cen-1', 'global', 'Active', { description: '', protectionLevel: 'REDUCED' });
  for (const [vpcId, region] of [
    ['vpc-api-access', SH],
    ['vpc-fc-access', ZJK],
  ] as const) {
    insert(emu, 'cbn', 'CenAttachment', `cen-1/${vpcId}`, region, 'Attached', {
      cenId: 'cen-1',
      childInstanceId: vpcId,
      childInstanceType: 'VPC',
      childInstanceRegionId: region,
    });
  }
  insert(emu, 'cbn', 'CenInterRegionBandwidthLimit', `cen-1/${SH}/${ZJK}`, SH, 'Active', {
    cenId: 'cen-1',
    localRegionId: SH,
    oppositeRegionId: ZJK,
    bandwidthLimit: 2,
  });
  insert(emu, 'cbn', 'CenRouteService', `cen-1/${EGRESS}/${SH}/${ZJK}`, SH, 'Active', {
    cenId: 'cen-1',
    host: EGRESS,
    hostRegionId: SH,
    hostVpcId: 'vpc-api-access',
    accessRegionId: ZJK,
  });
}

export interface Break {
  link: string;
  apply: (emu: EmulatorHandle) => void;
  url?: string;
  symptom: string;
  missingLink: string;
}

export const commonBreaks: Break[] = [
  {
    link: 'SG rule',
    apply: (emu) => patch(emu, 'SecurityGroup', 'sg-backend', { rules: [] }),
    symptom: 'http-504',
    missingLink: 'security-group',
  },
  {
    link: 'SG rule shadowed by a drop of higher priority',
    apply: (emu) =>
      patch(emu, 'SecurityGroup', 'sg-backend', {
        rules: [
          {
            direction: 'ingress',
            ipProtocol: 'tcp',
            portRange: '8080/8080',
            sourceCidrIp: EGRESS,
            policy: 'accept',
            priority: 10,
          },
          {
            direction: 'ingress',
            ipProtocol: 'all',
            portRange: '-1/-1',
            sourceCidrIp: '0.0.0.0/0',
            policy: 'drop',
            priority: 1,
          },
        ],
      }),
    symptom: 'http-504',
    missingLink: 'security-group',
  },
  {
    link: 'SG rule for a narrower source than the egress CIDR',
    apply: (emu) =>
      patch(emu, 'SecurityGroup', 'sg-backend', {
        rules: [
          {
            direction: 'ingress',
            ipProtocol: 'tcp',
            portRange: '8080/8080',
            sourceCidrIp: '100.104.255.128/28',
            policy: 'accept',
            priority: 1,
          },
        ],
      }),
    symptom: 'http-504',
    missingLink: 'security-group',
  },
  {
    link: 'binding',
    apply: (emu) => patch(emu, 'ApiGatewayInstance', INSTANCE, { boundVpc: undefined }),
    symptom: 'timeout',
    missingLink: 'vpc-binding',
  },
  {
    link: 'instance rebinding',
    apply: (emu) => patch(emu, 'ApiGatewayInstance', INSTANCE, {}, 'MODIFYING'),
    symptom: 'timeout',
    missingLink: 'gateway-instance',
  },
  {
    link: 'VPC subdomain',
    apply: (emu) => patch(emu, 'ApiGroup', GROUP, { vpcIntranetEnable: false, vpcDomain: undefined }),
    symptom: 'dns-failure',
    missingLink: 'vpc-subdomain',
  },
  {
    link: 'deployment',
    apply: (emu) => patch(emu, 'Api', 'b'.repeat(32), { deployedStages: {} }),
    symptom: 'http-404',
    missingLink: 'api-deployment',
  },
  {
    link: 'request path (wrong URL)',
    apply: () => undefined,
    url: `http://${VPC_DOMAIN}/web/other`,
    symptom: 'http-404',
    missingLink: 'api-path',
  },
  {
    link: 'VPC access',
    apply: (emu) => emu.store.remove('VpcAccess', 'backend_8080'),
    symptom: 'http-504',
    missingLink: 'vpc-access',
  },
  {
    link: 'ECS running',
    apply: (emu) => patch(emu, 'EcsInstance', 'i-backend', {}, 'Stopped'),
    symptom: 'http-504',
    missingLink: 'ecs-instance',
  },
  {
    link: 'service on 8080',
    apply: (emu) =>
      patch(emu, 'EcsInstance', 'i-backend', { userData: Buffer.from('#!/bin/bash\necho idle\n').toString('base64') }),
    symptom: 'http-504',
    missingLink: 'backend-service',
  },
  {
    link: 'role policy',
    apply: (emu) => patch(emu, 'RamRole', 'fc-vpc-role', { policies: [] }),
    symptom: 'timeout',
    missingLink: 'role-policy',
  },
  {
    link: 'service still starting (ECS instance just created)',
    apply: (emu) => {
      const ecs = emu.store.get('EcsInstance', 'i-backend');
      if (!ecs) throw new Error('no backend instance');
      emu.store.remove('EcsInstance', ecs.id);
      emu.store.insert({ ...ecs });
    },
    symptom: 'http-504',
    missingLink: 'backend-service',
  },
  {
    link: 'port (8080 instead of 80)',
    apply: () => undefined,
    url: `http://${VPC_DOMAIN}:8080/web/cloudapi`,
    symptom: 'connection-refused',
    missingLink: 'port',
  },
  {
    link: 'internet subdomain from a VPC-only function',
    apply: (emu) => patch(emu, 'ApiGroup', GROUP, { internetEnable: true }),
    url: `http://${GROUP}-${SH}.alicloudapi.com/web/cloudapi`,
    symptom: 'timeout',
    missingLink: 'internet-access',
  },
];

export const scenario2Breaks: Break[] = [
  {
    link: 'route service',
    apply: (emu) => emu.store.remove('CenRouteService', `cen-1/${EGRESS}/${SH}/${ZJK}`),
    symptom: 'timeout',
    missingLink: 'cen-route-service',
  },
  {
    link: 'route service still Creating',
    apply: (emu) => patch(emu, 'CenRouteService', `cen-1/${EGRESS}/${SH}/${ZJK}`, {}, 'Creating'),
    symptom: 'timeout',
    missingLink: 'cen-route-service',
  },
  {
    link: 'route service for another access region',
    apply: (emu) => patch(emu, 'CenRouteService', `cen-1/${EGRESS}/${SH}/${ZJK}`, { accessRegionId: 'cn-beijing' }),
    symptom: 'timeout',
    missingLink: 'cen-route-service',
  },
  {
    link: "the function VPC's attachment",
    apply: (emu) => emu.store.remove('CenAttachment', 'cen-1/vpc-fc-access'),
    symptom: 'timeout',
    missingLink: 'cen-attachment',
  },
  {
    link: "the gateway VPC's attachment (Detaching)",
    apply: (emu) => patch(emu, 'CenAttachment', 'cen-1/vpc-api-access', {}, 'Detaching'),
    symptom: 'timeout',
    missingLink: 'cen-attachment',
  },
  {
    link: 'inter-region bandwidth',
    apply: (emu) => patch(emu, 'CenInterRegionBandwidthLimit', `cen-1/${SH}/${ZJK}`, { bandwidthLimit: 0 }),
    symptom: 'timeout',
    missingLink: 'cen-bandwidth',
  },
  {
    link: 'inter-region bandwidth still Modifying',
    apply: (emu) => patch(emu, 'CenInterRegionBandwidthLimit', `cen-1/${SH}/${ZJK}`, {}, 'Modifying'),
    symptom: 'timeout',
    missingLink: 'cen-bandwidth',
  },
];

/** Each scenario with the function's region and the links whose removal it must notice. */
export interface Scenario {
  name: string;
  build: (emu: EmulatorHandle, code?: string) => void;
  region: string;
  breaks: Break[];
}

export const SCENARIOS: Scenario[] = [
  { name: 'Scenario 1', build: scenario1, region: SH, breaks: commonBreaks },
  {
    name: 'Scenario 2',
    build: scenario2,
    region: ZJK,
    breaks: [
      ...scenario2Breaks,
      ...commonBreaks.filter((b) =>
        ['binding', 'SG rule', 'VPC subdomain', 'deployment', 'role policy'].includes(b.link),
      ),
    ],
  },
];

/** The project's function, as the product ships it. */
export const PROJECT_FUNCTION = zipOf({
  'index.py': readFileSync(join(__dirname, '../../activities/assets/fc-function/index.py'), 'utf8'),
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { crc32, deflateRawSync } from 'node:zlib';
import { startEmulator } from '../../emulator';
import type { EmulatorHandle, ProductName, RoaRequest } from '../../emulator';
import { products } from '../../emulator/products';
import { fcProduct } from '../../emulator/products/fc';
import { evaluateReachability } from '../../emulator/products/fc/reachability';
import { setCodeExecution } from '../../emulator/products/fc/settings';

/*
 * The reachability chain of the runbook, built record by record (the shapes of the team's
 * emulator-records table), then broken one link at a time. The pure model is checked for every link;
 * real Python (the project's own function, and a raw-socket one) is checked through InvokeFunction.
 */

const SH = 'cn-shanghai';
const ZJK = 'cn-zhangjiakou';
const EGRESS = '100.104.255.128/26';
const INSTANCE = 'apigateway-sh-0123456789ab';
const GROUP = 'f'.repeat(32);
const VPC_DOMAIN = `${GROUP}-${SH}-vpc.alicloudapi.com`;
const URL_OK = `http://${VPC_DOMAIN}/web/cloudapi`;

let emu: EmulatorHandle;
beforeEach(async () => {
  // A frozen clock: only advanceClock moves time (the ECS service start-up is part of the model).
  const frozen = Date.now();
  emu = await startEmulator({ port: 0, clock: () => frozen });
});
afterEach(() => emu.close());

function insert(
  product: ProductName,
  type: string,
  id: string,
  region: string,
  status: string,
  attrs: Record<string, unknown>,
) {
  emu.store.insert({ product, type, id, region, status, attrs });
}

const patch = (type: string, id: string, attrs: Record<string, unknown>, status?: string) =>
  emu.store.update(type, id, { attrs, ...(status ? { status } : {}) });

const userData = Buffer.from('#!/bin/bash\nPORT=8080 API_PATH=/web/cloudapi nohup python3 service.py &\n').toString(
  'base64',
);

/**
 * The gateway side, shared by both scenarios: dedicated instance bound to vpc-api-access, a group with
 * its VPC domain on, a VPC authorization for the backend ECS (tcp 8080 open to the egress CIDR) and an
 * anonymous API deployed to RELEASE.
 */
function buildGatewaySide(): void {
  insert('vpc', 'Vpc', 'vpc-api-access', SH, 'Available', { cidrBlock: '192.168.0.0/16' });
  insert('vpc', 'VSwitch', 'vsw-api-access', SH, 'Available', { vpcId: 'vpc-api-access', zoneId: `${SH}-b` });
  insert('vpc', 'Vpc', 'vpc-backend-1', SH, 'Available', { cidrBlock: '172.16.0.0/16' });
  insert('ecs', 'SecurityGroup', 'sg-backend', SH, 'Available', {
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
  insert('ecs', 'EcsInstance', 'i-backend', SH, 'Running', {
    vpcId: 'vpc-backend-1',
    vSwitchId: 'vsw-backend',
    securityGroupIds: ['sg-backend'],
    privateIpAddress: '172.16.1.10',
    userData,
  });
  insert('cloudapi', 'ApiGatewayInstance', INSTANCE, SH, 'RUNNING', {
    instanceSpec: 'api.s1.small',
    instanceType: 'VPC_DEDICATED',
    zoneId: `${SH}-b`,
    vpcEgressAddress: EGRESS,
    httpsPolicy: 'HTTPS2_TLS1_0',
    chargeType: 'PostPaid',
    boundVpc: { vpcId: 'vpc-api-access', vSwitchId: 'vsw-api-access', vpcOwnerId: emu.accountId },
  });
  insert('cloudapi', 'ApiGroup', GROUP, SH, 'NORMAL', {
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
  insert('cloudapi', 'VpcAccess', 'backend_8080', SH, 'Available', {
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
  insert('cloudapi', 'Api', 'b'.repeat(32), SH, 'NORMAL', {
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
  insert('ram', 'RamRole', 'fc-vpc-role', SH, 'Active', {
    assumeRolePolicyDocument: JSON.stringify({
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }],
      Version: '1',
    }),
    policies: [{ policyName: 'AliyunECSNetworkInterfaceManagementAccess', policyType: 'System' }],
  });
}

function insertFunction(region: string, vpcId: string, code: string, handler = 'index.handler'): void {
  insert('vpc', 'VSwitch', `vsw-fc-${region}`, region, 'Available', { vpcId, zoneId: `${region}-a` });
  insert('ecs', 'SecurityGroup', `sg-fc-${region}`, region, 'Available', { vpcId, rules: [] });
  insert('fc', 'FcFunction', 'caller', region, 'Active', {
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
function scenario1(code = ''): void {
  buildGatewaySide();
  insertFunction(SH, 'vpc-api-access', code);
}

/** Scenario 2: the function runs in vpc-fc-access (Zhangjiakou), joined to vpc-api-access by a CEN. */
function scenario2(code = ''): void {
  buildGatewaySide();
  insert('vpc', 'Vpc', 'vpc-fc-access', ZJK, 'Available', { cidrBlock: '10.10.0.0/16' });
  insertFunction(ZJK, 'vpc-fc-access', code);
  insert('cbn', 'Cen', 'cen-1', 'global', 'Active', { description: '', protectionLevel: 'REDUCED' });
  for (const [vpcId, region] of [
    ['vpc-api-access', SH],
    ['vpc-fc-access', ZJK],
  ] as const) {
    insert('cbn', 'CenAttachment', `cen-1/${vpcId}`, region, 'Attached', {
      cenId: 'cen-1',
      childInstanceId: vpcId,
      childInstanceType: 'VPC',
      childInstanceRegionId: region,
    });
  }
  insert('cbn', 'CenInterRegionBandwidthLimit', `cen-1/${SH}/${ZJK}`, SH, 'Active', {
    cenId: 'cen-1',
    localRegionId: SH,
    oppositeRegionId: ZJK,
    bandwidthLimit: 2,
  });
  insert('cbn', 'CenRouteService', `cen-1/${EGRESS}/${SH}/${ZJK}`, SH, 'Active', {
    cenId: 'cen-1',
    host: EGRESS,
    hostRegionId: SH,
    hostVpcId: 'vpc-api-access',
    accessRegionId: ZJK,
  });
}

const check = (url = URL_OK) => evaluateReachability(emu.store, emu.context, { functionName: 'caller', url });

interface Break {
  link: string;
  apply: () => void;
  url?: string;
  symptom: string;
  missingLink: string;
}

const commonBreaks: Break[] = [
  {
    link: 'SG rule',
    apply: () => patch('SecurityGroup', 'sg-backend', { rules: [] }),
    symptom: 'http-504',
    missingLink: 'security-group',
  },
  {
    link: 'SG rule shadowed by a drop of higher priority',
    apply: () =>
      patch('SecurityGroup', 'sg-backend', {
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
    apply: () =>
      patch('SecurityGroup', 'sg-backend', {
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
    apply: () => patch('ApiGatewayInstance', INSTANCE, { boundVpc: undefined }),
    symptom: 'timeout',
    missingLink: 'vpc-binding',
  },
  {
    link: 'instance rebinding',
    apply: () => patch('ApiGatewayInstance', INSTANCE, {}, 'MODIFYING'),
    symptom: 'timeout',
    missingLink: 'gateway-instance',
  },
  {
    link: 'VPC subdomain',
    apply: () => patch('ApiGroup', GROUP, { vpcIntranetEnable: false, vpcDomain: undefined }),
    symptom: 'dns-failure',
    missingLink: 'vpc-subdomain',
  },
  {
    link: 'deployment',
    apply: () => patch('Api', 'b'.repeat(32), { deployedStages: {} }),
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
    apply: () => emu.store.remove('VpcAccess', 'backend_8080'),
    symptom: 'http-504',
    missingLink: 'vpc-access',
  },
  {
    link: 'ECS running',
    apply: () => patch('EcsInstance', 'i-backend', {}, 'Stopped'),
    symptom: 'http-504',
    missingLink: 'ecs-instance',
  },
  {
    link: 'service on 8080',
    apply: () =>
      patch('EcsInstance', 'i-backend', { userData: Buffer.from('#!/bin/bash\necho idle\n').toString('base64') }),
    symptom: 'http-504',
    missingLink: 'backend-service',
  },
  {
    link: 'role policy',
    apply: () => patch('RamRole', 'fc-vpc-role', { policies: [] }),
    symptom: 'timeout',
    missingLink: 'role-policy',
  },
  {
    link: 'service still starting (ECS instance just created)',
    apply: () => {
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
    apply: () => patch('ApiGroup', GROUP, { internetEnable: true }),
    url: `http://${GROUP}-${SH}.alicloudapi.com/web/cloudapi`,
    symptom: 'timeout',
    missingLink: 'internet-access',
  },
];

const scenario2Breaks: Break[] = [
  {
    link: 'route service',
    apply: () => emu.store.remove('CenRouteService', `cen-1/${EGRESS}/${SH}/${ZJK}`),
    symptom: 'timeout',
    missingLink: 'cen-route-service',
  },
  {
    link: 'route service still Creating',
    apply: () => patch('CenRouteService', `cen-1/${EGRESS}/${SH}/${ZJK}`, {}, 'Creating'),
    symptom: 'timeout',
    missingLink: 'cen-route-service',
  },
  {
    link: 'route service for another access region',
    apply: () => patch('CenRouteService', `cen-1/${EGRESS}/${SH}/${ZJK}`, { accessRegionId: 'cn-beijing' }),
    symptom: 'timeout',
    missingLink: 'cen-route-service',
  },
  {
    link: "the function VPC's attachment",
    apply: () => emu.store.remove('CenAttachment', 'cen-1/vpc-fc-access'),
    symptom: 'timeout',
    missingLink: 'cen-attachment',
  },
  {
    link: "the gateway VPC's attachment (Detaching)",
    apply: () => patch('CenAttachment', 'cen-1/vpc-api-access', {}, 'Detaching'),
    symptom: 'timeout',
    missingLink: 'cen-attachment',
  },
  {
    link: 'inter-region bandwidth',
    apply: () => patch('CenInterRegionBandwidthLimit', `cen-1/${SH}/${ZJK}`, { bandwidthLimit: 0 }),
    symptom: 'timeout',
    missingLink: 'cen-bandwidth',
  },
  {
    link: 'inter-region bandwidth still Modifying',
    apply: () => patch('CenInterRegionBandwidthLimit', `cen-1/${SH}/${ZJK}`, {}, 'Modifying'),
    symptom: 'timeout',
    missingLink: 'cen-bandwidth',
  },
];

describe('reachability model (pure)', () => {
  it('Scenario 1: the full chain answers with the backend', () => {
    scenario1();
    const verdict = check();
    assert.equal(verdict.symptom, 'ok', verdict.detail);
    assert.equal(verdict.reachable, true);
    assert.equal(verdict.response?.status, 200);
    assert.deepEqual(JSON.parse(verdict.response?.body ?? '{}').message, 'Hello from the ECS backend');
  });

  for (const broken of commonBreaks) {
    it(`Scenario 1, broken: ${broken.link} → ${broken.symptom} (${broken.missingLink})`, () => {
      scenario1();
      broken.apply();
      const verdict = check(broken.url);
      assert.deepEqual(
        { symptom: verdict.symptom, missingLink: verdict.missingLink },
        { symptom: broken.symptom, missingLink: broken.missingLink },
        verdict.detail,
      );
      assert.equal(verdict.reachable, false);
    });
  }

  it('Scenario 1: a gateway 404 carries X-Ca-Error-Code and the reason', () => {
    scenario1();
    patch('Api', 'b'.repeat(32), { deployedStages: {} });
    const verdict = check();
    assert.equal(verdict.response?.headers['x-ca-error-code'], 'I404NF');
    assert.match(verdict.response?.headers['x-ca-error-message'] ?? '', /RELEASE/);
  });

  it('Scenario 1: a VPC domain of another VPC (same region, no CEN) times out on the binding', () => {
    scenario1();
    patch('ApiGatewayInstance', INSTANCE, { boundVpc: { vpcId: 'vpc-backend-1', vpcOwnerId: emu.accountId } });
    const verdict = check();
    assert.deepEqual([verdict.symptom, verdict.missingLink], ['timeout', 'vpc-binding']);
  });

  it('Scenario 2: the full chain over CEN answers with the backend', () => {
    scenario2();
    const verdict = check();
    assert.equal(verdict.symptom, 'ok', verdict.detail);
  });

  for (const broken of [
    ...scenario2Breaks,
    ...commonBreaks.filter((b) =>
      ['binding', 'SG rule', 'VPC subdomain', 'deployment', 'role policy'].includes(b.link),
    ),
  ]) {
    it(`Scenario 2, broken: ${broken.link} → ${broken.symptom} (${broken.missingLink})`, () => {
      scenario2();
      broken.apply();
      const verdict = check(broken.url);
      assert.deepEqual(
        { symptom: verdict.symptom, missingLink: verdict.missingLink },
        { symptom: broken.symptom, missingLink: broken.missingLink },
        verdict.detail,
      );
    });
  }
});

function zipOf(files: Record<string, string>): string {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const packed = deflateRawSync(data);
    const fileName = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, packed);
    centrals.push(central, fileName);
    offset += 30 + fileName.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]).toString('base64');
}

/** The project's function, as the product ships it. */
const PROJECT_FUNCTION = zipOf({
  'index.py': readFileSync(join(__dirname, '../../activities/assets/fc-function/index.py'), 'utf8'),
});

/** A function that opens a raw TCP connection, to see the socket-level errors. */
const SOCKET_FUNCTION = zipOf({
  'index.py': `
import json, socket

def handler(event, context):
    host, port = json.loads(event)["target"]
    try:
        socket.create_connection((host, port), timeout=5).close()
        return "connected"
    except socket.gaierror:
        return "gaierror"
    except ConnectionRefusedError:
        return "refused"
    except socket.timeout:
        return "timeout"
`,
});

async function invoke(event: unknown): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  if (fcProduct.style !== 'roa') throw new Error('fc is a ROA product');
  const route = fcProduct.routes.find((r) => r.action === 'InvokeFunction');
  if (!route) throw new Error('no InvokeFunction route');
  const req: RoaRequest = {
    product: 'fc',
    method: 'POST',
    path: '/2023-03-30/functions/caller/invocations',
    pathParams: { functionName: 'caller' },
    query: {},
    headers: { 'x-fc-invocation-type': 'Sync' },
    body: Buffer.from(typeof event === 'string' ? event : JSON.stringify(event)),
    region: emu.store.get('FcFunction', 'caller')?.region ?? SH,
    accountId: emu.accountId,
    requestId: 'test-request',
    accessKeyId: emu.accessKeyId,
  };
  const res = await route.handler(req, emu.context);
  return {
    status: res.status,
    headers: res.headers ?? {},
    text: Buffer.isBuffer(res.body) ? res.body.toString('utf8') : String(res.body),
  };
}

interface FunctionAnswer {
  status: number | null;
  body: string | null;
  error?: { kind: string };
}

async function projectFunctionSees(): Promise<FunctionAnswer> {
  const res = await invoke('');
  assert.equal(res.headers['x-fc-error-type'], undefined, res.text);
  return JSON.parse(res.text) as FunctionAnswer;
}

describe('invocations run the real Python code in the emulated network', () => {
  it('Scenario 1: the project function gets the backend answer; broken links show as curl would see them', async () => {
    scenario1(PROJECT_FUNCTION);
    const ok = await projectFunctionSees();
    assert.equal(ok.status, 200);
    assert.match(ok.body ?? '', /Hello from the ECS backend/);

    patch('SecurityGroup', 'sg-backend', { rules: [] });
    const noRule = await projectFunctionSees();
    assert.deepEqual([noRule.status, noRule.error?.kind], [504, 'http']);

    patch('ApiGatewayInstance', INSTANCE, { boundVpc: undefined });
    assert.deepEqual((await projectFunctionSees()).error?.kind, 'timeout');

    patch('ApiGroup', GROUP, { vpcIntranetEnable: false, vpcDomain: undefined });
    assert.deepEqual((await projectFunctionSees()).error?.kind, 'dns');
  });

  it('Scenario 2: the project function reaches the backend over CEN, and times out without the route service', async () => {
    scenario2(PROJECT_FUNCTION);
    const ok = await projectFunctionSees();
    assert.equal(ok.status, 200, JSON.stringify(ok));
    emu.store.remove('CenRouteService', `cen-1/${EGRESS}/${SH}/${ZJK}`);
    assert.equal((await projectFunctionSees()).error?.kind, 'timeout');
  });

  it('raw sockets see gaierror, ConnectionRefusedError, timeouts and connections', async () => {
    scenario1(SOCKET_FUNCTION);
    assert.equal((await invoke({ target: [VPC_DOMAIN, 80] })).text, 'connected');
    assert.equal((await invoke({ target: [VPC_DOMAIN, 8080] })).text, 'refused');
    assert.equal((await invoke({ target: [`nothing.${VPC_DOMAIN}`, 80] })).text, 'gaierror');
    assert.equal((await invoke({ target: ['10.9.9.9', 80] })).text, 'timeout');
  });

  it('model mode answers what the project function answers', async () => {
    scenario1(PROJECT_FUNCTION);
    const shape = (a: FunctionAnswer) => ({ status: a.status, kind: a.error?.kind });
    const cases: (() => void)[] = [
      () => undefined,
      () => patch('Api', 'b'.repeat(32), { deployedStages: {} }),
      () => patch('RamRole', 'fc-vpc-role', { policies: [] }),
    ];
    for (const breakLink of cases) {
      breakLink();
      setCodeExecution(emu.store, 'python');
      const real = shape(await projectFunctionSees());
      setCodeExecution(emu.store, 'model');
      const modelled = shape(await projectFunctionSees());
      assert.deepEqual(modelled, real);
    }
  });
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Calls a product's operation the way the core does, without HTTP (the wire is tested elsewhere). */
async function rpc(
  name: ProductName,
  action: string,
  region: string,
  params: Record<string, string | number> = {},
): Promise<Json> {
  const product = products.find((p) => p.name === name);
  if (!product || product.style !== 'rpc') throw new Error(`${name} is not an RPC product`);
  const handler = product.actions[action];
  if (!handler) throw new Error(`${name} has no ${action}`);
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const req = {
    product: name,
    action,
    version: product.version,
    region,
    params: flat,
    requestId: 'e2e',
    accessKeyId: emu.accessKeyId,
  };
  return handler(req, emu.context);
}

async function roa(
  action: string,
  region: string,
  functionName: string,
  body: unknown,
): Promise<{ status: number; text: string }> {
  if (fcProduct.style !== 'roa') throw new Error('fc is a ROA product');
  const route = fcProduct.routes.find((r) => r.action === action);
  if (!route) throw new Error(`fc has no ${action}`);
  const res = await route.handler(
    {
      product: 'fc',
      method: route.method,
      path: route.pattern,
      pathParams: { functionName },
      query: {},
      headers: {},
      body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      region,
      accountId: emu.accountId,
      requestId: 'e2e',
      accessKeyId: emu.accessKeyId,
    },
    emu.context,
  );
  return { status: res.status, text: Buffer.isBuffer(res.body) ? res.body.toString('utf8') : JSON.stringify(res.body) };
}

const settle = () => emu.advanceClock(10 * 60_000);

describe('Scenario 2 end to end through every product model', () => {
  it('VPC, ECS, RAM, CloudAPI, CBN and FC records line up; the route service is the last link', async () => {
    const vpc = async (region: string, cidr: string, zone: string) => {
      const { VpcId } = await rpc('vpc', 'CreateVpc', region, { CidrBlock: cidr });
      settle();
      const { VSwitchId } = await rpc('vpc', 'CreateVSwitch', region, {
        VpcId,
        ZoneId: zone,
        CidrBlock: cidr.replace('0.0/16', '1.0/24'),
      });
      settle();
      return { vpcId: VpcId as string, vSwitchId: VSwitchId as string };
    };
    const access = await vpc(SH, '192.168.0.0/16', `${SH}-b`);
    const backend = await vpc(SH, '172.16.0.0/16', `${SH}-b`);
    const fcNet = await vpc(ZJK, '10.10.0.0/16', `${ZJK}-a`);

    const { InstanceId: gateway } = await rpc('cloudapi', 'CreateInstance', SH, {
      InstanceName: 'gw',
      InstanceSpec: 'api.s1.small',
      ChargeType: 'PostPaid',
      Token: 'e2e',
    });
    settle();
    const egress = (await rpc('cloudapi', 'DescribeInstances', SH, { InstanceId: gateway })).Instances
      .InstanceAttribute[0].VpcEgressAddress as string;

    const { SecurityGroupId: backendSg } = await rpc('ecs', 'CreateSecurityGroup', SH, { VpcId: backend.vpcId });
    await rpc('ecs', 'AuthorizeSecurityGroup', SH, {
      SecurityGroupId: backendSg,
      IpProtocol: 'tcp',
      PortRange: '8080/8080',
      SourceCidrIp: egress,
    });
    const ecs = await rpc('ecs', 'RunInstances', SH, {
      ImageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
      InstanceType: 'ecs.e-c1m1.large',
      VSwitchId: backend.vSwitchId,
      SecurityGroupId: backendSg,
      UserData: userData,
    });
    const ecsId = ecs.InstanceIdSets.InstanceIdSet[0] as string;
    const { SecurityGroupId: fcSg } = await rpc('ecs', 'CreateSecurityGroup', ZJK, { VpcId: fcNet.vpcId });

    await rpc('ram', 'CreateRole', SH, {
      RoleName: 'fc-vpc-role',
      AssumeRolePolicyDocument: JSON.stringify({
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }],
        Version: '1',
      }),
    });
    await rpc('ram', 'AttachPolicyToRole', SH, {
      RoleName: 'fc-vpc-role',
      PolicyType: 'System',
      PolicyName: 'AliyunECSNetworkInterfaceManagementAccess',
    });
    settle();

    await rpc('cloudapi', 'ModifyInstanceVpcAttributeForConsole', SH, {
      InstanceId: gateway,
      VpcId: access.vpcId,
      VswitchId: access.vSwitchId,
      VpcOwnerId: emu.accountId,
    });
    settle();
    const { GroupId } = await rpc('cloudapi', 'CreateApiGroup', SH, { GroupName: 'fc_access', InstanceId: gateway });
    await rpc('cloudapi', 'ModifyIntranetDomainPolicy', SH, { GroupId, VpcIntranetEnable: 'true' });
    await rpc('cloudapi', 'SetVpcAccess', SH, {
      Name: 'backend_8080',
      VpcId: backend.vpcId,
      InstanceId: ecsId,
      Port: 8080,
    });
    const { ApiId } = await rpc('cloudapi', 'CreateApi', SH, {
      GroupId,
      ApiName: 'web_cloudapi',
      Visibility: 'PRIVATE',
      AuthType: 'ANONYMOUS',
      RequestConfig: JSON.stringify({
        RequestProtocol: 'HTTP',
        RequestHttpMethod: 'GET',
        RequestPath: '/web/cloudapi',
        RequestMode: 'PASSTHROUGH',
      }),
      ServiceConfig: JSON.stringify({
        ServiceProtocol: 'HTTP',
        ServiceHttpMethod: 'GET',
        ServicePath: '/web/cloudapi',
        ServiceTimeout: 10000,
        ServiceVpcEnable: 'TRUE',
        VpcConfig: { Name: 'backend_8080' },
      }),
    });
    await rpc('cloudapi', 'DeployApi', SH, { ApiId, StageName: 'RELEASE', Description: 'e2e' });
    const vpcDomain = (await rpc('cloudapi', 'DescribeApiGroup', SH, { GroupId })).VpcDomain as string;

    const { CenId } = await rpc('cbn', 'CreateCen', SH, { Name: 'fc-apigw' });
    settle();
    for (const [vpcId, region] of [
      [access.vpcId, SH],
      [fcNet.vpcId, ZJK],
    ] as const) {
      await rpc('cbn', 'AttachCenChildInstance', SH, {
        CenId,
        ChildInstanceId: vpcId,
        ChildInstanceType: 'VPC',
        ChildInstanceRegionId: region,
      });
      settle();
    }
    const { CenBandwidthPackageId } = await rpc('cbn', 'CreateCenBandwidthPackage', SH, {
      Bandwidth: 2,
      GeographicRegionAId: 'China',
      GeographicRegionBId: 'China',
      BandwidthPackageChargeType: 'POSTPAY',
    });
    settle();
    await rpc('cbn', 'AssociateCenBandwidthPackage', SH, { CenId, CenBandwidthPackageId });
    settle();
    await rpc('cbn', 'SetCenInterRegionBandwidthLimit', SH, {
      CenId,
      LocalRegionId: SH,
      OppositeRegionId: ZJK,
      BandwidthLimit: 2,
    });
    settle();

    const created = await roa('CreateFunction', ZJK, '', {
      functionName: 'caller',
      runtime: 'python3.10',
      handler: 'index.handler',
      code: { zipFile: PROJECT_FUNCTION },
      role: `acs:ram::${emu.accountId}:role/fc-vpc-role`,
      vpcConfig: { vpcId: fcNet.vpcId, vSwitchIds: [fcNet.vSwitchId], securityGroupId: fcSg },
      internetAccess: false,
      timeout: 30,
      environmentVariables: { API_URL: `http://${vpcDomain}/web/cloudapi`, TIMEOUT_SECONDS: '5' },
    });
    assert.equal(created.status, 200, created.text);
    settle();

    const invoke = async () => JSON.parse((await roa('InvokeFunction', ZJK, 'caller', '')).text) as FunctionAnswer;
    const beforeRoute = await invoke();
    assert.equal(beforeRoute.error?.kind, 'timeout', 'without the route service the VPC domain is out of reach');
    assert.equal(
      evaluateReachability(emu.store, emu.context, { functionName: 'caller', url: `http://${vpcDomain}/web/cloudapi` })
        .missingLink,
      'cen-route-service',
    );

    await rpc('cbn', 'ResolveAndRouteServiceInCen', SH, {
      CenId,
      Host: egress,
      HostRegionId: SH,
      HostVpcId: access.vpcId,
      'AccessRegionIds.1': ZJK,
    });
    settle();
    const answer = await invoke();
    assert.equal(answer.status, 200, JSON.stringify(answer));
    assert.match(answer.body ?? '', /Hello from the ECS backend/);
  });
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startEmulator } from '../../emulator';
import type { EmulatorHandle, ProductName, RoaRequest } from '../../emulator';
import { products } from '../../emulator/products';
import { fcProduct } from '../../emulator/products/fc';
import { evaluateReachability } from '../../emulator/products/fc/reachability';
import { setCodeExecution } from '../../emulator/products/fc/settings';
import { zipOf } from './fc-fixtures';
import {
  SCENARIOS,
  EGRESS,
  GROUP,
  INSTANCE,
  patch as patchRecord,
  PROJECT_FUNCTION,
  scenario1 as buildScenario1,
  scenario2 as buildScenario2,
  SH,
  URL_OK,
  userData,
  VPC_DOMAIN,
  ZJK,
} from './reachability-fixtures';

/*
 * The reachability chain of the runbook, built record by record (the shapes of the team's
 * emulator-records table), then broken one link at a time. The pure model is checked for every link;
 * real Python (the project's own function, and a raw-socket one) is checked through InvokeFunction.
 */

let emu: EmulatorHandle;
beforeEach(async () => {
  // A frozen clock: only advanceClock moves time (the ECS service start-up is part of the model).
  const frozen = Date.now();
  emu = await startEmulator({ port: 0, clock: () => frozen });
});
afterEach(() => emu.close());

const patch = (type: string, id: string, attrs: Record<string, unknown>, status?: string) =>
  patchRecord(emu, type, id, attrs, status);
const scenario1 = (code = '') => buildScenario1(emu, code);
const scenario2 = (code = '') => buildScenario2(emu, code);

const check = (url = URL_OK) => evaluateReachability(emu.store, emu.context, { functionName: 'caller', url });

describe('reachability model (pure)', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: the full chain answers with the backend`, () => {
      scenario.build(emu);
      const verdict = check();
      assert.equal(verdict.symptom, 'ok', verdict.detail);
      assert.equal(verdict.reachable, true);
      assert.equal(verdict.response?.status, 200);
      assert.deepEqual(JSON.parse(verdict.response?.body ?? '{}').message, 'Hello from the ECS backend');
    });

    for (const broken of scenario.breaks) {
      it(`${scenario.name}, broken: ${broken.link} → ${broken.symptom} (${broken.missingLink})`, () => {
        scenario.build(emu);
        broken.apply(emu);
        const verdict = check(broken.url);
        assert.deepEqual(
          { symptom: verdict.symptom, missingLink: verdict.missingLink },
          { symptom: broken.symptom, missingLink: broken.missingLink },
          verdict.detail,
        );
        assert.equal(verdict.reachable, false);
      });
    }
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

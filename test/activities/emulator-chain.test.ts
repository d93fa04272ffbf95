import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createActivities } from '../../activities';
import { createCloudClients } from '../../activities/cloud';
import type { Activities, Inventory, InventoryItem } from '../../activities/contract';
import { TEARDOWN_ORDER, DELETE_ACTIVITY_BY_KIND } from '../../activities/contract';
import { startEmulator, type EmulatorHandle } from '../../emulator';
import { mockEnv } from './helpers';

/**
 * Every activity of Scenario 1 run in order against the emulator (no workflow): proves the activities
 * speak the APIs right, that the chain they build is reachable end to end, and that their deletes leave
 * nothing behind.
 */

let emulator: EmulatorHandle;
let activities: Activities;
const REGION = 'cn-shanghai';
const KEY = 'test-run-1';

function run<A extends keyof Activities>(name: A, ...args: Parameters<Activities[A]>): ReturnType<Activities[A]> {
  const fn = activities[name] as (...a: Parameters<Activities[A]>) => ReturnType<Activities[A]>;
  return mockEnv().run(fn, ...args) as ReturnType<Activities[A]>;
}

async function remaining(): Promise<{ type: string; id: string; status?: string }[]> {
  const response = await fetch(`${emulator.url}/_emulator/resources`);
  return ((await response.json()) as { resources: { type: string; id: string; status?: string }[] }).resources;
}

before(async () => {
  emulator = await startEmulator({ port: 0 });
  const clients = createCloudClients({
    endpoint: emulator.url,
    credentials: {
      accessKeyId: 'LTAI5tEmulatorAccessKey',
      accessKeySecret: 'emulator-secret-do-not-use-in-production',
    },
    env: {},
  });
  activities = createActivities(clients, { pollIntervalMs: 20 });
});

after(async () => {
  await emulator.close();
});

describe('Scenario 1 activities against the emulator', () => {
  it('builds the chain, the function gets the backend answer, and the deletes leave nothing', async () => {
    const inventory: Inventory = [];
    const add = (item: InventoryItem) => inventory.push(item);
    const k = (step: string) => `${KEY}/${step}`;

    const report = await run('preflight', {
      scenario: 'same-region',
      gatewayRegion: REGION,
      functionRegion: REGION,
      zones: [{ region: REGION, zoneId: 'cn-shanghai-b' }],
      instanceSpec: 'api.s1.small',
      names: [{ kind: 'vpc', region: REGION, name: 'vpc-api-access' }],
    });
    assert.ok(report.gatewayZoneId);

    const [access, backend] = await Promise.all([
      run('createVpc', {
        idempotencyKey: k('apiAccessVpc'),
        region: REGION,
        name: 'vpc-api-access',
        cidrBlock: '192.168.0.0/16',
      }),
      run('createVpc', {
        idempotencyKey: k('backendVpc'),
        region: REGION,
        name: 'vpc-backend-1',
        cidrBlock: '172.16.0.0/16',
      }),
    ]);
    add({ kind: 'vpc', id: access.vpcId, region: REGION, name: 'vpc-api-access', createdBy: 'apiAccessVpc' });
    add({ kind: 'vpc', id: backend.vpcId, region: REGION, name: 'vpc-backend-1', createdBy: 'backendVpc' });
    // A retried create finds the first VPC instead of making a second one.
    const again = await run('createVpc', {
      idempotencyKey: k('apiAccessVpc'),
      region: REGION,
      name: 'vpc-api-access',
      cidrBlock: '192.168.0.0/16',
    });
    assert.equal(again.vpcId, access.vpcId);
    await Promise.all([run('waitVpcAvailable', access), run('waitVpcAvailable', backend)]);

    const accessVsw = await run('createVSwitch', {
      idempotencyKey: k('apiAccessVSwitch'),
      region: REGION,
      vpcId: access.vpcId,
      name: 'vsw-api-access',
      zoneId: 'cn-shanghai-b',
      cidrBlock: '192.168.1.0/24',
    });
    const backendVsw = await run('createVSwitch', {
      idempotencyKey: k('backendVSwitch'),
      region: REGION,
      vpcId: backend.vpcId,
      name: 'vsw-backend-1',
      zoneId: 'cn-shanghai-b',
      cidrBlock: '172.16.1.0/24',
    });
    add({
      kind: 'vSwitch',
      id: accessVsw.vSwitchId,
      vpcId: access.vpcId,
      region: REGION,
      name: 'vsw-api-access',
      createdBy: 'x',
    });
    add({
      kind: 'vSwitch',
      id: backendVsw.vSwitchId,
      vpcId: backend.vpcId,
      region: REGION,
      name: 'vsw-backend-1',
      createdBy: 'x',
    });
    await Promise.all([run('waitVSwitchAvailable', accessVsw), run('waitVSwitchAvailable', backendVsw)]);

    const backendSg = await run('createSecurityGroup', {
      idempotencyKey: k('backendSecurityGroup'),
      region: REGION,
      vpcId: backend.vpcId,
      name: 'sg-backend-1',
      description: 'backend',
    });
    const fnSg = await run('createSecurityGroup', {
      idempotencyKey: k('functionSecurityGroup'),
      region: REGION,
      vpcId: access.vpcId,
      name: 'sg-fc-access',
      description: 'function',
    });
    add({
      kind: 'securityGroup',
      id: backendSg.securityGroupId,
      vpcId: backend.vpcId,
      region: REGION,
      name: 'sg-backend-1',
      createdBy: 'x',
    });
    add({
      kind: 'securityGroup',
      id: fnSg.securityGroupId,
      vpcId: access.vpcId,
      region: REGION,
      name: 'sg-fc-access',
      createdBy: 'x',
    });

    const ecs = await run('runBackendInstance', {
      idempotencyKey: k('backendInstance'),
      region: REGION,
      name: 'ecs-backend-1',
      zoneId: 'cn-shanghai-b',
      vSwitchId: backendVsw.vSwitchId,
      securityGroupId: backendSg.securityGroupId,
      imageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
      instanceType: 'ecs.e-c1m1.large',
      port: 8080,
      path: '/web/cloudapi',
    });
    add({ kind: 'ecsInstance', id: ecs.instanceId, region: REGION, name: 'ecs-backend-1', createdBy: 'x' });
    const gw = await run('createDedicatedInstance', {
      idempotencyKey: k('gatewayInstance'),
      region: REGION,
      name: 'apigw-dedicated',
      instanceSpec: 'api.s1.small',
      zoneId: report.gatewayZoneId,
      httpsPolicy: 'HTTPS2_TLS1_2',
    });
    add({ kind: 'gatewayInstance', id: gw.instanceId, region: REGION, name: 'apigw-dedicated', createdBy: 'x' });
    const [ready, gwReady] = await Promise.all([
      run('waitBackendInstanceRunning', ecs),
      run('waitDedicatedInstanceRunning', gw),
    ]);
    assert.ok(ready.privateIpAddress);
    assert.ok(gwReady.vpcEgressAddress);

    await run('authorizeSecurityGroupIngress', {
      idempotencyKey: k('gatewayIngressRule'),
      region: REGION,
      securityGroupId: backendSg.securityGroupId,
      protocol: 'tcp',
      port: 8080,
      sourceCidr: gwReady.vpcEgressAddress,
      description: 'gateway egress',
    });
    const vpcAccess = await run('createVpcAccess', {
      idempotencyKey: k('vpcAccess'),
      region: REGION,
      name: 'vpc-backend-1-ecs',
      vpcId: backend.vpcId,
      backendInstanceId: ecs.instanceId,
      port: 8080,
    });
    add({
      kind: 'vpcAccess',
      id: vpcAccess.vpcAccessId,
      vpcId: backend.vpcId,
      backendInstanceId: ecs.instanceId,
      port: 8080,
      region: REGION,
      name: 'vpc-backend-1-ecs',
      createdBy: 'x',
    });
    const group = await run('createApiGroup', {
      idempotencyKey: k('apiGroup'),
      region: REGION,
      name: 'fc_private_access',
      gatewayInstanceId: gw.instanceId,
      description: 'test',
    });
    add({ kind: 'apiGroup', id: group.groupId, region: REGION, name: 'fc_private_access', createdBy: 'x' });
    const api = await run('createApi', {
      idempotencyKey: k('api'),
      region: REGION,
      groupId: group.groupId,
      name: 'web_cloudapi',
      requestPath: '/web/cloudapi',
      method: 'GET',
      authType: 'ANONYMOUS',
      vpcAccessName: 'vpc-backend-1-ecs',
      backendPath: '/web/cloudapi',
      backendPort: 8080,
      timeoutMs: 10_000,
    });
    add({
      kind: 'api',
      id: api.apiId,
      groupId: group.groupId,
      stageName: 'RELEASE',
      region: REGION,
      name: 'web_cloudapi',
      createdBy: 'x',
    });
    await run('deployApi', {
      idempotencyKey: k('deployApi'),
      region: REGION,
      groupId: group.groupId,
      apiId: api.apiId,
      stageName: 'RELEASE',
      description: 'd',
    });
    await run('bindInstanceToVpc', {
      idempotencyKey: k('gatewayVpcBinding'),
      region: REGION,
      instanceId: gw.instanceId,
      vpcId: access.vpcId,
      vSwitchId: accessVsw.vSwitchId,
    });
    add({
      kind: 'gatewayVpcBinding',
      id: `${gw.instanceId}:${access.vpcId}`,
      instanceId: gw.instanceId,
      vpcId: access.vpcId,
      vSwitchId: accessVsw.vSwitchId,
      region: REGION,
      name: 'binding',
      createdBy: 'x',
    });
    const domain = await run('enableVpcSubdomain', {
      idempotencyKey: k('vpcSubdomain'),
      region: REGION,
      groupId: group.groupId,
      disableInternetSubdomain: true,
    });
    assert.ok(domain.vpcDomain);

    const role = await run('createFcRole', {
      idempotencyKey: k('fcRole'),
      roleName: 'fc-apigw-vpc-eni-role',
      policyName: 'AliyunECSNetworkInterfaceManagementAccess',
    });
    add({
      kind: 'ramRole',
      id: role.roleName,
      region: 'global',
      name: role.roleName,
      policyName: 'AliyunECSNetworkInterfaceManagementAccess',
      createdBy: 'x',
    });
    const apiUrl = `http://${domain.vpcDomain}/web/cloudapi`;
    const fn = await run('createFunction', {
      idempotencyKey: k('function'),
      region: REGION,
      name: 'fc-call-api-over-vpc',
      runtime: 'python3.10',
      memoryMb: 128,
      timeoutSeconds: 30,
      roleArn: role.roleArn,
      vpcId: access.vpcId,
      vSwitchIds: [accessVsw.vSwitchId],
      securityGroupId: fnSg.securityGroupId,
      apiUrl,
    });
    add({ kind: 'fcFunction', id: fn.functionName, region: REGION, name: fn.functionName, createdBy: 'x' });
    await run('waitFunctionActive', fn);
    const answer = await run('invokeFunction', fn);
    assert.equal(answer.status, 200, JSON.stringify(answer));
    assert.equal(answer.error, undefined);

    const diagnosis = await run('diagnoseReachability', {
      scenario: 'same-region',
      inventory,
      apiUrl,
      backendPort: 8080,
      vpcEgressAddress: gwReady.vpcEgressAddress,
    });
    assert.deepEqual(diagnosis.missing, [], JSON.stringify(diagnosis.checks, null, 2));

    // Break one link (unbind the gateway from the function's VPC): the call fails and the diagnosis names it.
    const binding = inventory.find((i) => i.kind === 'gatewayVpcBinding');
    assert.ok(binding && binding.kind === 'gatewayVpcBinding');
    assert.equal((await run('unbindInstanceFromVpc', binding)).outcome, 'deleted');
    const broken = await run('invokeFunction', fn);
    assert.notEqual(broken.status, 200, JSON.stringify(broken));
    const diagnosed = await run('diagnoseReachability', {
      scenario: 'same-region',
      inventory,
      apiUrl,
      backendPort: 8080,
      vpcEgressAddress: gwReady.vpcEgressAddress,
    });
    assert.deepEqual(diagnosed.missing, ['dedicated instance bound to the access VPC']);
    await run('bindInstanceToVpc', {
      idempotencyKey: k('gatewayVpcBinding-again'),
      region: REGION,
      instanceId: gw.instanceId,
      vpcId: access.vpcId,
      vSwitchId: accessVsw.vSwitchId,
    });

    for (const kind of TEARDOWN_ORDER) {
      for (const item of inventory.filter((i) => i.kind === kind)) {
        const del = activities[DELETE_ACTIVITY_BY_KIND[kind]] as (i: InventoryItem) => Promise<{ outcome: string }>;
        const outcome = (await mockEnv().run(del, item)) as { outcome: string };
        assert.equal(outcome.outcome, 'deleted', `${kind} ${item.id}`);
        // Asynchronous deletes (Deleting) included: the activity returns once the resource is gone.
        assert.ok(!(await remaining()).some((r) => r.id === item.id), `${kind} ${item.id} still in the emulator`);
        const twice = (await mockEnv().run(del, item)) as { outcome: string };
        assert.equal(twice.outcome, 'notFound', `${kind} ${item.id} deleted twice`);
      }
    }
    assert.deepEqual(await remaining(), []);
  });
});

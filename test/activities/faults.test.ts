import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { createActivities } from '../../activities';
import { createCloudClients, type CloudClients } from '../../activities/cloud';
import type { Activities } from '../../activities/contract';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startEmulator, type EmulatorHandle } from '../../emulator';
import { mockEnv, runActivity } from './helpers';

/** Failure classification, ambiguous outcomes, waits and cancellation of real activities against the emulator. */

const REGION = 'cn-shanghai';
let emulator: EmulatorHandle;
let clients: CloudClients;
let activities: Activities;

before(async () => {
  emulator = await startEmulator({ port: 0 });
  clients = createCloudClients({
    endpoint: emulator.url,
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
    timeoutMs: 2_000,
    env: {},
  });
  activities = createActivities(clients, { pollIntervalMs: 20 });
});

beforeEach(() => emulator.reset());

after(async () => {
  await emulator.close();
});

async function vpcCount(): Promise<number> {
  const response = await fetch(`${emulator.url}/_emulator/resources?type=Vpc`);
  return ((await response.json()) as { resources: unknown[] }).resources.length;
}

async function rejection(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApplicationFailure, `expected ApplicationFailure, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the activity to fail');
}

const vpcInput = (key: string, cidrBlock = '192.168.0.0/16') => ({
  idempotencyKey: key,
  region: REGION,
  name: 'vpc-api-access',
  cidrBlock,
});

describe('activities: failures and ambiguity', () => {
  it('settles a create whose answer was lost by looking it up: exactly one VPC', async () => {
    emulator.addFault({ product: 'vpc', action: 'CreateVpc', count: 1, dropResponse: true });
    const vpc = await runActivity(activities.createVpc, [vpcInput('run-a/apiAccessVpc')]);
    assert.match(vpc.vpcId, /^vpc-/);
    assert.equal(await vpcCount(), 1);
  });

  it('turns a bad request into a non-retryable failure carrying the Alibaba code and RequestId, no secrets', async () => {
    const failure = await rejection(runActivity(activities.createVpc, [vpcInput('run-b/apiAccessVpc', '8.8.8.0/33')]));
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.type ?? '', /^Invalid/);
    assert.match(failure.message, /^createVpc: .*RequestId [0-9A-F-]+/);
    const [details] = failure.details as [{ code: string; requestId: string; step: string }];
    assert.equal(details.step, 'createVpc');
    assert.equal(details.code, failure.type);
    assert.match(details.requestId, /^[0-9A-F-]+$/);
    const everything = JSON.stringify({ message: failure.message, details: failure.details, stack: failure.stack });
    assert.ok(!everything.includes(DEFAULT_ACCESS_KEY_SECRET));
    assert.ok(!everything.includes(DEFAULT_ACCESS_KEY_ID));
    assert.equal(await vpcCount(), 0);
  });

  it('rethrows throttling as a retryable failure', async () => {
    emulator.addFault({
      product: 'vpc',
      action: 'CreateVpc',
      count: 1,
      error: { code: 'Throttling.User', httpStatus: 400 },
    });
    const failure = await rejection(runActivity(activities.createVpc, [vpcInput('run-c/apiAccessVpc')]));
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.type, 'Throttling.User');
    // The retry (next attempt) succeeds and makes one VPC.
    await runActivity(activities.createVpc, [vpcInput('run-c/apiAccessVpc')]);
    assert.equal(await vpcCount(), 1);
  });

  it('waits out DependencyViolation on delete, returns once the VPC is gone; a second delete reports notFound', async () => {
    const vpc = await runActivity(activities.createVpc, [vpcInput('run-d/vpc')]);
    await runActivity(activities.waitVpcAvailable, [vpc]);
    const vsw = await runActivity(activities.createVSwitch, [
      {
        idempotencyKey: 'run-d/vsw',
        region: REGION,
        vpcId: vpc.vpcId,
        name: 'vsw-api-access',
        zoneId: 'cn-shanghai-b',
        cidrBlock: '192.168.1.0/24',
      },
    ]);
    await runActivity(activities.waitVSwitchAvailable, [vsw]);
    const item = { kind: 'vpc' as const, id: vpc.vpcId, region: REGION, name: 'vpc-api-access', createdBy: 't' };

    const env = mockEnv();
    const blocked: string[] = [];
    env.on('heartbeat', (details: { lastState?: string }) => {
      if (details.lastState) blocked.push(details.lastState);
      // Once the delete has been refused, remove the dependent: the waiting delete then goes through.
      if (blocked.length === 1) void clients.vpc.deleteVSwitch({ RegionId: REGION, VSwitchId: vsw.vSwitchId });
    });
    const outcome = await runActivity(activities.deleteVpc, [item], env);
    assert.equal(outcome.outcome, 'deleted');
    assert.match(blocked[0] ?? '', /DependencyViolation/);
    // DeleteVpc is asynchronous (Deleting); the activity returns only once the VPC is gone.
    assert.equal(await vpcCount(), 0);
    assert.equal((await runActivity(activities.deleteVpc, [item])).outcome, 'notFound');
  });

  it('stops a blocked delete at once when the activity is cancelled', async () => {
    const vpc = await runActivity(activities.createVpc, [vpcInput('run-e/vpc')]);
    await runActivity(activities.waitVpcAvailable, [vpc]);
    await runActivity(activities.createVSwitch, [
      {
        idempotencyKey: 'run-e/vsw',
        region: REGION,
        vpcId: vpc.vpcId,
        name: 'vsw-api-access',
        zoneId: 'cn-shanghai-b',
        cidrBlock: '192.168.1.0/24',
      },
    ]);
    const env = mockEnv();
    env.on('heartbeat', () => env.cancel());
    await assert.rejects(
      runActivity(
        activities.deleteVpc,
        [
          {
            kind: 'vpc',
            id: vpc.vpcId,
            region: REGION,
            name: 'vpc-api-access',
            createdBy: 't',
          },
        ],
        env,
      ),
      (error: unknown) => error instanceof CancelledFailure,
    );
    assert.equal(await vpcCount(), 1);
  });

  it('reports a prepaid bandwidth package as needing a human instead of failing the teardown', async () => {
    const pkg = await runActivity(activities.createBandwidthPackage, [
      {
        idempotencyKey: 'run-f/bwp',
        name: 'cen-bwp-fc-apigw',
        bandwidthMbps: 2,
        geographicRegionA: 'China',
        geographicRegionB: 'China',
        chargeType: 'PREPAY',
        period: 1,
      },
    ]);
    const outcome = await runActivity(activities.deleteBandwidthPackage, [
      {
        kind: 'cenBandwidthPackage',
        id: pkg.bandwidthPackageId,
        cenId: 'cen-none',
        chargeType: 'PREPAY',
        region: 'global',
        name: 'cen-bwp-fc-apigw',
        createdBy: 't',
      },
    ]);
    assert.equal(outcome.outcome, 'needsHuman');
    assert.match(outcome.outcome === 'needsHuman' ? outcome.reason : '', /cannot be deleted by API/);
  });

  it('deletes a bandwidth package whose association vanished between the check and the unassociate call', async () => {
    const quick = createActivities(clients, { pollIntervalMs: 20, timeouts: { delete: 3_000, cen: 3_000 } });
    const cen = await runActivity(quick.createCen, [
      { idempotencyKey: 'run-h/cen', name: 'cen-fc-apigw', description: 'd' },
    ]);
    await runActivity(quick.waitCenActive, [cen]);
    const pkg = await runActivity(quick.createBandwidthPackage, [
      {
        idempotencyKey: 'run-h/bwp',
        name: 'cen-bwp-fc-apigw',
        bandwidthMbps: 2,
        geographicRegionA: 'China',
        geographicRegionB: 'China',
        chargeType: 'POSTPAY',
        period: 1,
      },
    ]);
    await runActivity(quick.associateBandwidthPackage, [
      { idempotencyKey: 'run-h/assoc', cenId: cen.cenId, bandwidthPackageId: pkg.bandwidthPackageId },
    ]);
    // The activity sees the association, then its unassociate call is held up while someone else
    // removes the association: the emulator answers the late call "not associated".
    emulator.addFault({ product: 'cbn', action: 'UnassociateCenBandwidthPackage', count: 1, latencyMs: 400 });
    const deleting = runActivity(quick.deleteBandwidthPackage, [
      {
        kind: 'cenBandwidthPackage',
        id: pkg.bandwidthPackageId,
        cenId: cen.cenId,
        chargeType: 'POSTPAY',
        region: 'global',
        name: 'cen-bwp-fc-apigw',
        createdBy: 'run-h/bwp',
      },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await clients.cbn.unassociateCenBandwidthPackage({
      CenId: cen.cenId,
      CenBandwidthPackageId: pkg.bandwidthPackageId,
    });
    assert.equal((await deleting).outcome, 'deleted');
    const left = await clients.cbn.describeCenBandwidthPackages({});
    assert.equal(JSON.stringify(left).includes(pkg.bandwidthPackageId), false, 'the package is gone');
  });

  it('preflight lists every problem at once and creates nothing', async () => {
    await runActivity(activities.createVpc, [vpcInput('other-run/vpc')]);
    const failure = await rejection(
      runActivity(activities.preflight, [
        {
          scenario: 'same-region',
          gatewayRegion: REGION,
          functionRegion: REGION,
          zones: [{ region: REGION, zoneId: 'cn-shanghai-zz' }],
          gatewayZoneId: 'cn-shanghai-zz',
          instanceSpec: 'api.s1.small',
          names: [{ kind: 'vpc', region: REGION, name: 'vpc-api-access' }],
        },
      ]),
    );
    assert.equal(failure.type, 'PreflightFailed');
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /3 problem\(s\)/);
    assert.match(failure.message, /zone cn-shanghai-zz does not exist/);
    assert.match(failure.message, /vpc "vpc-api-access" already exists/);
    assert.equal(await vpcCount(), 1);
  });

  it('diagnoses a cross-region run without its route service and attachments, naming each missing link', async () => {
    const cen = await runActivity(activities.createCen, [
      { idempotencyKey: 'run-g/cen', name: 'cen-fc-apigw', description: 'd' },
    ]);
    await runActivity(activities.waitCenActive, [cen]);
    const diagnosis = await runActivity(activities.diagnoseReachability, [
      {
        scenario: 'cross-region',
        inventory: [{ kind: 'cen', id: cen.cenId, region: 'global', name: 'cen-fc-apigw', createdBy: 'cen' }],
        apiUrl: 'http://group-cn-shanghai-vpc.alicloudapi.com/web/cloudapi',
        backendPort: 8080,
        vpcEgressAddress: '100.104.255.128/26',
      },
    ]);
    const byLink = new Map(diagnosis.checks.map((c) => [c.link, c]));
    assert.equal(byLink.get('both VPCs attached to the CEN')?.ok, false);
    assert.match(byLink.get('route service for the gateway egress CIDR Active')?.detail ?? '', /support ticket/);
    assert.match(byLink.get('function Active in its VPC')?.detail ?? '', /not in the run's inventory/);
    assert.deepEqual(
      diagnosis.missing,
      diagnosis.checks.filter((c) => !c.ok).map((c) => c.link),
    );
    assert.ok(diagnosis.missing.length >= 8);
  });
});

/**
 * End to end: the workflows on the devserver with a real Worker, the real activities and client layer,
 * against the Alibaba Cloud emulator (resources, faults, support desk). What is left in the emulator is
 * read from GET /_emulator/resources.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { validateRunConfig, type RunConfig, type RunConfigInput } from '../../config';
import { crossRegionAccess, sameRegionAccess, teardown } from '../../workflows';
import { cenRouteTicketFulfilledSignal, progressQuery } from '../../workflows/messages';
import { startEmulatorWorld, type EmulatorResource, type EmulatorWorld } from './helpers/emulator-world';
import { eventually, startWorkflowHarness, ticketWait, uniqueId, type WorkflowHarness } from './helpers/harness';

function config(scenario: RunConfig['scenario'], overrides: Omit<RunConfigInput, 'scenario'> = {}): RunConfig {
  return validateRunConfig({
    ...overrides,
    scenario,
    ticket: { reminderInterval: '1h', deadline: '1h', ...overrides.ticket },
  });
}

function countByType(resources: EmulatorResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}

async function failureOf(promise: Promise<unknown>): Promise<WorkflowFailedError> {
  const err = await promise.then(
    () => assert.fail('expected the workflow to fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof WorkflowFailedError, `expected WorkflowFailedError, got ${String(err)}`);
  return err;
}

describe('workflows against the emulator (real activities)', () => {
  let h: WorkflowHarness;
  let world: EmulatorWorld;

  /** Plays CEN support: once the run has computed the ticket parameters, applies the route in the emulator. */
  async function supportDeskAppliesRoute(handle: WorkflowHandle, ticketId: string): Promise<void> {
    const request = await eventually(
      async () => (await handle.query(progressQuery)).ticket?.request ?? undefined,
      'request',
    );
    await world.fulfilTicket({
      AccessRegionIds: request.accessRegionIds,
      CenId: request.cenId,
      Host: request.host,
      HostRegionId: request.hostRegionId,
      HostVpcId: request.hostVpcId,
      ticketId,
    });
  }

  before(async () => {
    [h, world] = await Promise.all([startWorkflowHarness(), startEmulatorWorld()]);
  });
  afterEach(async () => {
    await world.reset();
  });
  after(async () => {
    await world?.close();
    await h?.close();
  });

  test('same-region: the function gets the backend answer; teardown leaves the emulator empty', async () => {
    await h.withWorker(world.activities, async (taskQueue) => {
      const handle = await h.client.workflow.start(sameRegionAccess, {
        taskQueue,
        workflowId: uniqueId('e2e-same'),
        args: [config('same-region')],
      });
      const result = await handle.result();
      await h.exportHistory(handle, 'emulator-same-region-success');
      assert.equal(result.verification.status, 200, JSON.stringify(result.verification));
      assert.match(result.vpcSubdomain, /vpc/);
      assert.match(result.vpcEgressAddress, /^\d+\.\d+\.\d+\.\d+\/\d+$/);
      assert.ok((await world.resources()).length > 0);
      const report = await h.client.workflow.execute(teardown, {
        taskQueue,
        workflowId: uniqueId('e2e-teardown'),
        args: [result.inventory],
      });
      assert.equal(report.complete, true);
      assert.deepEqual(await world.resources(), []);
    });
  });

  test('cross-region: the support desk fulfils the ticket (late signal); teardown leaves only the prepaid plan, reported', async () => {
    await h.withWorker(world.activities, async (taskQueue) => {
      const handle = await h.client.workflow.start(crossRegionAccess, {
        taskQueue,
        workflowId: uniqueId('e2e-cross'),
        args: [config('cross-region')],
      });
      const view = await ticketWait(handle);
      const p = view.parameters ?? assert.fail('no ticket parameters');
      const accessRegionIds = Object.keys(p)
        .filter((k) => k.startsWith('AccessRegionIds.'))
        .map((k) => p[k]);
      const { ticketId } = await world.fulfilTicket({
        AccessRegionIds: accessRegionIds,
        CenId: p.CenId,
        Host: p.Host,
        HostRegionId: p.HostRegionId,
        HostVpcId: p.HostVpcId,
      });
      await handle.signal(cenRouteTicketFulfilledSignal, { ticketId });
      const result = await handle.result();
      assert.equal(result.verification.status, 200, JSON.stringify(result.verification));
      assert.equal((await handle.query(progressQuery)).ticket?.ticketId, ticketId);
      await h.exportHistory(handle, 'emulator-cross-region-ticket-signal');

      const report = await h.client.workflow.execute(teardown, {
        taskQueue,
        workflowId: uniqueId('e2e-teardown'),
        args: [result.inventory],
      });
      const left = await world.resources();
      assert.deepEqual(
        left.map((r) => r.id).sort(),
        report.needsHuman.map((r) => r.item.id).sort(),
        `left: ${JSON.stringify(left)}; report: ${JSON.stringify(report.needsHuman)}`,
      );
      assert.ok(left.every((r) => r.type.toLowerCase().includes('bandwidthpackage')));
    });
  });

  test('cross-region: an early signal is not lost (support answered before the wait began)', async () => {
    await h.withWorker(world.activities, async (taskQueue) => {
      const handle = await h.client.workflow.start(crossRegionAccess, {
        taskQueue,
        workflowId: uniqueId('e2e-early'),
        args: [config('cross-region', { cen: { bandwidthChargeType: 'POSTPAY' } })],
      });
      await handle.signal(cenRouteTicketFulfilledSignal, { ticketId: 'T-early', note: 'done ahead of time' });
      // The route must exist for the verification: the desk applies it as soon as the parameters are known.
      await supportDeskAppliesRoute(handle, 'T-early');
      const result = await handle.result();
      assert.equal(result.verification.status, 200, JSON.stringify(result.verification));
      assert.equal((await handle.query(progressQuery)).ticket?.ticketId, 'T-early');
    });
  });

  test('cross-region: auto-detect goes on by itself once support has added the route (no signal)', async () => {
    await h.withWorker(world.activities, async (taskQueue) => {
      const handle = await h.client.workflow.start(crossRegionAccess, {
        taskQueue,
        workflowId: uniqueId('e2e-detect'),
        args: [
          config('cross-region', {
            cen: { bandwidthChargeType: 'POSTPAY' },
            ticket: { autoDetect: true, autoDetectInterval: '300ms' },
          }),
        ],
      });
      await ticketWait(handle);
      await supportDeskAppliesRoute(handle, 'T-detect');
      const result = await handle.result();
      assert.equal(result.verification.status, 200, JSON.stringify(result.verification));
      assert.equal((await handle.query(progressQuery)).ticket?.status, 'detected');
    });
  });

  test('cross-region: the ticket deadline fails the run and compensation leaves zero resources', async () => {
    await h.withWorker(world.activities, async (taskQueue) => {
      const handle = await h.client.workflow.start(crossRegionAccess, {
        taskQueue,
        workflowId: uniqueId('e2e-deadline'),
        args: [config('cross-region', { cen: { bandwidthChargeType: 'POSTPAY' }, ticket: { deadline: '1s' } })],
      });
      const err = await failureOf(handle.result());
      assert.match(String(err.cause?.message), /step cenRouteTicket failed: .*not fulfilled within 1s/);
      assert.deepEqual(await world.resources(), []);
      assert.equal((await handle.query(progressQuery)).compensation?.complete, true);
    });
  });

  test('a permanent error mid-run compensates: zero resources, failure names the step and the Alibaba code', async () => {
    await world.addFaults({
      product: 'cloudapi',
      action: 'CreateApi',
      error: { code: 'QuotaExceeded.Api', httpStatus: 400 },
    });
    await h.withWorker(world.activities, async (taskQueue) => {
      const err = await failureOf(
        h.client.workflow.execute(sameRegionAccess, {
          taskQueue,
          workflowId: uniqueId('e2e-permanent'),
          args: [config('same-region')],
        }),
      );
      assert.match(String(err.cause?.message), /step api failed: .*QuotaExceeded\.Api/);
      assert.deepEqual(await world.resources(), []);
    });
  });

  test('a transient fault storm (throttling, 5xx, dropped responses) still ends with exactly one of each resource', async () => {
    await world.addFaults([
      { product: 'vpc', action: 'CreateVpc', dropResponse: true, count: 1 },
      { product: 'vpc', action: 'CreateVSwitch', count: 2, error: { code: 'Throttling.User', httpStatus: 400 } },
      { product: 'ecs', action: 'RunInstances', dropResponse: true, count: 1 },
      {
        product: 'cloudapi',
        action: 'CreateInstance',
        count: 1,
        error: { code: 'ServiceUnavailable', httpStatus: 503 },
      },
      { product: 'cloudapi', action: 'CreateApiGroup', dropResponse: true, count: 1 },
      { product: 'cloudapi', action: 'CreateApi', count: 1, error: { code: 'InternalError', httpStatus: 500 } },
      { product: 'cloudapi', action: 'DeployApi', count: 1, error: { code: 'Throttling', httpStatus: 400 } },
      { product: 'ram', action: 'CreateRole', dropResponse: true, count: 1 },
    ]);
    await h.withWorker(world.activities, async (taskQueue) => {
      const result = await h.client.workflow.execute(sameRegionAccess, {
        taskQueue,
        workflowId: uniqueId('e2e-storm'),
        args: [config('same-region')],
      });
      assert.equal(result.verification.status, 200, JSON.stringify(result.verification));
      const counts = countByType(await world.resources());
      for (const [type, count] of Object.entries(counts)) {
        const expected = type === 'Vpc' || type === 'VSwitch' || type === 'SecurityGroup' ? 2 : 1;
        assert.equal(
          count,
          expected,
          `${type}: ${count} in the emulator, expected ${expected} (${JSON.stringify(counts)})`,
        );
      }
      assert.equal(
        Object.values(counts).reduce((a, b) => a + b, 0),
        result.inventory.filter((i) => i.kind !== 'gatewayVpcBinding').length,
      );
    });
  });
});

/**
 * The workflows on the devserver with a real Worker, against the FakeCloud test double (workflow logic:
 * ordering, inventory, queries, ticket signal/update, reminders, auto-detect, deadline, saga, teardown).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { validateRunConfig, type RunConfig, type RunConfigInput } from '../../config';
import {
  cenRouteTicketFulfilledSignal,
  inventoryQuery,
  progressQuery,
  SEARCH_ATTRIBUTE_PHASE,
  SEARCH_ATTRIBUTE_SCENARIO,
  submitCenRouteTicketUpdate,
} from '../../workflows/messages';
import { crossRegionAccess, sameRegionAccess, teardown } from '../../workflows';
import { FakeCloud } from './helpers/fake-cloud';
import { eventually, startWorkflowHarness, ticketWait, uniqueId, type WorkflowHarness } from './helpers/harness';

/** An update refused by the workflow's validator, for the given reason. */
function refusedWith(reason: RegExp) {
  return (err: unknown) => err instanceof WorkflowUpdateFailedError && reason.test(String(err.cause?.message));
}

function config(scenario: RunConfig['scenario'], overrides: Omit<RunConfigInput, 'scenario'> = {}): RunConfig {
  return validateRunConfig({
    ...overrides,
    scenario,
    cen: { bandwidthChargeType: 'POSTPAY', ...overrides.cen },
    ticket: { reminderInterval: '1h', deadline: '1h', ...overrides.ticket },
  });
}

/** The innermost ApplicationFailure of a workflow failure (the original cause). */
function rootCause(err: unknown): ApplicationFailure | undefined {
  let current = err instanceof WorkflowFailedError ? err.cause : err;
  let found: ApplicationFailure | undefined;
  while (current instanceof Error) {
    if (current instanceof ApplicationFailure) found = current;
    current = (current as Error & { cause?: unknown }).cause;
  }
  return found;
}

describe('workflows against the FakeCloud test double', () => {
  let h: WorkflowHarness;
  before(async () => {
    h = await startWorkflowHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('same-region: succeeds, reports inventory/progress, and teardown empties the cloud', async () => {
    const cloud = new FakeCloud();
    await h.withWorker(cloud.activities(), async (taskQueue) => {
      const handle = await h.client.workflow.start(sameRegionAccess, {
        taskQueue,
        workflowId: uniqueId('same-region'),
        args: [config('same-region')],
      });
      const result = await handle.result();
      assert.equal(result.scenario, 'same-region');
      assert.equal(result.vpcEgressAddress, '100.104.255.128/26');
      assert.match(result.vpcSubdomain, /-vpc\.cn-shanghai\.alicloudapi\.com$/);
      assert.equal(result.apiUrl, `http://${result.vpcSubdomain}/web/cloudapi`);
      assert.equal(result.verification.status, 200);
      const kinds = result.inventory.map((i) => i.kind).sort();
      assert.deepEqual(kinds, [
        'api',
        'apiGroup',
        'ecsInstance',
        'fcFunction',
        'gatewayInstance',
        'gatewayVpcBinding',
        'ramRole',
        'securityGroup',
        'securityGroup',
        'vSwitch',
        'vSwitch',
        'vpc',
        'vpc',
        'vpcAccess',
      ]);
      assert.equal(cloud.resources.size, result.inventory.length);
      const progress = await handle.query(progressQuery);
      assert.equal(progress.phase, 'succeeded');
      assert.ok(progress.steps.every((s) => s.status === 'done' && s.startedAt && s.finishedAt));
      // Independent steps overlap: the dedicated instance starts before the first VPC is finished.
      const step = (name: string) => progress.steps.find((s) => s.name === name) ?? assert.fail(name);
      assert.ok((step('gatewayInstance').startedAt ?? '') <= (step('apiAccessVpc').finishedAt ?? ''));
      assert.deepEqual(await handle.query(inventoryQuery), result.inventory);
      const description = await handle.describe();
      assert.deepEqual(description.memo?.phase, 'succeeded');
      assert.deepEqual(description.searchAttributes[SEARCH_ATTRIBUTE_PHASE], ['succeeded']);
      assert.deepEqual(description.searchAttributes[SEARCH_ATTRIBUTE_SCENARIO], ['same-region']);
      await h.exportHistory(handle, 'same-region-success');

      const down = await h.client.workflow.execute(teardown, {
        taskQueue,
        workflowId: uniqueId('teardown'),
        args: [result.inventory],
      });
      assert.equal(down.complete, true);
      assert.equal(cloud.resources.size, 0);
      assert.equal(cloud.callsOf('deleteVpc'), 2);
      // Idempotent: a second teardown finds everything gone and still succeeds.
      const again = await h.client.workflow.execute(teardown, {
        taskQueue,
        workflowId: uniqueId('teardown'),
        args: [result.inventory],
      });
      assert.ok(again.results.every((r) => r.outcome === 'notFound'));
    });
  });

  test('input that bypassed the CLI is checked before any activity: every problem with its path', async () => {
    const cloud = new FakeCloud();
    const valid = config('same-region');
    const invalid = {
      ...valid,
      gateway: { ...valid.gateway, instanceSpec: 'api.shared.vpc' },
      vpcs: { ...valid.vpcs, backend: { ...valid.vpcs.backend, cidr: valid.vpcs.apiAccess.cidr } },
    } as RunConfig;
    await h.withWorker(cloud.activities(), async (taskQueue) => {
      const err = await h.client.workflow
        .execute(sameRegionAccess, { taskQueue, workflowId: uniqueId('bad-input'), args: [invalid] })
        .then(
          () => assert.fail('expected the run to refuse its input'),
          (e: unknown) => e,
        );
      const cause = rootCause(err);
      assert.equal(cause?.type, 'InvalidInput');
      assert.match(cause?.message ?? '', /gateway\.instanceSpec: .*dedicated/);
      assert.match(cause?.message ?? '', /vpcs\.backend\.cidr: .*overlaps/);
      assert.deepEqual(cloud.calls, []);
    });
  });

  test('cross-region: waits for the ticket, publishes its parameters, ignores an empty signal, goes on with the signal', async () => {
    const cloud = new FakeCloud();
    await h.withWorker(cloud.activities(), async (taskQueue) => {
      const handle = await h.client.workflow.start(crossRegionAccess, {
        taskQueue,
        workflowId: uniqueId('cross-late'),
        // Reminders are checked in the deadline test: a reminder timer firing while the signal's workflow
        // task runs hits a devserver race (CancelTimer dropped for a timer it had just fired).
        args: [config('cross-region')],
      });
      const view = await ticketWait(handle);
      const cenId = [...cloud.resources.values()].find((r) => r.kind === 'cen')?.id;
      const apiAccessVpc = [...cloud.resources.values()].find((r) => r.name === 'vpc-api-access')?.id;
      assert.deepEqual(view.parameters, {
        'AccessRegionIds.1': 'cn-zhangjiakou',
        'AccessRegionIds.2': 'cn-shanghai',
        CenId: cenId,
        Host: '100.104.255.128/26',
        HostRegionId: 'cn-shanghai',
        HostVpcId: apiAccessVpc,
      });
      assert.match(view.text ?? '', /^AccessRegionIds\.1=cn-zhangjiakou\n/);
      const waitingProgress = await handle.query(progressQuery);
      assert.equal(waitingProgress.phase, 'waiting-for-cen-route-ticket');
      assert.equal(waitingProgress.steps.find((s) => s.name === 'cenRouteTicket')?.status, 'waiting');

      // A signal with an empty ticket id cannot be refused, but it is ignored.
      await handle.signal(cenRouteTicketFulfilledSignal, { ticketId: '' });
      cloud.applyRouteService((await handle.query(progressQuery)).ticket?.request ?? assert.fail('no request'));
      await handle.signal(cenRouteTicketFulfilledSignal, { ticketId: 'T-2026-001', note: 'routes added' });
      const result = await handle.result();
      assert.equal(result.verification.status, 200);
      assert.equal(result.inventory.filter((i) => i.kind === 'cenRouteService').length, 1);
      const done = await handle.query(progressQuery);
      assert.equal(done.ticket?.status, 'fulfilled');
      assert.equal(done.ticket?.ticketId, 'T-2026-001');
      await h.exportHistory(handle, 'cross-region-ticket-signal');
    });
  });

  test('cross-region: an early signal is kept until the wait begins', async () => {
    const cloud = new FakeCloud();
    await h.withWorker(cloud.activities(), async (taskQueue) => {
      const early = await h.client.workflow.start(crossRegionAccess, {
        taskQueue,
        workflowId: uniqueId('cross-early'),
        args: [config('cross-region')],
      });
      await early.signal(cenRouteTicketFulfilledSignal, { ticketId: 'T-early' });
      const result = await early.result();
      assert.equal(result.verification.status, 200);
      const progress = await early.query(progressQuery);
      assert.equal(progress.ticket?.ticketId, 'T-early');
      assert.equal(progress.ticket?.status, 'fulfilled');
      assert.equal(progress.ticket?.remindersSent, 0);
      await h.exportHistory(early, 'cross-region-early-signal');
    });
  });

  test('cross-region: the submitCenRouteTicket update refuses an empty id or a run not waiting, accepts a waiting one', async () => {
    const cloud = new FakeCloud();
    await h.withWorker(cloud.activities(), async (taskQueue) => {
      const handle = await h.client.workflow.start(crossRegionAccess, {
        taskQueue,
        workflowId: uniqueId('cross-update'),
        args: [config('cross-region')],
      });
      await assert.rejects(
        handle.executeUpdate(submitCenRouteTicketUpdate, { args: [{ ticketId: 'T-early' }] }),
        refusedWith(/not waiting for the CEN route ticket \(ticket status: not-yet-needed\)/),
      );
      await ticketWait(handle);
      await assert.rejects(
        handle.executeUpdate(submitCenRouteTicketUpdate, { args: [{ ticketId: '  ' }] }),
        refusedWith(/ticket id is empty/),
      );
      const accepted = await handle.executeUpdate(submitCenRouteTicketUpdate, { args: [{ ticketId: 'T-42' }] });
      assert.deepEqual(accepted, { accepted: true, ticketId: 'T-42', status: 'fulfilled' });
      assert.equal((await handle.result()).verification.status, 200);
      await assert.rejects(
        handle.executeUpdate(submitCenRouteTicketUpdate, { args: [{ ticketId: 'T-late' }] }),
        /not waiting|completed|closed/i,
      );
    });
  });

  test('cross-region: auto-detect goes on once the route service is Active', async () => {
    const cloud = new FakeCloud();
    await h.withWorker(cloud.activities(), async (taskQueue) => {
      const handle = await h.client.workflow.start(crossRegionAccess, {
        taskQueue,
        workflowId: uniqueId('cross-detect'),
        args: [config('cross-region', { ticket: { autoDetect: true, autoDetectInterval: '200ms' } })],
      });
      const request = await eventually(
        async () => (await handle.query(progressQuery)).ticket?.request ?? undefined,
        'request',
      );
      cloud.applyRouteService(request);
      await handle.result();
      assert.equal((await handle.query(progressQuery)).ticket?.status, 'detected');
      assert.ok(cloud.callsOf('describeRouteService') >= 1);
    });
  });

  test('cross-region: the ticket deadline fails the run and compensation removes everything', async () => {
    const cloud = new FakeCloud();
    await h.withWorker(cloud.activities(), async (taskQueue) => {
      const handle = await h.client.workflow.start(crossRegionAccess, {
        taskQueue,
        workflowId: uniqueId('cross-deadline'),
        args: [config('cross-region', { ticket: { deadline: '1500ms', reminderInterval: '400ms' } })],
      });
      const err = await handle.result().then(
        () => assert.fail('expected the deadline to fail the run'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof WorkflowFailedError);
      assert.match(String(err.cause?.message), /step cenRouteTicket failed/);
      assert.equal(rootCause(err)?.type, 'CenRouteTicketDeadlineExceeded');
      assert.equal(cloud.resources.size, 0, `left behind: ${JSON.stringify([...cloud.resources.values()])}`);
      const progress = await handle.query(progressQuery);
      assert.equal(progress.phase, 'failed');
      assert.equal(progress.ticket?.status, 'expired');
      assert.ok((progress.ticket?.remindersSent ?? 0) >= 2, 'a reminder at every interval');
      // Reminders also reach the memo, so Temporal UI shows them without a query.
      const memo = (await handle.describe()).memo;
      assert.equal(memo?.ticketRemindersSent, progress.ticket?.remindersSent);
      assert.equal(typeof memo?.ticketLastReminderAt, 'string');
      assert.equal(progress.compensation?.complete, true);
      assert.deepEqual(await handle.query(inventoryQuery), []);
      await h.exportHistory(handle, 'cross-region-ticket-deadline');
    });
  });

  test('a permanent error mid-run compensates in reverse and fails with the original cause', async () => {
    const cloud = new FakeCloud();
    cloud.failPermanently('createApi', 'QuotaExceeded.Api');
    await h.withWorker(cloud.activities(), async (taskQueue) => {
      const handle = await h.client.workflow.start(sameRegionAccess, {
        taskQueue,
        workflowId: uniqueId('permanent'),
        args: [config('same-region')],
      });
      const err = await handle.result().then(
        () => assert.fail('expected failure'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof WorkflowFailedError);
      assert.match(String(err.cause?.message), /step api failed: .*QuotaExceeded\.Api/);
      assert.equal(rootCause(err)?.type, 'QuotaExceeded.Api');
      assert.equal(cloud.resources.size, 0);
      assert.equal(cloud.callsOf('createApi'), 1, 'a non-retryable error is not retried');
      const progress = await handle.query(progressQuery);
      assert.equal(progress.steps.find((s) => s.name === 'api')?.status, 'failed');
      assert.equal(progress.steps.find((s) => s.name === 'verify')?.status, 'skipped');
      // Deletes ran in the safe order: the gateway instance after the API group, VPCs last.
      const deletes = cloud.calls.filter((c) => c.startsWith('delete') || c.startsWith('remove'));
      assert.ok(deletes.indexOf('deleteApiGroup') < deletes.indexOf('deleteDedicatedInstance'));
      assert.equal(deletes.at(-1), 'deleteVpc');
      await h.exportHistory(handle, 'same-region-compensation');
    });
  });

  test('cancelling a run waiting for the ticket compensates and ends cancelled', async () => {
    const cloud = new FakeCloud();
    await h.withWorker(cloud.activities(), async (taskQueue) => {
      const handle = await h.client.workflow.start(crossRegionAccess, {
        taskQueue,
        workflowId: uniqueId('cancel'),
        args: [config('cross-region')],
      });
      await ticketWait(handle);
      assert.ok(cloud.resources.size > 0);
      await handle.cancel();
      const err = await handle.result().then(
        () => assert.fail('expected cancellation'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure, String(err));
      assert.equal(cloud.resources.size, 0);
      assert.equal((await handle.query(progressQuery)).phase, 'failed');
    });
  });

  test('keepOnFailure keeps the resources and reports them', async () => {
    const cloud = new FakeCloud();
    cloud.failPermanently('enableVpcSubdomain', 'InvalidParameter');
    await h.withWorker(cloud.activities(), async (taskQueue) => {
      const handle = await h.client.workflow.start(sameRegionAccess, {
        taskQueue,
        workflowId: uniqueId('keep'),
        args: [config('same-region', { keepOnFailure: true })],
      });
      const err = await handle.result().then(
        () => assert.fail('expected failure'),
        (e: unknown) => e,
      );
      assert.match(String((err as WorkflowFailedError).cause?.message), /kept \d+ resources for inspection/);
      const inventory = await handle.query(inventoryQuery);
      assert.ok(inventory.length > 0);
      assert.equal(cloud.resources.size, inventory.length);
    });
  });

  test('transient faults are retried: success with exactly one of each resource', async () => {
    const cloud = new FakeCloud();
    cloud.failTransiently('createVpc', 2);
    cloud.failTransiently('createDedicatedInstance', 2);
    cloud.failTransiently('createApi', 1);
    cloud.failTransiently('createFunction', 1);
    await h.withWorker(cloud.activities(), async (taskQueue) => {
      const result = await h.client.workflow.execute(sameRegionAccess, {
        taskQueue,
        workflowId: uniqueId('faults'),
        args: [config('same-region')],
      });
      assert.equal(result.verification.status, 200);
      assert.equal(cloud.count('vpc'), 2);
      assert.equal(cloud.count('gatewayInstance'), 1);
      assert.equal(cloud.count('api'), 1);
      assert.equal(cloud.count('fcFunction'), 1);
      assert.equal(cloud.callsOf('createApi'), 2);
      assert.equal(cloud.callsOf('createVpc'), 4);
    });
  });

  test('a failed verification names the missing link and compensates', async () => {
    const cloud = new FakeCloud();
    cloud.invocation = { status: 0, body: '', error: 'dns' };
    await h.withWorker(cloud.activities(), async (taskQueue) => {
      const err = await h.client.workflow
        .execute(sameRegionAccess, { taskQueue, workflowId: uniqueId('verify'), args: [config('same-region')] })
        .then(
          () => assert.fail('expected failure'),
          (e: unknown) => e,
        );
      assert.equal(rootCause(err)?.type, 'VerificationFailed');
      assert.match(String((err as WorkflowFailedError).cause?.message), /missing: VPC subdomain enabled/);
      assert.equal(cloud.resources.size, 0);
    });
  });

  test('teardown reports a prepaid bandwidth package for a human and refuses unknown kinds', async () => {
    const cloud = new FakeCloud();
    await h.withWorker(cloud.activities(), async (taskQueue) => {
      const handle = await h.client.workflow.start(crossRegionAccess, {
        taskQueue,
        workflowId: uniqueId('prepaid'),
        args: [config('cross-region', { cen: { bandwidthChargeType: 'PREPAY' } })],
      });
      await handle.signal(cenRouteTicketFulfilledSignal, { ticketId: 'T-1' });
      const result = await handle.result();
      assert.match(result.notes.join('\n'), /prepaid/);
      const report = await h.client.workflow.execute(teardown, {
        taskQueue,
        workflowId: uniqueId('teardown'),
        args: [result.inventory],
      });
      assert.equal(report.complete, true);
      assert.deepEqual(
        report.needsHuman.map((r) => r.item.kind),
        ['cenBandwidthPackage'],
      );
      assert.deepEqual(
        [...cloud.resources.values()].map((r) => r.kind),
        ['cenBandwidthPackage'],
      );
      await assert.rejects(
        h.client.workflow.execute(teardown, {
          taskQueue,
          workflowId: uniqueId('teardown-bad'),
          args: [[{ kind: 'spaceship', id: 'x', region: 'r', name: 'n', createdBy: 's' } as never]],
        }),
        (err: unknown) => err instanceof WorkflowFailedError && /unknown kind/.test(String(err.cause?.message)),
      );
    });
  });
});

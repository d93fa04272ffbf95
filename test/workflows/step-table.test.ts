import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DELETE_ACTIVITY_BY_KIND, TEARDOWN_ORDER } from '../../activities/contract';
import { defaultRunConfig, SCENARIOS } from '../../config';
import { formatPlan, planRun } from '../../workflows/plan';
import { ACTIVITY_OPTIONS, RETRY_CLASS_OF } from '../../workflows/retry-policies';
import {
  executionOrder,
  executionWaves,
  predecessorsOf,
  stepsOf,
  transitiveDependencies,
  type StepDefinition,
} from '../../workflows/steps';
import { teardownOrder } from '../../workflows/teardown-order';

describe('step tables', () => {
  for (const scenario of SCENARIOS) {
    const steps = stepsOf(scenario);
    const config = defaultRunConfig(scenario);

    test(`${scenario}: names are unique and every step runs after its dependencies`, () => {
      const names = steps.map((s) => s.name);
      assert.equal(new Set(names).size, names.length);
      const order = executionOrder(steps);
      assert.deepEqual([...order].sort(), [...names].sort());
      for (const step of steps) {
        for (const dep of predecessorsOf(step)) {
          assert.ok(order.indexOf(dep) < order.indexOf(step.name), `${dep} must come before ${step.name}`);
        }
      }
    });

    test(`${scenario}: covers every runbook step`, () => {
      const last = scenario === 'same-region' ? 7 : 10;
      const covered = new Set(steps.map((s) => s.runbookStep[scenario]));
      for (let n = 1; n <= last; n++) assert.ok(covered.has(n), `runbook step ${n} has no workflow step`);
      assert.ok(steps.every((s) => s.runbookStep[scenario] !== undefined && s.runbookStep[scenario] <= last));
    });

    test(`${scenario}: teardown deletes what a step created before what it depends on`, () => {
      const rank = (kind: (typeof TEARDOWN_ORDER)[number]) => TEARDOWN_ORDER.indexOf(kind);
      for (const step of steps) {
        for (const dep of transitiveDependencies(steps, step.name)) {
          const depStep = steps.find((s) => s.name === dep) as StepDefinition;
          for (const mine of step.creates(config)) {
            for (const theirs of depStep.creates(config)) {
              if (mine.kind === theirs.kind) continue; // same kind: reverse creation order within the stage
              assert.ok(
                rank(mine.kind) < rank(theirs.kind),
                `${step.name} creates ${mine.kind} on top of ${dep}'s ${theirs.kind}: it must be deleted first`,
              );
            }
          }
        }
      }
    });

    test(`${scenario}: every activity has a retry class; waits and deletes heartbeat`, () => {
      for (const step of steps) {
        for (const activity of [...step.activities, ...(step.onFailure ?? [])]) {
          assert.ok(RETRY_CLASS_OF[activity], `${activity} has no retry class`);
        }
      }
      assert.ok(ACTIVITY_OPTIONS.wait.heartbeatTimeout);
      assert.ok(ACTIVITY_OPTIONS.delete.heartbeatTimeout);
      for (const kind of TEARDOWN_ORDER) assert.equal(RETRY_CLASS_OF[DELETE_ACTIVITY_BY_KIND[kind]], 'delete');
    });
  }

  test('independent slow steps start together (the critical path, not the sum)', () => {
    const [first, second] = executionWaves(stepsOf('cross-region'));
    assert.deepEqual(first, ['preflight']);
    for (const name of [
      'gatewayInstance',
      'apiAccessVpc',
      'backendVpc',
      'fcAccessVpc',
      'cen',
      'fcRole',
      'cenBandwidthPackage',
    ]) {
      assert.ok(second.includes(name as never), `${name} should start right after preflight`);
    }
  });

  test('CEN changes are chained (one change at a time per CEN)', () => {
    const steps = stepsOf('cross-region');
    const chain = [
      'cenAttachApiAccessVpc',
      'cenAttachFcAccessVpc',
      'cenBandwidthAssociation',
      'cenInterRegionBandwidth',
    ] as const;
    for (let i = 1; i < chain.length; i++) {
      assert.ok(transitiveDependencies(steps, chain[i]).has(chain[i - 1]), `${chain[i]} must wait for ${chain[i - 1]}`);
    }
  });

  test('a broken table is refused', () => {
    const base = { title: 't', runbookStep: {}, activities: [], creates: () => [], adoptable: false };
    assert.throws(
      () =>
        executionWaves([
          { ...base, name: 'api', dependsOn: ['deployApi'] },
          { ...base, name: 'deployApi', dependsOn: ['api'] },
        ]),
      /cycle among: api, deployApi/,
    );
    assert.throws(() => executionWaves([{ ...base, name: 'api', dependsOn: ['cen'] }]), /unknown step "cen"/);
  });
});

describe('plan', () => {
  test('lists every step, resource and call in execution order, with the ticket only in Scenario 2', () => {
    for (const scenario of SCENARIOS) {
      const config = defaultRunConfig(scenario);
      const plan = planRun(config);
      assert.deepEqual(
        plan.steps.map((s) => s.name),
        executionOrder(stepsOf(scenario)),
      );
      const resources = stepsOf(scenario).flatMap((s) => s.creates(config));
      assert.equal(plan.teardown.length, resources.length);
      const text = formatPlan(plan);
      assert.match(text, /createDedicatedInstance/);
      assert.match(text, /vpc "vpc-api-access" in cn-shanghai/);
      if (scenario === 'cross-region') {
        assert.match(text, /ResolveAndRouteServiceInCen/);
        assert.match(text, /vpc "vpc-fc-access" in cn-zhangjiakou/);
        assert.match(text, /fcFunction "fc-call-api-over-vpc" in cn-zhangjiakou/);
      } else {
        assert.doesNotMatch(text, /ResolveAndRouteServiceInCen|vpc-fc-access/);
        assert.match(text, /fcFunction "fc-call-api-over-vpc" in cn-shanghai/);
      }
    }
  });

  test('teardown order follows the safe order and undoes same-kind resources in reverse', () => {
    const plan = planRun(defaultRunConfig('same-region'));
    assert.equal(plan.teardown[0].kind, 'fcFunction');
    assert.deepEqual(
      plan.teardown.filter((r) => r.kind === 'vpc').map((r) => r.name),
      ['vpc-backend-1', 'vpc-api-access'],
    );
    assert.equal(plan.teardown.at(-1)?.kind, 'vpc');
  });
});

test('teardownOrder sorts an inventory by the safe order', () => {
  const inventory = [
    { kind: 'vpc' as const, id: 'vpc-1' },
    { kind: 'vSwitch' as const, id: 'vsw-1' },
    { kind: 'fcFunction' as const, id: 'f' },
    { kind: 'vpc' as const, id: 'vpc-2' },
    { kind: 'cen' as const, id: 'cen-1' },
  ];
  assert.deepEqual(
    teardownOrder(inventory).map((i) => i.id),
    ['f', 'cen-1', 'vsw-1', 'vpc-2', 'vpc-1'],
  );
});

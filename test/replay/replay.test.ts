/**
 * Every history in test/histories (recorded from devserver runs, see test/workflows/helpers/harness.ts)
 * must replay with the current workflow code. A second bundle, where the patched change is deployed
 * without `patched()`, must be caught as nondeterministic on a history recorded before the change.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundle } from '@temporalio/worker';
import { NormalModuleReplacementPlugin } from 'webpack';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from '../../emulator';
import { historyFromJson } from '../../client/history-json';
import { HISTORIES_DIR, quietRuntime, WORKFLOWS_PATH, workflowBundle } from '../workflows/helpers/harness';

const UNVERSIONED_PATCHES = require.resolve('./fixtures/unversioned-patches');

function loadHistories(): { name: string; history: ReturnType<typeof historyFromJson> }[] {
  return readdirSync(HISTORIES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.json$/, ''),
      history: historyFromJson(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'))),
    }));
}

async function replayAll(bundle: WorkflowBundle, histories: ReturnType<typeof loadHistories>) {
  const results: { name: string; error?: unknown }[] = [];
  const replay = Worker.runReplayHistories(
    { workflowBundle: bundle, replayName: 'replay-test' },
    histories.map(({ name, history }) => ({ workflowId: name, history })),
  );
  for await (const result of replay) results.push({ name: result.workflowId, error: result.error });
  return results;
}

describe('replay of recorded histories', () => {
  let histories: ReturnType<typeof loadHistories>;
  before(() => {
    quietRuntime();
    histories = loadHistories();
  });

  test('the recorded histories cover both scenarios: success, ticket wait, deadline, compensation', () => {
    const names = histories.map((h) => h.name);
    for (const expected of [
      'same-region-success',
      'same-region-compensation',
      'cross-region-ticket-signal',
      'cross-region-early-signal',
      'cross-region-ticket-deadline',
    ]) {
      assert.ok(names.includes(expected), `missing test/histories/${expected}.json`);
    }
  });

  test('no history holds credentials (payloads decoded)', () => {
    for (const file of readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'))) {
      const text = readFileSync(join(HISTORIES_DIR, file), 'utf8');
      const payloads = [...text.matchAll(/"data":\s*"([^"]+)"/g)].map((m) =>
        Buffer.from(m[1], 'base64').toString('utf8'),
      );
      const everything = [text, ...payloads].join('\n');
      for (const secret of [DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, 'Signature=', 'AccessKeySecret']) {
        assert.ok(!everything.includes(secret), `${file} contains ${secret}`);
      }
    }
  });

  test('every history replays with the current workflow code', async () => {
    const results = await replayAll(await workflowBundle(), histories);
    assert.equal(results.length, histories.length);
    for (const { name, error } of results) assert.equal(error, undefined, `${name} failed to replay: ${String(error)}`);
  });

  test('the same change without patched() is caught as nondeterministic', async () => {
    const unversioned = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: new DefaultLogger('ERROR'),
      webpackConfigHook: (config) => ({
        ...config,
        plugins: [
          ...(config.plugins ?? []),
          new NormalModuleReplacementPlugin(/^\.\/patches$/, (resource: { request: string }) => {
            resource.request = UNVERSIONED_PATCHES;
          }),
        ],
      }),
    });
    const results = new Map((await replayAll(unversioned, histories)).map((r) => [r.name, r.error] as const));
    // The ticket was reported by signal in these runs: the new activity call has no event in the history.
    for (const name of ['cross-region-ticket-signal', 'cross-region-early-signal']) {
      const error = results.get(name);
      assert.ok(error instanceof DeterminismViolationError, `${name}: expected nondeterminism, got ${String(error)}`);
    }
    // Runs that never reached that code are unaffected.
    assert.equal(results.get('same-region-success'), undefined);
    assert.equal(results.get('cross-region-ticket-deadline'), undefined);
  });
});

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle } from '../../emulator';
import type { CodeExecution } from '../../emulator';
import { FUNCTIONS, fcCall } from './fc-fixtures';
import { PROJECT_FUNCTION, SCENARIOS } from './reachability-fixtures';

/*
 * The reachability chain through the wire: a signed InvokeFunction over HTTP, as the workflow's verify
 * step sends it, for the full Scenario 1 and 2 chains and for every single broken link. Model mode answers
 * what the project's function returns (checked against real Python in reachability.test.ts), so every
 * link is cheap to check here; the full chains also run the real Python code.
 */

interface FunctionAnswer {
  status: number | null;
  body: string | null;
  error?: { kind: string };
}

let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function emulator(fcCodeExecution?: CodeExecution): Promise<EmulatorHandle> {
  // A frozen clock: only advanceClock moves time (the ECS service start-up is part of the model).
  const frozen = Date.now();
  emu = await startEmulator({ port: 0, clock: () => frozen, ...(fcCodeExecution ? { fcCodeExecution } : {}) });
  return emu;
}

async function invokeOverHttp(handle: EmulatorHandle, region: string, url?: string): Promise<FunctionAnswer> {
  const res = await fcCall(handle, region, 'POST', `${FUNCTIONS}/caller/invocations`, {
    raw: url ? JSON.stringify({ url }) : '',
    headers: { 'x-fc-invocation-type': 'Sync' },
  });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers['x-fc-error-type'], undefined, res.text);
  return JSON.parse(res.text) as FunctionAnswer;
}

/** What the project's function reports for a symptom of the model. */
function expectedAnswer(symptom: string): { status: number | null; kind: string | undefined } {
  const http = /^http-(\d{3})$/.exec(symptom);
  if (http) return { status: Number(http[1]), kind: 'http' };
  const kinds: Record<string, string> = {
    timeout: 'timeout',
    'dns-failure': 'dns',
    'connection-refused': 'connection_refused',
  };
  return { status: null, kind: kinds[symptom] };
}

async function lastTrace(handle: EmulatorHandle): Promise<{ mode: string; missingLink?: string }> {
  const res = await fetch(`${handle.url}/_emulator/fc/invocations`);
  const { invocations } = (await res.json()) as { invocations: { mode: string; missingLink?: string }[] };
  const last = invocations.at(-1);
  if (!last) throw new Error('no invocation traced');
  return last;
}

for (const scenario of SCENARIOS) {
  describe(`${scenario.name} through HTTP InvokeFunction`, () => {
    it('the full chain answers with the backend (real Python code)', async () => {
      const handle = await emulator('python');
      scenario.build(handle, PROJECT_FUNCTION);
      const answer = await invokeOverHttp(handle, scenario.region);
      assert.equal(answer.status, 200, JSON.stringify(answer));
      assert.match(answer.body ?? '', /Hello from the ECS backend/);
      assert.equal((await lastTrace(handle)).mode, 'python');
    });

    it('the full chain answers with the backend (model mode, startEmulator({ fcCodeExecution }))', async () => {
      const handle = await emulator('model');
      scenario.build(handle, PROJECT_FUNCTION);
      const answer = await invokeOverHttp(handle, scenario.region);
      assert.equal(answer.status, 200, JSON.stringify(answer));
      assert.match(answer.body ?? '', /Hello from the ECS backend/);
      assert.equal((await lastTrace(handle)).mode, 'model');
    });

    for (const broken of scenario.breaks) {
      it(`broken: ${broken.link} → ${broken.symptom} (${broken.missingLink})`, async () => {
        const handle = await emulator('model');
        scenario.build(handle, PROJECT_FUNCTION);
        broken.apply(handle);
        const answer = await invokeOverHttp(handle, scenario.region, broken.url);
        assert.deepEqual(
          { status: answer.status, kind: answer.error?.kind },
          expectedAnswer(broken.symptom),
          JSON.stringify(answer),
        );
        assert.equal((await lastTrace(handle)).missingLink, broken.missingLink);
      });
    }
  });
}

describe('startEmulator({ fcCodeExecution })', () => {
  it('refuses an unknown mode before listening', async () => {
    await assert.rejects(
      startEmulator({ port: 0, fcCodeExecution: 'sometimes' as CodeExecution }),
      /fcCodeExecution must be auto, python or model/,
    );
  });
});

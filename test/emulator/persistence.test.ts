import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startEmulator } from '../../emulator';
import { rpcV1 } from './core-signers';
import { FUNCTIONS, fcCall } from './fc-fixtures';
import { PROJECT_FUNCTION, SCENARIOS } from './reachability-fixtures';

/* A state file with the real products: a restarted emulator keeps every record, token and pending transition. */

describe('persistence with the real products', () => {
  it('a restarted emulator keeps a Scenario 2 chain working, a pending VPC and its ClientToken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-products-state-'));
    const stateFile = join(dir, 'state.json');
    const frozen = Date.now();
    const options = { port: 0, stateFile, clock: () => frozen, fcCodeExecution: 'model' as const };
    const scenario = SCENARIOS[1];
    try {
      const first = await startEmulator(options);
      let vpcId = '';
      try {
        scenario.build(first, PROJECT_FUNCTION);
        const created = await rpcV1(first.url, 'POST', {
          Action: 'CreateVpc',
          Version: '2016-04-28',
          RegionId: 'cn-beijing',
          ClientToken: 'persisted-token',
        });
        assert.equal(created.status, 200, created.text);
        vpcId = String(created.json.VpcId);
      } finally {
        await first.close();
      }

      const second = await startEmulator(options);
      try {
        const readVpc = () =>
          rpcV1(second.url, 'POST', {
            Action: 'DescribeVpcAttribute',
            Version: '2016-04-28',
            RegionId: 'cn-beijing',
            VpcId: vpcId,
          });
        assert.equal((await readVpc()).json.Status, 'Pending');
        second.advanceClock(60_000);
        assert.equal((await readVpc()).json.Status, 'Available');
        const again = await rpcV1(second.url, 'POST', {
          Action: 'CreateVpc',
          Version: '2016-04-28',
          RegionId: 'cn-beijing',
          ClientToken: 'persisted-token',
        });
        assert.equal(again.json.VpcId, vpcId, 'the token survived the restart');

        const invoked = await fcCall(second, scenario.region, 'POST', `${FUNCTIONS}/caller/invocations`, { raw: '' });
        assert.equal(invoked.status, 200, invoked.text);
        assert.equal((JSON.parse(invoked.text) as { status: number }).status, 200, invoked.text);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { historyFromJson } from '../../client/history-json';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createCloudClients } from '../../activities/cloud';
import { startDevServer, type DevServer } from '../../devserver';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startEmulator, type EmulatorHandle } from '../../emulator';
import { bundleWorkflows, createAppWorker } from '../../worker/create-worker';
import { fileCenRouteTicketWithEmulator } from '../../client/support-desk';

/** The real `fc-apigw-vpc` executable against the embedded Temporal server and the emulator, worker in this process. */

const BIN = join(__dirname, '..', '..', 'bin', 'fc-apigw-vpc');

let emulator: EmulatorHandle;
let server: DevServer;
let connection: NativeConnection;
let worker: Worker;
let workerRun: Promise<void>;
let dir: string;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      BIN,
      args,
      {
        env: { ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default', ...env },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

before(async () => {
  Runtime.install({ logger: new DefaultLogger('ERROR', () => undefined) });
  dir = mkdtempSync(join(tmpdir(), 'cli-'));
  emulator = await startEmulator({ port: 0 });
  server = await startDevServer({ port: 0, log: () => undefined });
  connection = await NativeConnection.connect({ address: server.address });
  const clients = createCloudClients({
    endpoint: emulator.url,
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
    env: {},
  });
  worker = await createAppWorker({
    connection,
    namespace: 'default',
    activities: createActivities(clients, { pollIntervalMs: 20 }),
    workflowBundle: await bundleWorkflows(),
  });
  workerRun = worker.run();
});

after(async () => {
  worker.shutdown();
  await workerRun;
  await connection.close();
  await server.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fc-apigw-vpc CLI without a run', { concurrency: true }, () => {
  it('prints help with the exit codes', async () => {
    const run = await cli(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Exit codes: 0 ok; 1/);
  });

  it('refuses bad arguments and bad configs with exit 2 before contacting anything', async () => {
    const bad = await cli(['start', 'moon-region']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown scenario "moon-region"/);
    const config = join(dir, 'bad.json');
    writeFileSync(
      config,
      JSON.stringify({ vpcs: { backend: { cidr: '192.168.0.0/16' } }, gateway: { instanceSpec: 'shared' } }),
    );
    const invalid = await cli(['start', 'same-region', '--config', config], {
      TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`,
    });
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /vpcs\.backend/);
    assert.match(invalid.stderr, /gateway\.instanceSpec/);
  });

  it('prints the plan without a server', async () => {
    const run = await cli(['plan', 'cross-region', '--json'], { TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}` });
    assert.equal(run.code, 0, run.stderr);
    const plan = JSON.parse(run.stdout) as { scenario: string; steps: { name: string }[] };
    assert.equal(plan.scenario, 'cross-region');
    assert.ok(plan.steps.some((s) => s.name === 'cenRouteTicket'));
  });

  it('exits 3 for an unknown workflow and 4 when Temporal is unreachable', async () => {
    const missing = await cli(['status', 'no-such-run']);
    assert.equal(missing.code, 3, missing.stderr);
    const down = await cli(['status', 'x'], { TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}` });
    assert.equal(down.code, 4, down.stderr);
  });
});

/** Ids of every resource the emulator holds now (GET /_emulator/resources). */
async function emulatorResourceIds(): Promise<string[]> {
  const response = await fetch(`${emulator.url}/_emulator/resources`);
  return ((await response.json()) as { resources: { id: string }[] }).resources.map((r) => r.id).sort();
}

describe('fc-apigw-vpc CLI with runs', () => {
  it('runs Scenario 1 with --wait, shows status, refuses a ticket, exports a replayable history, lists, tears down', async () => {
    const id = `cli-same-${process.pid}`;
    const start = await cli(['start', 'same-region', '--id', id, '--wait']);
    assert.equal(start.code, 0, start.stderr + start.stdout);
    assert.match(start.stdout, /✓ .*Create vpc-api-access/);
    assert.match(start.stdout, /backend answered: +HTTP 200/);

    const twice = await cli(['start', 'same-region', '--id', id]);
    assert.equal(twice.code, 5, twice.stderr);
    assert.match(twice.stderr, /already/i);

    const status = await cli(['status', id, '--json']);
    assert.equal(status.code, 0, status.stderr);
    const view = JSON.parse(status.stdout) as { status: string; result: { verification: { status: number } } };
    assert.equal(view.status, 'COMPLETED');
    assert.equal(view.result.verification.status, 200);
    const human = await cli(['status', id]);
    assert.match(human.stdout, /backend answered: +HTTP 200/);

    const ticket = await cli(['ticket', id, '--ticket-id', 'T-1']);
    assert.equal(ticket.code, 5, ticket.stderr);

    const out = join(dir, 'history.json');
    const history = await cli(['history', id, '--out', out]);
    assert.equal(history.code, 0, history.stderr);
    const parsed = historyFromJson(JSON.parse(readFileSync(out, 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: await bundleWorkflows() }, parsed, id);

    const list = await cli(['list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(id));

    const teardown = await cli(['teardown', id, '--wait']);
    assert.equal(teardown.code, 0, teardown.stderr + teardown.stdout);
    assert.match(teardown.stdout, /teardown complete/);
    assert.deepEqual(await emulatorResourceIds(), [], 'teardown --wait returns once everything is gone');
  });

  it('runs Scenario 2: status shows the ticket parameters, ticket answers the update, the run succeeds', async () => {
    const id = `cli-cross-${process.pid}`;
    const start = await cli(['start', 'cross-region', '--id', id]);
    assert.equal(start.code, 0, start.stderr);
    type TicketView = { status: string; parameters: Record<string, string> | null } | null;
    let ticket = null as TicketView;
    for (let i = 0; i < 120 && ticket?.status !== 'waiting'; i++) {
      const status = await cli(['status', id, '--json']);
      assert.equal(status.code, 0, status.stderr);
      ticket = (JSON.parse(status.stdout) as { ticket: TicketView }).ticket;
      if (ticket?.status !== 'waiting') await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(ticket?.status, 'waiting');
    const human = await cli(['status', id]);
    assert.match(human.stdout, /AccessRegionIds\.1=cn-zhangjiakou/);
    assert.match(human.stdout, /Host=100\.\d+\.\d+\.\d+\/\d+/);

    const early = await cli(['teardown', id]);
    assert.equal(early.code, 5, early.stderr);
    assert.match(early.stderr, /still running/);

    const empty = await cli(['ticket', id, '--ticket-id', ' ']);
    assert.equal(empty.code, 2, empty.stderr);

    await fileCenRouteTicketWithEmulator(emulator.url, ticket?.parameters ?? {}, 'T-42');
    const done = await cli(['ticket', id, '--ticket-id', 'T-42', '--note', 'route added']);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /ticket T-42 accepted/);

    const teardown = await cli(['teardown', id, '--wait', '--json']);
    assert.equal(teardown.code, 0, teardown.stderr + teardown.stdout);
    const report = JSON.parse(teardown.stdout) as {
      complete: boolean;
      needsHuman: { item: { kind: string; id: string } }[];
    };
    assert.equal(report.complete, true);
    assert.deepEqual(
      report.needsHuman.map((r) => r.item.kind),
      ['cenBandwidthPackage'],
    );
    // Right when teardown returns, the emulator holds exactly what the report leaves for a human.
    assert.deepEqual(
      await emulatorResourceIds(),
      report.needsHuman.map((r) => r.item.id),
    );
  });
});

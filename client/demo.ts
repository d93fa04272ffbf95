/**
 * `npm start`: both runbook scenarios end to end with nothing installed and no network. Starts the
 * embedded Temporal-compatible server, the Alibaba Cloud emulator and a worker in this process, runs
 * Scenario 1 (same region) and Scenario 2 (cross region, playing CEN support for the route ticket),
 * prints a line per step and what the function got back from the backend, tears both down, and checks
 * that the emulator holds nothing but what the teardown reported for a human. DEMO_HISTORY_DIR=dir also
 * writes each run's history there.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createCloudClients } from '../activities/cloud';
import { loadRunConfig } from '../config/load';
import { startDevServer } from '../devserver';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startEmulator, type EmulatorHandle } from '../emulator';
import { bundleWorkflows, createAppWorker } from '../worker/create-worker';
import { TASK_QUEUE } from '../worker/temporal-config';
import type { AccessResult } from '../workflows/provision';
import {
  submitCenRouteTicketUpdate,
  WORKFLOW_TYPES,
  type TeardownReport,
  type TicketRequestView,
} from '../workflows/messages';
import type { ScenarioName } from './args';
import { printAccessResult, printTeardownReport, teardownWorkflowId, type CliIo } from './commands';
import { historyToJson } from './history-json';
import { watchProgress } from './progress';
import { fileCenRouteTicketWithEmulator } from './support-desk';

const SUPPORT_DESK_PAUSE_MS = 2_000;

const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  pollMs: 250,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Leftover {
  id: string;
  type: string;
}

async function emulatorResources(emulator: EmulatorHandle): Promise<Leftover[]> {
  const response = await fetch(`${emulator.url}/_emulator/resources`);
  return ((await response.json()) as { resources: Leftover[] }).resources;
}

/**
 * Plays CEN support once the run has published its ticket (seen by the progress watcher, so the demo
 * never queries the workflow from two places at once): pauses visibly, applies the route through the
 * emulator, reports the ticket with the validated update.
 */
async function playSupportDesk(
  emulator: EmulatorHandle,
  handle: WorkflowHandle,
  ticketRequested: Promise<TicketRequestView>,
  prefix: string,
): Promise<void> {
  const view = await ticketRequested;
  if (!view.parameters) throw new Error('support desk: the ticket request carries no parameters');
  io.out(
    `${prefix}support desk: ticket received, configuring the CEN route (pausing ${SUPPORT_DESK_PAUSE_MS / 1000} s)…`,
  );
  await sleep(SUPPORT_DESK_PAUSE_MS);
  const { ticketId } = await fileCenRouteTicketWithEmulator(
    emulator.url,
    view.parameters,
    `demo-ticket-${handle.workflowId}`,
  );
  const sentAt = Date.now();
  const answer = await handle.executeUpdate(submitCenRouteTicketUpdate, {
    args: [{ ticketId, note: 'route configured by the demo support desk' }],
  });
  io.out(
    `${prefix}support desk: ticket ${answer.ticketId} done, run notified (ticket ${answer.status}, ` +
      `update answered in ${((Date.now() - sentAt) / 1000).toFixed(1)} s)`,
  );
}

async function runScenario(client: Client, emulator: EmulatorHandle, scenario: ScenarioName): Promise<TeardownReport> {
  const prefix = `[${scenario}] `;
  const workflowId = `demo-${scenario}-${Date.now()}`;
  io.out(`\n=== Scenario ${scenario === 'same-region' ? 1 : 2}: ${scenario} (${workflowId}) ===`);
  const handle = await client.workflow.start(WORKFLOW_TYPES[scenario], {
    taskQueue: TASK_QUEUE,
    workflowId,
    args: [loadRunConfig(scenario)],
  });
  let ticketRequested: (view: TicketRequestView) => void = () => undefined;
  const ticketRequest = new Promise<TicketRequestView>((resolve) => (ticketRequested = resolve));
  const stop = watchProgress(handle, {
    intervalMs: io.pollMs,
    print: io.out,
    prefix,
    onTicketRequest: ticketRequested,
  });
  const desk =
    scenario === 'cross-region' ? playSupportDesk(emulator, handle, ticketRequest, prefix) : Promise.resolve();
  let result: AccessResult;
  try {
    [result] = await Promise.all([handle.result() as Promise<AccessResult>, desk]);
  } finally {
    await stop();
  }
  printAccessResult(io, workflowId, result);
  await saveHistory(handle);

  io.out(`${prefix}tearing down ${result.inventory.length} resource(s)…`);
  const teardown = await client.workflow.start(WORKFLOW_TYPES.teardown, {
    taskQueue: TASK_QUEUE,
    workflowId: teardownWorkflowId(workflowId),
    args: [result.inventory],
  });
  const stopTeardown = watchProgress(teardown, { intervalMs: io.pollMs, print: io.out, prefix: `${prefix}teardown ` });
  let report: TeardownReport;
  try {
    report = (await teardown.result()) as TeardownReport;
  } finally {
    await stopTeardown();
  }
  printTeardownReport(io, report);
  return report;
}

/** With DEMO_HISTORY_DIR set, each run's history is written there (Temporal's JSON format, replayable). */
async function saveHistory(handle: WorkflowHandle): Promise<void> {
  const dir = process.env.DEMO_HISTORY_DIR;
  if (!dir) return;
  const file = join(dir, `${handle.workflowId}.json`);
  writeFileSync(file, historyToJson(await handle.fetchHistory()));
  io.out(`history written to ${file}`);
}

async function main(): Promise<number> {
  // The SDK logs every failed attempt at length; the demo shows progress lines instead, and errors briefly.
  Runtime.install({
    logger: new DefaultLogger('ERROR', (entry) => io.err(`  (${entry.level.toLowerCase()}) ${entry.message}`)),
  });
  const emulator = await startEmulator({ port: 0 });
  const server = await startDevServer({ port: 0, log: () => undefined });
  io.out(`emulator on ${emulator.url}, embedded Temporal on ${server.address}`);
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  try {
    const client = new Client({ connection });
    const clients = createCloudClients({
      endpoint: emulator.url,
      credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
      env: {},
    });
    const worker = await createAppWorker({
      connection: nativeConnection,
      namespace: 'default',
      activities: createActivities(clients, { pollIntervalMs: 50 }),
      workflowBundle: await bundleWorkflows(),
    });
    const reports = await worker.runUntil(async () => {
      const first = await runScenario(client, emulator, 'same-region');
      const second = await runScenario(client, emulator, 'cross-region');
      return [first, second];
    });

    const reported = new Set(reports.flatMap((r) => r.needsHuman.map((d) => d.item.id)));
    const left = await emulatorResources(emulator);
    const unexpected = left.filter((r) => !reported.has(r.id));
    io.out('');
    for (const r of left.filter((l) => reported.has(l.id))) io.out(`left for a human, as reported: ${r.type} ${r.id}`);
    if (unexpected.length > 0 || reports.some((r) => !r.complete)) {
      io.err(
        `demo FAILED: the emulator still holds ${unexpected.map((r) => `${r.type} ${r.id}`).join(', ') || 'nothing'}`,
      );
      return 1;
    }
    io.out('demo OK: both scenarios verified end to end and torn down; the emulator holds nothing unreported.');
    return 0;
  } finally {
    await nativeConnection.close();
    await connection.close();
    await server.close();
    await emulator.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const cause = error instanceof WorkflowFailedError ? (error.cause?.message ?? error.message) : undefined;
    console.error(`demo FAILED: ${cause ?? (error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
    process.exit(1);
  },
);

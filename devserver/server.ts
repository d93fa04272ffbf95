// Assembles the devserver: engine + journal + gRPC services on one port.
import { DevClock } from './clock';
import { Engine, type ExecRecord } from './engine/engine';
import { Namespaces, type NamespaceRecord } from './engine/namespaces';
import { buildService, statusOf } from './grpc/service-definition';
import { startUnaryServer } from './grpc/unary-server';
import { Journal, type JournalOpenResult } from './journal';
import { msFromTs } from './proto';
import { operatorServiceHandlers } from './services/operator-service';
import { testServiceHandlers } from './services/test-service';
import { workflowServiceHandlers } from './services/workflow-service';
import type { SearchAttributeType } from './visibility-query';

export interface DevServerOptions {
  /** TCP port; 0 picks a free one. Default 7233. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  ip?: string;
  /** Namespaces registered at start (more can be registered over gRPC). Default ['default']. */
  namespaces?: string[];
  /** Custom search attributes registered in every namespace (besides the defaults). */
  searchAttributes?: Record<string, SearchAttributeType>;
  /** Journal file: every change is appended (and fsync'ed) there and replayed at start. Omitted: in memory. */
  dbFile?: string;
  /** The server's clock; pass `new DevClock({ timeSkipping: true })` to control time. Default: real time. */
  clock?: DevClock;
  /** Long-poll timeout in ms (default 55 000, below the SDK's ~70 s poll deadline). */
  pollTimeoutMs?: number;
  /** A query no worker answers fails with DEADLINE_EXCEEDED after this many ms. Default 60 000. */
  queryTimeoutMs?: number;
  /**
   * A query task handed out on its own (not inside a workflow task) and not answered within this many
   * ms is handed out again, until `queryTimeoutMs`; the first answer wins. Default 5 000.
   */
  queryRedeliveryMs?: number;
  /** Free closed workflows' histories from memory after this many ms (re-read from the journal). Default 10 000. */
  evictAfterMs?: number;
  /** Diagnostics (journal repairs, internal errors). Default: stderr. */
  log?: (message: string) => void;
}

export interface DevServer {
  /** host:port, as TEMPORAL_ADDRESS / Connection.connect({ address }) expect it. */
  readonly address: string;
  readonly port: number;
  readonly clock: DevClock;
  readonly engine: Engine;
  /** gRPC calls received since start: a diagnostic for benchmarks and tests. */
  rpcCalls(): number;
  close(): Promise<void>;
}

type JournalEntry =
  | ExecRecord
  | { t: 'ns'; record: NamespaceRecord }
  | { t: 'sa'; namespace: string; added: Record<string, SearchAttributeType> };

/**
 * Rewrites the journal as one record per namespace and per execution (its full history and latest
 * state) when replay read more records than that, so the file does not grow with every past change.
 */
function compactJournal(journal: Journal, replayed: number, engine: Engine, namespaces: Namespaces): void {
  const nsRecords: JournalEntry[] = namespaces.list().map((record) => ({ t: 'ns', record }));
  const execs = [...engine.executions.values()];
  if (replayed <= nsRecords.length + execs.length) return;
  const execRecords: JournalEntry[] = execs.map((e) => ({ t: 'exec', state: e.state, events: engine.historyOf(e) }));
  const offsets = journal.compact([...nsRecords, ...execRecords]);
  execs.forEach((e, i) => engine.setRecordOffsets(e, [offsets[nsRecords.length + i]]));
}

/**
 * Applies the journal's records; returns how many there were. A function of its own so that no
 * closure of `startDevServer` keeps the records (every replayed event) alive after start-up: evicted
 * histories must really leave memory.
 */
function replayJournal(opened: JournalOpenResult, engine: Engine, namespaces: Namespaces): number {
  opened.records.forEach((raw, i) => {
    const entry = raw as JournalEntry;
    if (entry.t === 'exec') engine.replayRecord(entry, opened.offsets[i]);
    else if (entry.t === 'ns') namespaces.add(entry.record);
    else if (entry.t === 'sa') Object.assign(namespaces.require(entry.namespace).searchAttributes, entry.added);
  });
  return opened.records.length;
}

function latestEventTime(engine: Engine): number {
  let latest = 0;
  for (const exec of engine.executions.values()) {
    const last = exec.history?.at(-1);
    latest = Math.max(latest, msFromTs(last?.eventTime) ?? exec.state.closeTime ?? exec.state.startTime);
  }
  return latest;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? ((m: string) => process.stderr.write(`[devserver] ${m}\n`));
  const clock = options.clock ?? new DevClock();
  const namespaces = new Namespaces();
  const opened = options.dbFile ? Journal.open(options.dbFile, { onWarning: log }) : undefined;
  const journal = opened?.journal;
  clock.onError = (err, key) =>
    log(`deadline ${key} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  const engine = new Engine({
    clock,
    namespaces,
    store: journal,
    pollTimeoutMs: options.pollTimeoutMs,
    queryTimeoutMs: options.queryTimeoutMs,
    queryRedeliveryMs: options.queryRedeliveryMs,
    log,
  });
  const append = (entry: JournalEntry) => journal?.append(entry); // rare: namespaces, search attributes

  const replayed = opened ? replayJournal(opened, engine, namespaces) : 0;
  for (const name of options.namespaces ?? ['default']) {
    if (!namespaces.has(name)) append({ t: 'ns', record: namespaces.add({ name }) });
    const added = options.searchAttributes ?? {};
    if (Object.keys(added).length > 0) {
      Object.assign(namespaces.require(name).searchAttributes, added);
      append({ t: 'sa', namespace: name, added });
    }
  }
  if (journal) compactJournal(journal, replayed, engine, namespaces);
  // Virtual time is not journaled; never let it run behind what the journal already recorded.
  clock.advanceTo(latestEventTime(engine));
  engine.resumeAfterReplay();

  const hooks = {
    onError: (err: unknown, rpc: string) =>
      log(`${rpc} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    // One shared fdatasync (group commit) covers every change journaled before the answer.
    beforeReply: journal ? () => journal.sync() : undefined,
  };
  const services = [
    buildService(
      'temporal.api.workflowservice.v1.WorkflowService',
      workflowServiceHandlers(engine, (record) => append({ t: 'ns', record })),
      hooks,
    ),
    buildService(
      'temporal.api.operatorservice.v1.OperatorService',
      operatorServiceHandlers(engine, (namespace, added) => append({ t: 'sa', namespace, added })),
      hooks,
    ),
    buildService('temporal.api.testservice.v1.TestService', testServiceHandlers(clock), hooks),
  ];
  const ip = options.ip ?? '127.0.0.1';
  const wantedPort = options.port ?? 7233;
  let server;
  try {
    server = await startUnaryServer(ip, wantedPort, {
      methods: new Map(services.flatMap((s) => [...s])),
      maxReceiveBytes: 128 * 1024 * 1024,
      toStatus: (err, path) => statusOf(err, path.slice(path.lastIndexOf('/') + 1), hooks.onError),
    });
  } catch (err) {
    // Nothing may stay open behind a failed start (an in-process caller goes on running).
    engine.shutdown();
    clock.close();
    journal?.close();
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') {
      throw new Error(
        `cannot listen on ${ip}:${wantedPort}: the port is in use (another devserver or Temporal?); stop it or choose another port (--port, 0 for any free one)`,
      );
    }
    throw err;
  }
  const port = server.port;

  const evictAfterMs = options.evictAfterMs ?? 10_000;
  const evictTimer = journal ? setInterval(() => engine.evictClosedHistories(evictAfterMs), evictAfterMs) : undefined;
  evictTimer?.unref();

  let closing: Promise<void> | undefined;
  return {
    address: `${ip}:${port}`,
    port,
    clock,
    engine,
    rpcCalls: () => server.calls,
    close() {
      closing ??= (async () => {
        if (evictTimer) clearInterval(evictTimer);
        engine.shutdown();
        await server.close(500);
        clock.close();
        journal?.close();
      })();
      return closing;
    },
  };
}

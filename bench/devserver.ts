/**
 * Devserver benchmark: `npx tsx bench/devserver.ts [--quick]`.
 *
 * The server runs in a child process (started in-process there with `startDevServer`), the real SDK
 * worker and client run here, so CPU time and memory can be attributed to each side:
 *   - journal:    raw append/fsync throughput of devserver/journal.ts
 *   - latency:    end-to-end time of a one-task workflow, and the extra time per activity
 *   - throughput: N concurrent small workflows (start → activity → signal → timer → complete),
 *                 with the server's CPU share against the SDK's
 *   - idle:       server and SDK CPU while nothing runs but the worker's long polls (should be ~0)
 *   - memory:     server RSS / heap after many completed workflows, with and without the journal
 *                 (with a journal, closed histories may be evicted from RAM)
 * Figures are printed, never asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Session as InspectorSession } from 'node:inspector';
import { InterceptingCall, status as grpcStatus, type Interceptor } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  makeTelemetryFilterString,
  NativeConnection,
  Runtime,
  Worker,
} from '@temporalio/worker';
import { Journal } from '../devserver/journal';
import * as activities from './fixtures/activities';
import { goSignal, sequentialActivitiesWorkflow, smallWorkflow, trivialWorkflow } from './fixtures/workflows';
import { RAW_WORKFLOW_RPCS, runRawWorkflow } from './raw-workflow';

const TASK_QUEUE = 'bench-devserver';
const PHASE_DEADLINE_MS = 180_000;

interface BenchOptions {
  quick: boolean;
  timerMs: number;
  concurrency: number[];
  latencyRuns: number;
  activitiesPerRun: number;
  memoryWorkflows: number;
  skipMemory: boolean;
  /** How long the idle phase watches CPU. */
  idleMs: number;
  /** CPU-profile the server during the throughput runs and print its hottest code. */
  profile: boolean;
}

function parseBenchArgs(argv: string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const value = (flag: string): number | undefined => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer, got '${argv[i + 1]}'`);
    return n;
  };
  const withValue = new Set(['--timer-ms', '--memory-workflows', '--idle-ms']);
  for (let i = 0; i < argv.length; i++) {
    if (withValue.has(argv[i])) i++;
    else if (!['--quick', '--skip-memory', '--profile'].includes(argv[i])) {
      throw new Error(
        `Unknown argument '${argv[i]}'. Use --quick, --timer-ms <ms>, --memory-workflows <n>, --idle-ms <ms>, --skip-memory, --profile`,
      );
    }
  }
  return {
    quick,
    timerMs: value('--timer-ms') ?? 1000,
    concurrency: quick ? [10, 100] : [10, 100, 1000],
    latencyRuns: quick ? 20 : 50,
    activitiesPerRun: quick ? 10 : 20,
    memoryWorkflows: value('--memory-workflows') ?? (quick ? 1000 : 10_000),
    idleMs: value('--idle-ms') ?? 5000,
    skipMemory: argv.includes('--skip-memory'),
    profile: argv.includes('--profile'),
  };
}

// ---------------------------------------------------------------------------------------------------
// Small statistics and table helpers

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summarize(samples: number[]): { mean: number; p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
  };
}

/** Prints a Markdown-like table: the first and the last column left-aligned, figures right-aligned. */
function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const last = header.length - 1;
  const leftAligned = (i: number) =>
    i === 0 || (i === last && rows.some((r) => typeof r[i] === 'string' && !/^[\d.:% -]+$/.test(r[i] as string)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (leftAligned(i) ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(`\n## ${title}`);
  console.log(line(cells[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** A stuck server must fail the benchmark with a clear message, not hang it. */
async function withDeadline<T>(phase: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `bench phase '${phase}' did not finish within ${PHASE_DEADLINE_MS / 1000} s; is the devserver stuck?`,
          ),
        ),
      PHASE_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const mb = (bytes: number) => bytes / (1024 * 1024);
const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

// ---------------------------------------------------------------------------------------------------
// Journal micro-benchmark (no server involved)

async function benchJournal(quick: boolean): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-journal-'));
  const file = path.join(dir, 'bench.db');
  // A typical history-event record: some metadata and a small protobuf payload.
  const record = {
    ns: 'default',
    wf: 'wf-000123',
    run: '6c3e8a1e',
    ev: { eventId: 7, eventType: 11, data: Buffer.alloc(120, 7) },
  };
  const n = quick ? 500 : 2000;
  const rows: (string | number)[][] = [];
  try {
    const { journal } = Journal.open(file);
    let t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) journal.append(record);
    let ms = elapsedMs(t);
    rows.push(['append (1 record, write+fdatasync each)', n, (n / ms) * 1000, (ms * 1000) / n]);

    t = process.hrtime.bigint();
    for (let i = 0; i < n / 10; i++) journal.appendMany(Array.from({ length: 10 }, () => record));
    ms = elapsedMs(t);
    rows.push(['appendMany (10 per fdatasync)', n, (n / ms) * 1000, (ms * 1000) / n]);

    t = process.hrtime.bigint();
    await Promise.all(Array.from({ length: n * 5 }, () => journal.commit(record)));
    ms = elapsedMs(t);
    rows.push(['commit (async group commit, all concurrent)', n * 5, ((n * 5) / ms) * 1000, (ms * 1000) / (n * 5)]);
    journal.close();

    t = process.hrtime.bigint();
    const replay = Journal.open(file);
    ms = elapsedMs(t);
    replay.journal.close();
    rows.push([
      `replay on open (${mb(fs.statSync(file).size).toFixed(1)} MB)`,
      replay.records.length,
      (replay.records.length / ms) * 1000,
      (ms * 1000) / replay.records.length,
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  printTable('journal (devserver/journal.ts on this disk)', ['operation', 'records', 'records/s', 'µs/record'], rows);
}

// ---------------------------------------------------------------------------------------------------
// Server host: the child process that runs startDevServer and reports its own resource use.

interface ServerStats {
  rss: number;
  heapUsed: number;
  /** Memory outside the JS heap held by JS objects (Buffers, ArrayBuffers). */
  external: number;
  cpuMs: number;
  /** RPCs the server has answered since it started. */
  rpcCalls: number;
}

/** Child side: `bench/devserver.ts --serve <json options>`. Speaks line-delimited JSON on stdio. */
async function serveMode(optionsJson: string): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const { startDevServer } = await import('../devserver');
  const started = process.hrtime.bigint();
  const server = await startDevServer({ port: 0, ...(JSON.parse(optionsJson) as object) });
  const reply = (msg: object) => process.stdout.write(`${JSON.stringify(msg)}\n`);
  reply({ ready: true, address: server.address, startMs: elapsedMs(started) });
  const profiler = new InspectorSession();
  profiler.connect();
  const inspector = <T>(method: string) =>
    new Promise<T>((resolve, reject) =>
      profiler.post(method, (err, result) => (err ? reject(err) : resolve(result as T))),
    );
  const cpuMsNow = () => {
    const cpu = process.cpuUsage();
    return (cpu.user + cpu.system) / 1000;
  };
  let benchGcCpuMs = 0;
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'stats') {
      // The full collections the benchmark asks for (to read settled memory) are not the server's
      // work: their CPU is subtracted from every later reading, so no interval is billed for them.
      const cpu = cpuMsNow() - benchGcCpuMs;
      gc();
      benchGcCpuMs += cpuMsNow() - benchGcCpuMs - cpu;
      const mem = process.memoryUsage();
      reply({
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        external: mem.external,
        cpuMs: cpu,
        rpcCalls: server.rpcCalls(),
      } satisfies ServerStats);
    } else if (line === 'cpu') {
      reply({ cpuMs: cpuMsNow() - benchGcCpuMs });
    } else if (line === 'evict') {
      reply({ evicted: server.engine.evictClosedHistories(0) });
    } else if (line === 'profile-start') {
      await inspector('Profiler.enable');
      await inspector('Profiler.start');
      reply({ ok: true });
    } else if (line === 'profile-stop') {
      const { profile } = await inspector<{ profile: CpuProfile }>('Profiler.stop');
      const file = path.join(os.tmpdir(), `devserver-${process.pid}-${Date.now()}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      reply({ file });
    } else if (line === 'exit') {
      break;
    }
  }
  await server.close();
  process.exit(0);
}

class ServerHost {
  private readonly lines: AsyncIterator<string>;
  private constructor(
    private readonly child: ChildProcess,
    readonly address: string,
    /** How long startDevServer took inside the child (includes journal replay). */
    readonly startMs: number,
    lines: AsyncIterator<string>,
  ) {
    this.lines = lines;
  }

  static async start(options: Record<string, unknown>): Promise<ServerHost> {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--serve', JSON.stringify(options)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) throw new Error('devserver child exited before it was ready (see its output above)');
    const { address, startMs } = JSON.parse(first.value) as { address: string; startMs: number };
    return new ServerHost(child, address, startMs, lines);
  }

  stats(): Promise<ServerStats> {
    return this.request<ServerStats>('stats');
  }

  /** The server process's CPU time so far (user + system), without forcing a collection. */
  async cpuMs(): Promise<number> {
    return (await this.request<{ cpuMs: number }>('cpu')).cpuMs;
  }

  /** Evicts every closed workflow's history from the server's RAM; returns how many. */
  async evictClosedHistories(): Promise<number> {
    return (await this.request<{ evicted: number }>('evict')).evicted;
  }

  /** Starts a V8 CPU profile in the server; `stopProfile` ends it and returns the written file. */
  async startProfile(): Promise<void> {
    await this.request('profile-start');
  }

  async stopProfile(): Promise<string> {
    return (await this.request<{ file: string }>('profile-stop')).file;
  }

  private async request<T>(command: string): Promise<T> {
    this.child.stdin!.write(`${command}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error(`devserver child exited while asked '${command}'`);
    return JSON.parse(next.value) as T;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.end('exit\n');
    await exited;
  }
}

// ---------------------------------------------------------------------------------------------------
// SDK side

interface Session {
  client: Client;
  worker: Worker;
  stop(): Promise<void>;
}

async function connectSdk(address: string, workflowBundle: { code: string }): Promise<Session> {
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    workflowBundle,
    activities,
    maxConcurrentWorkflowTaskExecutions: 100,
    maxConcurrentActivityTaskExecutions: 200,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address, interceptors: [recordRpcFailures] });
  const client = new Client({ connection, namespace: 'default' });
  return {
    client,
    worker,
    async stop() {
      const t = process.hrtime.bigint();
      // The worker may already have stopped on a fatal error; `running` then carries that error.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await nativeConnection.close();
      console.log(`(worker shut down in ${elapsedMs(t).toFixed(0)} ms)`);
      // The client Connection is left open on purpose: under load, a call in the SDK's retry backoff
      // can fire after close() and grpc-js then throws 'Channel has been shut down' from a timer,
      // killing the benchmark. Failed client RPCs are reported by `recordRpcFailures` instead.
    },
  };
}

/** Client RPCs that ended with a non-OK status, by method and code (printed after each phase). */
const rpcFailures = new Map<string, number>();

const recordRpcFailures: Interceptor = (options, nextCall) =>
  new InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
      next(metadata, {
        onReceiveStatus(st, nextStatus) {
          if (st.code !== grpcStatus.OK) {
            const key = `${options.method_definition.path} ${grpcStatus[st.code]}: ${st.details}`;
            rpcFailures.set(key, (rpcFailures.get(key) ?? 0) + 1);
          }
          nextStatus(st);
        },
      });
    },
  });

function reportRpcFailures(phase: string): void {
  if (rpcFailures.size === 0) return;
  console.log(`\nclient RPCs that failed during ${phase} (the SDK may have retried them):`);
  for (const [key, count] of rpcFailures) console.log(`  ${count} × ${key}`);
  rpcFailures.clear();
}

let workflowSeq = 0;
const nextId = (prefix: string) => `${prefix}-${process.pid}-${++workflowSeq}`;

async function runSmallWorkflow(client: Client, timerMs: number): Promise<void> {
  const handle = await client.workflow.start(smallWorkflow, {
    taskQueue: TASK_QUEUE,
    workflowId: nextId('small'),
    args: [timerMs],
  });
  await handle.signal(goSignal);
  await handle.result();
}

/** Runs `total` workflows with at most `inFlight` at once. */
async function runMany(total: number, inFlight: number, one: () => Promise<void>): Promise<void> {
  let started = 0;
  const lane = async () => {
    while (started < total) {
      started++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, lane));
}

async function benchLatency(session: Session, opts: BenchOptions): Promise<void> {
  const { client } = session;
  const runTrivial = async () => {
    const t = process.hrtime.bigint();
    await client.workflow.execute(trivialWorkflow, { taskQueue: TASK_QUEUE, workflowId: nextId('trivial') });
    return elapsedMs(t);
  };
  for (let i = 0; i < 5; i++) await runTrivial(); // warm-up: worker caches, JIT
  const trivial: number[] = [];
  for (let i = 0; i < opts.latencyRuns; i++) trivial.push(await runTrivial());

  const k = opts.activitiesPerRun;
  const withActivities: number[] = [];
  for (let i = 0; i < Math.max(3, opts.latencyRuns / 10); i++) {
    const t = process.hrtime.bigint();
    await client.workflow.execute(sequentialActivitiesWorkflow, {
      taskQueue: TASK_QUEUE,
      workflowId: nextId('acts'),
      args: [k],
    });
    withActivities.push(elapsedMs(t));
  }
  const t = summarize(trivial);
  const a = summarize(withActivities);
  printTable(
    'latency (sequential, one at a time; server in a child process over 127.0.0.1 gRPC)',
    ['measure', 'mean ms', 'p50 ms', 'p95 ms'],
    [
      ['workflow with 1 workflow task (start → task → result)', t.mean, t.p50, t.p95],
      [`workflow with ${k} sequential activities`, a.mean, a.p50, a.p95],
      [
        'per activity (activity task + the workflow task it wakes)',
        (a.mean - t.mean) / k,
        (a.p50 - t.p50) / k,
        (a.p95 - t.p95) / k,
      ],
    ],
  );
}

async function benchThroughput(session: Session, host: ServerHost, opts: BenchOptions): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const n of opts.concurrency) {
    const serverBefore = await host.stats();
    const sdkBefore = process.cpuUsage();
    const t = process.hrtime.bigint();
    await runMany(n, n, () => runSmallWorkflow(session.client, opts.timerMs));
    const wallMs = elapsedMs(t);
    const sdkCpu = process.cpuUsage(sdkBefore);
    const serverAfter = await host.stats();
    const serverCpuMs = serverAfter.cpuMs - serverBefore.cpuMs;
    const sdkCpuMs = (sdkCpu.user + sdkCpu.system) / 1000;
    rows.push([
      String(n),
      wallMs,
      Math.max(0, wallMs - opts.timerMs),
      (n / wallMs) * 1000,
      serverCpuMs / n,
      (serverAfter.rpcCalls - serverBefore.rpcCalls) / n,
      (1000 * serverCpuMs) / (serverAfter.rpcCalls - serverBefore.rpcCalls),
      sdkCpuMs / n,
      `${((100 * serverCpuMs) / (serverCpuMs + sdkCpuMs)).toFixed(0)}%`,
      `1 : ${(sdkCpuMs / serverCpuMs).toFixed(1)}`,
    ]);
  }
  printTable(
    `throughput: N concurrent small workflows (start → activity → signal → ${opts.timerMs} ms timer → complete)`,
    [
      'N',
      'wall ms',
      'wall - timer',
      'workflows/s',
      'server CPU ms/wf',
      'RPCs/wf',
      'server CPU µs/RPC',
      'SDK CPU ms/wf',
      'server share',
      'server : SDK',
    ],
    rows,
  );
}

/**
 * The server's cost per workflow without the SDK worker: the small workflow's RPCs sent directly, from
 * Node's gRPC client (uncompressed, as the SDK client sends) and from the SDK's Rust core connection
 * (gzip, as the SDK worker sends). Nothing else runs, so this is the server's own work per workflow.
 */
async function benchServerAlone(host: ServerHost, opts: BenchOptions): Promise<void> {
  const grpcJs = await Connection.connect({ address: host.address });
  const native = await NativeConnection.connect({ address: host.address });
  const lanes = 10;
  const total = opts.quick ? 300 : 1000;
  const rows: (string | number)[][] = [];
  try {
    for (const [label, svc] of [
      ['@grpc/grpc-js client (uncompressed)', grpcJs.workflowService],
      ['SDK core connection (tonic, gzip)', native.workflowService as typeof grpcJs.workflowService],
    ] as const) {
      // One task queue per lane, so each lane's polls get its own workflow's tasks.
      const lanesOf = async (perLane: number) =>
        Promise.all(
          Array.from({ length: lanes }, async (_, lane) => {
            for (let k = 0; k < perLane; k++) await runRawWorkflow(svc, `bench-raw-${lane}`, nextId('raw'));
          }),
        );
      await lanesOf(5); // warm-up
      const before = await host.stats();
      await lanesOf(total / lanes);
      const after = await host.stats();
      const cpu = after.cpuMs - before.cpuMs;
      const rpcs = after.rpcCalls - before.rpcCalls;
      rows.push([label, total, rpcs / total, cpu / total, (1000 * cpu) / rpcs]);
    }
  } finally {
    await grpcJs.close();
    await native.close();
  }
  printTable(
    `server alone: the small workflow's ${RAW_WORKFLOW_RPCS} RPCs sent directly (no SDK worker), ${lanes} at a time`,
    ['client', 'workflows', 'RPCs/wf', 'server CPU ms/wf', 'server CPU µs/RPC'],
    rows,
  );
}

/** CPU both sides burn while the worker only long-polls: polls must block, not spin. */
async function benchIdle(host: ServerHost, opts: BenchOptions): Promise<void> {
  await new Promise((r) => setTimeout(r, 500)); // let the worker's start-up traffic settle
  const serverBefore = await host.cpuMs();
  const sdkBefore = process.cpuUsage();
  const t = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, opts.idleMs));
  const wallMs = elapsedMs(t);
  const serverCpuMs = (await host.cpuMs()) - serverBefore;
  const sdk = process.cpuUsage(sdkBefore);
  const sdkCpuMs = (sdk.user + sdk.system) / 1000;
  printTable(
    `idle: ${(wallMs / 1000).toFixed(1)} s with a worker long-polling and nothing to do`,
    ['process', 'CPU ms', 'CPU ms/s', 'share of one core'],
    [
      ['server', serverCpuMs, (serverCpuMs / wallMs) * 1000, `${((100 * serverCpuMs) / wallMs).toFixed(2)}%`],
      ['SDK (worker + client)', sdkCpuMs, (sdkCpuMs / wallMs) * 1000, `${((100 * sdkCpuMs) / wallMs).toFixed(2)}%`],
    ],
  );
}

/** ListWorkflowExecutions / CountWorkflowExecutions cost with the memory phase's executions present. */
async function benchVisibility(client: Client): Promise<(string | number)[][]> {
  const query = `WorkflowType = 'sequentialActivitiesWorkflow' AND ExecutionStatus = 'Completed' AND StartTime > '2000-01-01T00:00:00Z'`;
  let t = process.hrtime.bigint();
  const { count } = await client.workflow.count(query);
  const countMs = elapsedMs(t);
  t = process.hrtime.bigint();
  let listed = 0;
  for await (const _ of client.workflow.list({ query, pageSize: 100 })) if (++listed >= 100) break;
  console.log(`\nvisibility query: ${query}`);
  return [
    ['CountWorkflowExecutions', countMs, `${count} executions`],
    ['ListWorkflowExecutions, first page of 100', elapsedMs(t), `${listed} executions`],
  ];
}

/**
 * One journaled server runs the workload with eviction off; then closed histories are evicted on
 * demand, and finally the server is restarted on the same journal to time the replay (and evicts again:
 * replayed histories must leave memory as well).
 */
async function benchMemory(workflowBundle: { code: string }, opts: BenchOptions): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-devserver-'));
  const dbFile = path.join(dir, 'bench.db');
  const n = opts.memoryWorkflows;
  const rows: (string | number)[][] = [];
  let visibility: (string | number)[][] = [];
  const row = (label: string, stats: ServerStats, baseline: ServerStats, note: string) =>
    rows.push([
      label,
      mb(stats.rss),
      mb(stats.heapUsed),
      mb(stats.external),
      ((stats.heapUsed - baseline.heapUsed) / n / 1024).toFixed(2),
      note,
    ]);
  try {
    // evictAfterMs also sets how often the eviction sweep runs; 2e9 ms (~23 days, below setInterval's
    // limit) keeps it from running, so eviction happens only when asked.
    const host = await ServerHost.start({ dbFile, evictAfterMs: 2e9 });
    const session = await connectSdk(host.address, workflowBundle);
    let baseline: ServerStats;
    try {
      baseline = await host.stats();
      row('started, empty journal', baseline, baseline, '');
      const t = process.hrtime.bigint();
      const workload = runMany(n, 200, async () => {
        await session.client.workflow.execute(sequentialActivitiesWorkflow, {
          taskQueue: TASK_QUEUE,
          workflowId: nextId('mem'),
          args: [1],
        });
      });
      await withDeadline('memory', workload);
      reportRpcFailures('memory');
      const rate = (n / elapsedMs(t)) * 1000;
      row(`after ${n} workflows, histories in RAM`, await host.stats(), baseline, `${rate.toFixed(0)} workflows/s`);
      visibility = await benchVisibility(session.client);
      const evicted = await host.evictClosedHistories();
      row('after evicting closed histories', await host.stats(), baseline, `${evicted} evicted`);
    } finally {
      await session.stop();
      await host.stop();
    }
    const restarted = await ServerHost.start({ dbFile, evictAfterMs: 2e9 });
    try {
      const journalMb = mb(fs.statSync(dbFile).size);
      row(
        'restarted on the same journal',
        await restarted.stats(),
        baseline,
        `replay ${journalMb.toFixed(1)} MB in ${restarted.startMs.toFixed(0)} ms`,
      );
      const evicted = await restarted.evictClosedHistories();
      row('restarted, then evicting closed histories', await restarted.stats(), baseline, `${evicted} evicted`);
    } finally {
      await restarted.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  printTable(`visibility queries over ${n} closed executions`, ['RPC', 'ms', 'result'], visibility);
  printTable(
    `server memory, ${n} completed workflows (1 activity each, 200 in flight, journal on)`,
    ['state', 'RSS MB', 'heap after GC MB', 'external MB', 'heap KB/workflow', 'note'],
    rows,
  );
}

interface CpuProfile {
  nodes: { id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
}

/** Self time of the server's hottest functions and packages, from a profile taken by the server child. */
function printProfile(file: string): void {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const totalHits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const msPerHit = (profile.endTime - profile.startTime) / 1000 / Math.max(1, totalHits);
  const selfHits = new Map<string, number>();
  const packageHits = new Map<string, number>();
  for (const { hitCount = 0, callFrame } of profile.nodes) {
    const file = callFrame.url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
    const key = `${callFrame.functionName || '(anonymous)'}  ${file ? `${file}:${callFrame.lineNumber + 1}` : ''}`;
    selfHits.set(key, (selfHits.get(key) ?? 0) + hitCount);
    const pkg = packageOf(file, callFrame.functionName);
    packageHits.set(pkg, (packageHits.get(pkg) ?? 0) + hitCount);
  }
  const share = (hits: number) => `${((100 * hits) / totalHits).toFixed(1)}%`;
  printTable(
    `server CPU by code owner during the throughput runs (profile: ${file})`,
    ['owner', 'self ms', 'share'],
    [...packageHits].sort((a, b) => b[1] - a[1]).map(([pkg, hits]) => [pkg, hits * msPerHit, share(hits)]),
  );
  const top = [...selfHits].sort((a, b) => b[1] - a[1]).slice(0, 20);
  printTable(
    'server CPU: hottest functions (self time)',
    ['function  location', 'self ms', 'share'],
    top.map(([key, hits]) => [key, hits * msPerHit, share(hits)]),
  );
}

function packageOf(file: string, functionName: string): string {
  if (!file) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return pkg[1];
  if (file.startsWith('node:')) return 'node internals';
  return file.split('/').slice(0, -1).join('/') || file;
}

async function main(): Promise<void> {
  const opts = parseBenchArgs(process.argv.slice(2));
  // Core (Rust) warnings such as "workflow task duration exceeded 5 seconds" are expected at N=1000
  // on 2 cores and would drown the tables.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }), forward: {} },
    },
  });
  console.log(
    `# devserver benchmark (${opts.quick ? 'quick' : 'full'}), ${os.cpus().length} CPUs, node ${process.version}`,
  );

  await benchJournal(opts.quick);

  let t = process.hrtime.bigint();
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: path.join(__dirname, 'fixtures', 'workflows.ts'),
    logger: new DefaultLogger('WARN'),
  });
  console.log(`\nworkflow bundle: ${elapsedMs(t).toFixed(0)} ms`);

  t = process.hrtime.bigint();
  const host = await ServerHost.start({});
  const startMs = elapsedMs(t);
  const session = await connectSdk(host.address, workflowBundle);
  console.log(
    `server child start: ${startMs.toFixed(0)} ms (startDevServer itself ${host.startMs.toFixed(0)} ms); worker + client connect: ${elapsedMs(t).toFixed(0)} ms`,
  );
  try {
    await benchIdle(host, opts);
    await withDeadline('latency', benchLatency(session, opts));
    reportRpcFailures('latency');
    if (opts.profile) await host.startProfile();
    await withDeadline('throughput', benchThroughput(session, host, opts));
    reportRpcFailures('throughput');
    if (opts.profile) printProfile(await host.stopProfile());
    await withDeadline('server alone', benchServerAlone(host, opts));
  } finally {
    await session.stop();
    await host.stop();
  }
  if (!opts.skipMemory) await benchMemory(workflowBundle, opts);
}

if (process.argv[2] === '--serve') {
  serveMode(process.argv[3] ?? '{}').catch((err: unknown) => {
    console.error(`devserver child: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : String(err));
      process.exit(1);
    },
  );
}

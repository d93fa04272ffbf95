import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ApiError, type EmulatorContext, type ProductDefinition, type ResourceStore } from './contract';
import { handleControl } from './control';
import { errorBody, internalError } from './errors';
import { FaultInjector, type FaultRule } from './faults';
import { IdempotencyCache } from './idempotency';
import { newId, newRequestId } from './ids';
import { emptyState, readState, writeState } from './persistence';
import { endpointHost, KNOWN_REGIONS } from './regions';
import { RequestLog, type RequestLogEntry } from './request-log';
import { ProductRouter, type Route } from './router';
import { NonceCache, verifySignature, type VerifyContext } from './signature';
import { MemoryResourceStore } from './store';
import { DEFAULT_TIME_SCALE, makeTiming, type TimingProfile } from './timing';
import { collectHeaders, decodeWire, type WireRequest } from './wire';

export const DEFAULT_ACCESS_KEY_ID = 'LTAI5tEmulatorAccessKey';
export const DEFAULT_ACCESS_KEY_SECRET = 'emulator-secret-do-not-use-in-production';
export const DEFAULT_ACCOUNT_ID = '1234567890123456';
export const DEFAULT_REGION = 'cn-shanghai';
export const DEFAULT_PORT = 9100;
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const CONTROL_PREFIX = '/_emulator/';

export interface EmulatorOptions {
  /** 0 = any free port. Default: EMULATOR_PORT or 9100. */
  port?: number;
  host?: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  /** When set, every request must carry this security token (SecurityToken / x-acs-security-token). */
  securityToken?: string;
  accountId?: string;
  defaultRegion?: string;
  profile?: TimingProfile;
  /** Multiplies every duration of the profile (default: fast 1, realistic 0.01). */
  timeScale?: number;
  /** JSON file the state is written through to and restored from. */
  stateFile?: string;
  /** Emulator clock (ms since epoch); default Date.now. Signature timestamps are always checked against real time. */
  clock?: () => number;
  /** Print one line per request to stdout. */
  logRequests?: boolean;
  /** Products to serve; default every product in emulator/products. */
  products?: readonly ProductDefinition[];
  /** Random source for fault probabilities (tests). */
  random?: () => number;
  /**
   * Refuse a ClientToken/Token reused with different parameters (IdempotentParameterMismatch), as
   * Alibaba does. Off by default: existing callers replay tokens with trimmed parameters.
   */
  strictIdempotency?: boolean;
}

export interface EmulatorHandle {
  url: string;
  host: string;
  port: number;
  accessKeyId: string;
  accountId: string;
  defaultRegion: string;
  profile: TimingProfile;
  timeScale: number;
  store: ResourceStore;
  context: EmulatorContext;
  /** Current emulator time (ms). */
  now(): number;
  /** Moves the emulator clock forward (pending transitions come due). */
  advanceClock(ms: number): void;
  addFault(rule: unknown): FaultRule;
  clearFaults(): void;
  requests(): RequestLogEntry[];
  /** Drops every resource, idempotency token, fault rule and log entry. */
  reset(): void;
  close(): Promise<void>;
}

interface Outcome {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  code?: string;
}

function json(status: number, value: unknown, code?: string): Outcome {
  return {
    status,
    headers: { 'content-type': 'application/json;charset=utf-8' },
    body: Buffer.from(JSON.stringify(value)),
    code,
  };
}

/** The business parameters of an RPC call minus its token, in a stable order: "the same request". */
function rpcFingerprint(params: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(params)
      .filter((key) => key !== 'ClientToken' && key !== 'Token')
      .sort()
      .map((key) => [key, params[key]]),
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, 'RequestEntityTooLarge', `Request body exceeds ${MAX_BODY_BYTES} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startEmulatorServer(
  options: EmulatorOptions,
  defaultProducts: readonly ProductDefinition[],
): Promise<EmulatorHandle> {
  const profile = options.profile ?? 'fast';
  const timeScale = options.timeScale ?? DEFAULT_TIME_SCALE[profile];
  const timing = makeTiming(profile, timeScale);
  const baseClock = options.clock ?? Date.now;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const defaultRegion = options.defaultRegion ?? DEFAULT_REGION;
  if (!KNOWN_REGIONS.includes(defaultRegion)) {
    throw new Error(`defaultRegion "${defaultRegion}" is not a known region (${KNOWN_REGIONS.join(', ')})`);
  }
  const credentials = {
    accessKeyId: options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: options.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET,
    securityToken: options.securityToken,
  };
  const products = options.products ?? defaultProducts;

  const stateFile = options.stateFile;
  const initial = stateFile ? readState(stateFile) : emptyState();
  let clockOffsetMs = initial.clockOffsetMs;
  const now = () => baseClock() + clockOffsetMs;
  let restoring = true;
  const persist = () => {
    if (!stateFile || restoring) return;
    writeState(stateFile, {
      ...emptyState(),
      clockOffsetMs,
      resources: store.snapshot(),
      idempotency: idempotency.snapshot(),
    });
  };
  const store = new MemoryResourceStore(now, timing, persist);
  const idempotency = new IdempotencyCache(persist);
  store.restore(initial.resources);
  idempotency.restore(initial.idempotency);
  restoring = false;

  const faults = new FaultInjector(options.random);
  const log = new RequestLog();
  const verifyCtx: VerifyContext = { credentials, wallClock: Date.now, nonces: new NonceCache(Date.now) };
  const router = new ProductRouter(products, { region: defaultRegion, accountId });
  const context: EmulatorContext = {
    store,
    now,
    timing,
    accountId,
    defaultRegion,
    newId: (prefix) => newId(prefix),
    idempotent: (scope, create) => idempotency.run(scope, create),
    regions: KNOWN_REGIONS,
  };
  const sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          sleeps.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      sleeps.add(entry);
    });

  const reset = () => {
    store.clear();
    idempotency.clear();
    faults.remove();
    log.clear();
  };
  const advanceClock = (ms: number) => {
    clockOffsetMs += ms;
    persist();
  };
  const controlTarget = {
    context,
    faults,
    log,
    reset,
    advanceClock,
    productRoutes: products.flatMap((p) => p.control ?? []),
    health: () => ({
      status: 'ok',
      products: products.map((p) => ({ name: p.name, version: p.version, style: p.style })),
      profile,
      timeScale,
      accountId,
      defaultRegion,
      now: new Date(now()).toISOString(),
      resources: store.all().length,
      persistence: stateFile ? 'file' : 'memory',
    }),
  };

  async function invoke(route: Route, wire: WireRequest, requestId: string, accessKeyId: string): Promise<Outcome> {
    if (route.kind === 'rpc') {
      const fingerprint = options.strictIdempotency ? rpcFingerprint(route.params) : undefined;
      const callContext: EmulatorContext = {
        ...context,
        idempotent: (scope, create) => idempotency.run(scope, create, fingerprint),
      };
      const result = await route.handler(
        {
          product: route.product,
          action: route.action,
          version: route.version,
          region: route.region,
          params: route.params,
          requestId,
          accessKeyId,
        },
        callContext,
      );
      const { RequestId: _productRequestId, ...fields } = result;
      return json(200, { RequestId: requestId, ...fields });
    }
    const result = await route.handler(
      {
        product: route.product,
        method: wire.method,
        path: wire.path,
        pathParams: route.pathParams,
        query: wire.query,
        headers: wire.headers,
        body: wire.body,
        region: route.region,
        accountId: route.accountId,
        requestId,
        accessKeyId,
      },
      context,
    );
    const headers: Record<string, string> = { ...(result.headers ?? {}) };
    let body: Buffer;
    if (result.body === undefined || result.body === null) body = Buffer.alloc(0);
    else if (Buffer.isBuffer(result.body)) body = result.body;
    else if (typeof result.body === 'string') body = Buffer.from(result.body);
    else {
      body = Buffer.from(JSON.stringify(result.body));
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/json;charset=utf-8';
    }
    return { status: result.status, headers, body };
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    entry: RequestLogEntry,
  ): Promise<void> {
    let outcome: Outcome;
    let drop = false;
    let hostProduct = 'emulator';
    let hostRegion: string | undefined;
    try {
      const body = await readBody(req);
      const wire = decodeWire(req.method ?? 'GET', req.url ?? '/', collectHeaders(req), body);
      const identified = router.identify(wire);
      entry.product = identified.product;
      entry.action = identified.action;
      entry.region = identified.region;
      hostProduct = identified.product ?? hostProduct;
      hostRegion = identified.region;
      const { accessKeyId } = verifySignature(wire, verifyCtx);
      if (identified.error || !identified.route) throw identified.error ?? internalError();
      const route = identified.route;
      const effect = faults.apply({ product: route.product, action: route.action, region: route.region });
      if (effect.ruleIds.length > 0) entry.faults = effect.ruleIds;
      if (effect.latencyMs > 0) await sleep(effect.latencyMs);
      if (effect.error) throw effect.error;
      outcome = await invoke(route, wire, requestId, accessKeyId);
      drop = effect.dropResponse;
    } catch (err) {
      let apiError: ApiError;
      if (err instanceof ApiError) apiError = err;
      else {
        apiError = internalError();
        console.error(`[emulator] ${requestId} internal error:`, err);
      }
      outcome = json(
        apiError.httpStatus,
        errorBody(apiError, requestId, endpointHost(hostProduct, hostRegion, req.headers.host)),
        apiError.code,
      );
    }
    entry.status = outcome.status;
    entry.code = outcome.code;
    if (drop) {
      entry.dropped = true;
      res.socket?.destroy();
      return;
    }
    res.writeHead(outcome.status, {
      ...outcome.headers,
      'x-acs-request-id': requestId,
      'content-length': String(outcome.body.length),
    });
    res.end(outcome.body);
  }

  async function handleControlRequest(
    req: IncomingMessage,
    res: ServerResponse,
    entry: RequestLogEntry,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    const body = await readBody(req);
    const result = await handleControl(
      controlTarget,
      req.method ?? 'GET',
      url.pathname.slice(CONTROL_PREFIX.length),
      url.searchParams,
      body,
    );
    entry.status = result.status;
    const payload = Buffer.from(JSON.stringify(result.body));
    res.writeHead(result.status, {
      'content-type': 'application/json;charset=utf-8',
      'content-length': String(payload.length),
    });
    res.end(payload);
  }

  const server: Server = createServer((req, res) => {
    const started = performance.now();
    const requestId = newRequestId();
    const path = (req.url ?? '/').split('?')[0];
    const isControl = path.startsWith(CONTROL_PREFIX);
    const entry: RequestLogEntry = {
      time: new Date().toISOString(),
      requestId,
      method: req.method ?? 'GET',
      path,
      status: 0,
      durationMs: 0,
    };
    const work = isControl ? handleControlRequest(req, res, entry) : handleApi(req, res, requestId, entry);
    work
      .catch((err: unknown) => {
        console.error(`[emulator] ${requestId} failed:`, err);
        entry.status = 500;
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json;charset=utf-8' });
          res.end(JSON.stringify({ error: 'emulator internal error; see its stderr' }));
        }
      })
      .finally(() => {
        entry.durationMs = Math.round((performance.now() - started) * 10) / 10;
        if (isControl) return;
        log.add(entry);
        if (options.logRequests) {
          const what = [entry.product ?? '-', entry.action ?? '-', entry.region ?? '-'].join(' ');
          console.log(
            `${entry.time} ${what} ${entry.status}${entry.code ? ' ' + entry.code : ''}${entry.dropped ? ' (dropped)' : ''} ${entry.durationMs}ms`,
          );
        }
      });
  });

  const host = options.host ?? '127.0.0.1';
  const envPort = process.env.EMULATOR_PORT ? Number(process.env.EMULATOR_PORT) : undefined;
  const requestedPort = options.port ?? envPort ?? DEFAULT_PORT;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`Emulator port must be an integer 0-65535, got ${requestedPort}`);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}`,
    host,
    port,
    accessKeyId: credentials.accessKeyId,
    accountId,
    defaultRegion,
    profile,
    timeScale,
    store,
    context,
    now,
    advanceClock,
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.remove(),
    requests: () => log.list(),
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const s of sleeps) {
          clearTimeout(s.timer);
          s.resolve();
        }
        sleeps.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

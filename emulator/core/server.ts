import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ApiError, type EmulatorContext, type ProductDefinition } from './contract';
import { handleControl, type ControlTarget } from './control';
import { callProduct } from './dispatch';
import { internalError } from './errors';
import { FaultInjector } from './faults';
import { newId, newRequestId } from './ids';
import { resolveSettings, type EmulatorHandle, type EmulatorOptions } from './options';
import { endpointHost, KNOWN_REGIONS } from './regions';
import { RequestLog, type RequestLogEntry } from './request-log';
import { errorOutcome, jsonOutcome, writeOutcome, type Outcome } from './respond';
import { ProductRouter } from './router';
import { NonceCache, verifySignature, type VerifyContext } from './signature';
import { Sleeper } from './sleeper';
import { openState } from './state';
import { collectHeaders, decodeWire, readBody } from './wire';

export {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_PORT,
  DEFAULT_REGION,
  type EmulatorHandle,
  type EmulatorOptions,
} from './options';

const CONTROL_PREFIX = '/_emulator/';

/** Product name → the operation names fault rules may target. */
function actionCatalog(products: readonly ProductDefinition[]): Map<string, Set<string>> {
  return new Map(
    products.map((p) => [p.name, new Set(p.style === 'rpc' ? Object.keys(p.actions) : p.routes.map((r) => r.action))]),
  );
}

function logLine(entry: RequestLogEntry): string {
  const what = [entry.product ?? '-', entry.action ?? '-', entry.region ?? '-'].join(' ');
  const code = entry.code ? ` ${entry.code}` : '';
  return `${entry.time} ${what} ${entry.status}${code}${entry.dropped ? ' (dropped)' : ''} ${entry.durationMs}ms`;
}

/**
 * Composes the emulator: one HTTP server; cloud calls go decode → identify → verify signature →
 * routing errors → faults → product; `/_emulator/*` goes to the control API.
 */
export async function startEmulatorServer(
  options: EmulatorOptions,
  defaultProducts: readonly ProductDefinition[],
): Promise<EmulatorHandle> {
  const settings = resolveSettings(options, defaultProducts);
  const state = openState(settings.stateFile, settings.clock, settings.timing);
  const faults = new FaultInjector(settings.random, actionCatalog(settings.products), KNOWN_REGIONS);
  const log = new RequestLog();
  const sleeper = new Sleeper();
  const verifyCtx: VerifyContext = {
    credentials: settings.credentials,
    wallClock: Date.now,
    nonces: new NonceCache(Date.now),
  };
  const router = new ProductRouter(settings.products, {
    region: settings.defaultRegion,
    accountId: settings.accountId,
  });
  const context: EmulatorContext = {
    store: state.store,
    now: state.now,
    timing: settings.timing,
    accountId: settings.accountId,
    defaultRegion: settings.defaultRegion,
    newId: (prefix) => newId(prefix),
    idempotent: (scope, create) => state.idempotency.run(scope, create),
    regions: KNOWN_REGIONS,
  };
  const reset = () => {
    state.clear();
    faults.remove();
    log.clear();
  };
  const controlTarget: ControlTarget = {
    context,
    faults,
    log,
    reset,
    advanceClock: state.advanceClock,
    productRoutes: settings.products.flatMap((p) => p.control ?? []),
    health: () => ({
      status: 'ok',
      products: settings.products.map((p) => ({ name: p.name, version: p.version, style: p.style })),
      profile: settings.profile,
      timeScale: settings.timeScale,
      accountId: settings.accountId,
      defaultRegion: settings.defaultRegion,
      now: new Date(state.now()).toISOString(),
      resources: state.store.all().length,
      persistence: settings.stateFile ? 'file' : 'memory',
    }),
  };

  /** Runs one cloud API call; returns the outcome, or undefined when a fault says to drop it. */
  async function handleApi(
    req: IncomingMessage,
    requestId: string,
    entry: RequestLogEntry,
    defaultRegion: string,
  ): Promise<Outcome | undefined> {
    try {
      const wire = decodeWire(req.method ?? 'GET', req.url ?? '/', collectHeaders(req), await readBody(req));
      const identified = router.identify(wire, defaultRegion);
      Object.assign(entry, { product: identified.product, action: identified.action, region: identified.region });
      const { accessKeyId } = verifySignature(wire, verifyCtx);
      if (identified.error || !identified.route) throw identified.error ?? internalError();
      const route = identified.route;
      const effect = faults.apply({ product: route.product, action: route.action, region: route.region });
      if (effect.ruleIds.length > 0) entry.faults = effect.ruleIds;
      if (effect.latencyMs > 0) await sleeper.sleep(effect.latencyMs);
      if (effect.error) throw effect.error;
      const outcome = await callProduct(route, wire, { requestId, accessKeyId }, context, {
        cache: state.idempotency,
        strict: settings.strictIdempotency,
      });
      return effect.dropResponse ? undefined : outcome;
    } catch (err) {
      if (!(err instanceof ApiError)) console.error(`[emulator] ${requestId} internal error:`, err);
      const apiError = err instanceof ApiError ? err : internalError();
      const hostId = endpointHost(entry.product ?? 'emulator', entry.region, req.headers.host);
      return errorOutcome(apiError, requestId, hostId);
    }
  }

  async function serveApi(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    entry: RequestLogEntry,
    defaultRegion: string,
  ) {
    const outcome = await handleApi(req, requestId, entry, defaultRegion);
    if (!outcome) {
      // dropResponse: the operation happened, the caller never learns it (an ambiguous outcome).
      entry.status = 200;
      entry.dropped = true;
      res.socket?.destroy();
      return;
    }
    entry.status = outcome.status;
    entry.code = outcome.code;
    writeOutcome(res, outcome, requestId);
  }

  async function serveControl(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry) {
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    const subPath = url.pathname.slice(CONTROL_PREFIX.length);
    const result = await handleControl(
      controlTarget,
      req.method ?? 'GET',
      subPath,
      url.searchParams,
      await readBody(req),
    );
    entry.status = result.status;
    writeOutcome(res, jsonOutcome(result.status, result.body));
  }

  /** One listener's request handler; every listener shares the same state, only the default region differs. */
  const handlerFor = (defaultRegion: string) => (req: IncomingMessage, res: ServerResponse) => {
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
    (isControl ? serveControl(req, res, entry) : serveApi(req, res, requestId, entry, defaultRegion))
      .catch((err: unknown) => {
        console.error(`[emulator] ${requestId} failed:`, err);
        entry.status = 500;
        if (!res.headersSent) writeOutcome(res, jsonOutcome(500, { error: 'emulator internal error; see its stderr' }));
      })
      .finally(() => {
        entry.durationMs = Math.round((performance.now() - started) * 10) / 10;
        if (isControl) return;
        log.add(entry);
        if (settings.logRequests) console.log(logLine(entry));
      });
  };

  const servers: Server[] = [];
  const closeAll = () =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve, reject) => {
            server.close((err) => (err ? reject(err) : resolve()));
            server.closeAllConnections();
          }),
      ),
    ).then(() => undefined);
  const listen = async (port: number, defaultRegion: string): Promise<string> => {
    const server = createServer(handlerFor(defaultRegion));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, settings.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    servers.push(server);
    return `http://${settings.host}:${(server.address() as AddressInfo).port}`;
  };
  let url: string;
  const regionUrls: Record<string, string> = {};
  try {
    url = await listen(settings.port, settings.defaultRegion);
    for (const [region, regionPort] of Object.entries(settings.regionPorts)) {
      regionUrls[region] = await listen(regionPort, region);
    }
  } catch (err) {
    await closeAll();
    throw err;
  }

  return {
    url,
    host: settings.host,
    port: Number(new URL(url).port),
    regionUrls,
    accessKeyId: settings.credentials.accessKeyId,
    accountId: settings.accountId,
    defaultRegion: settings.defaultRegion,
    profile: settings.profile,
    timeScale: settings.timeScale,
    store: state.store,
    context,
    now: state.now,
    advanceClock: state.advanceClock,
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.remove(),
    requests: () => log.list(),
    reset,
    close: () => {
      sleeper.wakeAll();
      return closeAll();
    },
  };
}

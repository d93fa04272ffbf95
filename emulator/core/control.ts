import { ApiError, type ControlRoute, type EmulatorContext, type ResourceRecord } from './contract';
import type { FaultInjector } from './faults';
import type { RequestLog } from './request-log';

/** What the control API needs from the running emulator. */
export interface ControlTarget {
  context: EmulatorContext;
  faults: FaultInjector;
  log: RequestLog;
  reset(): void;
  advanceClock(ms: number): void;
  health(): Record<string, unknown>;
  productRoutes: readonly ControlRoute[];
}

export interface ControlResponse {
  status: number;
  body: unknown;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function summary(r: ResourceRecord, details: boolean): Record<string, unknown> {
  const base = {
    product: r.product,
    type: r.type,
    id: r.id,
    region: r.region,
    name: r.name,
    status: r.status,
    createdAt: r.createdAt,
  };
  return details ? { ...base, attrs: r.attrs } : base;
}

function numberParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new ControlError(400, `?${name} must be a positive integer, got "${raw}"`);
  return n;
}

interface ControlCall {
  target: ControlTarget;
  query: URLSearchParams;
  body: unknown;
  /** Path segments after the route's own, e.g. the id in `DELETE faults/<id>`. */
  rest: string;
}

type CoreRoute = (call: ControlCall) => ControlResponse;

const ok = (body: unknown, status = 200): ControlResponse => ({ status, body });

function listResources({ target, query }: ControlCall): ControlResponse {
  const wanted = (field: 'product' | 'type' | 'region' | 'status', r: ResourceRecord) =>
    !query.get(field) || r[field] === query.get(field);
  const resources = target.context.store
    .all()
    .filter((r) => wanted('product', r) && wanted('type', r) && wanted('region', r) && wanted('status', r))
    .map((r) => summary(r, query.get('details') === 'true'));
  return ok({ resources });
}

function addFaults({ target, body }: ControlCall): ControlResponse {
  const inputs = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && 'rules' in body
      ? (body as { rules: unknown }).rules
      : [body];
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new ControlError(400, 'POST faults takes a rule, an array of rules or {"rules": [...]}');
  }
  try {
    const rules = inputs.map((input) => target.faults.add(input));
    return ok({ ids: rules.map((r) => r.id), rules }, 201);
  } catch (err) {
    throw new ControlError(400, (err as Error).message);
  }
}

function deleteFaults({ target, query, rest }: ControlCall): ControlResponse {
  const id = rest ? decodeURIComponent(rest) : (query.get('id') ?? undefined);
  if (!target.faults.remove(id)) throw new ControlError(404, `No fault rule with id "${id}"`);
  return ok({ removed: id ?? 'all' });
}

function advanceClock({ target, body }: ControlCall): ControlResponse {
  const ms = (body as { ms?: unknown } | undefined)?.ms;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new ControlError(400, 'POST clock/advance takes {"ms": <non-negative number>}');
  }
  target.advanceClock(ms);
  return ok({ now: new Date(target.context.now()).toISOString() });
}

/** The core's endpoints, by `METHOD path`; `DELETE faults` also serves `DELETE faults/<id>`. */
const CORE_ROUTES: Record<string, CoreRoute> = {
  'GET health': ({ target }) => ok(target.health()),
  'GET resources': listResources,
  'POST faults': addFaults,
  'GET faults': ({ target }) => ok({ rules: target.faults.list() }),
  'DELETE faults': deleteFaults,
  'POST reset': ({ target }) => {
    target.reset();
    return ok({ reset: true });
  },
  'GET requests': ({ target, query }) =>
    ok({
      requests: target.log.list({
        product: query.get('product') ?? undefined,
        action: query.get('action') ?? undefined,
        limit: numberParam(query, 'limit'),
      }),
    }),
  'GET clock': ({ target }) => ok({ now: new Date(target.context.now()).toISOString() }),
  'POST clock/advance': advanceClock,
};

function parseBody(rawBody: Buffer): unknown {
  if (rawBody.length === 0) return undefined;
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new ControlError(400, 'Control API bodies must be JSON');
  }
}

/** `/_emulator/*`: JSON in, JSON out, no signature (a local test harness, not Alibaba's API). */
export async function handleControl(
  target: ControlTarget,
  method: string,
  subPath: string,
  query: URLSearchParams,
  rawBody: Buffer,
): Promise<ControlResponse> {
  try {
    const body = parseBody(rawBody);
    const path = subPath.replace(/\/+$/, '');
    const exact = CORE_ROUTES[`${method} ${path}`];
    if (exact) return exact({ target, query, body, rest: '' });
    if (method === 'DELETE' && path.startsWith('faults/')) {
      return deleteFaults({ target, query, body, rest: path.slice('faults/'.length) });
    }
    const productRoute = target.productRoutes.find((r) => r.method === method && r.path.replace(/\/+$/, '') === path);
    if (productRoute) {
      const result = await productRoute.handler(body, target.context);
      return { status: result.status ?? 200, body: result.body };
    }
    throw new ControlError(404, `No control endpoint ${method} /_emulator/${path}. See emulator/README.md.`);
  } catch (err) {
    if (err instanceof ControlError) return { status: err.status, body: { error: err.message } };
    // Product control handlers report bad input by throwing ApiError; keep its status and code.
    if (err instanceof ApiError) return { status: err.httpStatus, body: { error: err.message, code: err.code } };
    throw err;
  }
}

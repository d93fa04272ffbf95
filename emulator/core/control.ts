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

/** `/_emulator/*`: JSON in, JSON out, no signature (a local test harness, not Alibaba's API). */
export async function handleControl(
  target: ControlTarget,
  method: string,
  subPath: string,
  query: URLSearchParams,
  rawBody: Buffer,
): Promise<ControlResponse> {
  try {
    let body: unknown = undefined;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new ControlError(400, 'Control API bodies must be JSON');
      }
    }
    const path = subPath.replace(/\/+$/, '');
    const route = `${method} ${path}`;
    if (route === 'GET health') return { status: 200, body: target.health() };
    if (route === 'GET resources') {
      const details = query.get('details') === 'true';
      const resources = target.context.store
        .all()
        .filter(
          (r) =>
            (!query.get('product') || r.product === query.get('product')) &&
            (!query.get('type') || r.type === query.get('type')) &&
            (!query.get('region') || r.region === query.get('region')) &&
            (!query.get('status') || r.status === query.get('status')),
        )
        .map((r) => summary(r, details));
      return { status: 200, body: { resources } };
    }
    if (route === 'POST faults') {
      const inputs = Array.isArray(body)
        ? body
        : body && typeof body === 'object' && 'rules' in body
          ? (body as { rules: unknown }).rules
          : [body];
      if (!Array.isArray(inputs) || inputs.length === 0)
        throw new ControlError(400, 'POST faults takes a rule, an array of rules or {"rules": [...]}');
      let rules;
      try {
        rules = inputs.map((input) => target.faults.add(input));
      } catch (err) {
        throw new ControlError(400, (err as Error).message);
      }
      return { status: 201, body: { ids: rules.map((r) => r.id), rules } };
    }
    if (route === 'GET faults') return { status: 200, body: { rules: target.faults.list() } };
    if (route === 'DELETE faults') {
      const id = query.get('id') ?? undefined;
      if (!target.faults.remove(id)) throw new ControlError(404, `No fault rule with id "${id}"`);
      return { status: 200, body: { removed: id ?? 'all' } };
    }
    if (method === 'DELETE' && path.startsWith('faults/')) {
      const id = decodeURIComponent(path.slice('faults/'.length));
      if (!target.faults.remove(id)) throw new ControlError(404, `No fault rule with id "${id}"`);
      return { status: 200, body: { removed: id } };
    }
    if (route === 'POST reset') {
      target.reset();
      return { status: 200, body: { reset: true } };
    }
    if (route === 'GET requests') {
      const entries = target.log.list({
        product: query.get('product') ?? undefined,
        action: query.get('action') ?? undefined,
        limit: numberParam(query, 'limit'),
      });
      return { status: 200, body: { requests: entries } };
    }
    if (route === 'GET clock') return { status: 200, body: { now: new Date(target.context.now()).toISOString() } };
    if (route === 'POST clock/advance') {
      const ms = (body as { ms?: unknown } | undefined)?.ms;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
        throw new ControlError(400, 'POST clock/advance takes {"ms": <non-negative number>}');
      target.advanceClock(ms);
      return { status: 200, body: { now: new Date(target.context.now()).toISOString() } };
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

/**
 * The contract between the emulator's core (HTTP server, signatures, control API, persistence, clock)
 * and its product models (VPC, ECS, CloudAPI, RAM, CBN, STS, FC). Products never see the wire format:
 * they get decoded parameters and return plain objects; the core turns them into Alibaba-shaped
 * responses and errors. Keep this file small and stable — every product module compiles against it.
 */

export type ProductName = 'vpc' | 'ecs' | 'cloudapi' | 'ram' | 'cbn' | 'sts' | 'fc';

/** An Alibaba-shaped API error; the core renders it as `{RequestId, Code, Message, HostId}`. */
export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A decoded RPC call (VPC, ECS, CloudAPI, RAM, CBN, STS): signature and protocol params already removed. */
export interface RpcRequest {
  product: ProductName;
  action: string;
  version: string;
  /** RegionId param, else the region of the documented endpoint in Host, else the default region. */
  region: string;
  /** Business parameters exactly as sent, flat (`Permissions.1.IpProtocol`), values as strings. */
  params: Record<string, string>;
  requestId: string;
  accessKeyId: string;
}

/** A decoded ROA call (FC 3.0). */
export interface RoaRequest {
  product: ProductName;
  method: string;
  /** Path without query, e.g. `/2023-03-30/functions/my-fn/invocations`. */
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Buffer;
  region: string;
  accountId: string;
  requestId: string;
  accessKeyId: string;
}

export interface RoaResponse {
  status: number;
  headers?: Record<string, string>;
  /** Plain objects are sent as JSON; a Buffer or string is sent as is. */
  body?: unknown;
}

export type RpcHandler = (
  req: RpcRequest,
  ctx: EmulatorContext,
) => Record<string, unknown> | Promise<Record<string, unknown>>;
export type RoaHandler = (req: RoaRequest, ctx: EmulatorContext) => RoaResponse | Promise<RoaResponse>;

export interface RoaRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path pattern with `:name` segments, e.g. `/2023-03-30/functions/:functionName`. */
  pattern: string;
  /** Operation name used in the request log and fault rules, e.g. `CreateFunction`. */
  action: string;
  handler: RoaHandler;
}

/** A `/_emulator/<path>` endpoint a product contributes (e.g. `POST tickets/cen-route`). */
export interface ControlRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** Relative to `/_emulator/`, e.g. `tickets/cen-route`. */
  path: string;
  handler: (
    body: unknown,
    ctx: EmulatorContext,
  ) => { status?: number; body: unknown } | Promise<{ status?: number; body: unknown }>;
}

export type ProductDefinition =
  | { name: ProductName; style: 'rpc'; version: string; actions: Record<string, RpcHandler>; control?: ControlRoute[] }
  | { name: ProductName; style: 'roa'; version: string; routes: RoaRoute[]; control?: ControlRoute[] };

/** One live resource. Everything in it must be JSON-serializable (the store can persist to a file). */
export interface ResourceRecord {
  product: ProductName;
  /** Resource type within the product, e.g. `Vpc`, `VSwitch`, `Instance`, `Function`. */
  type: string;
  id: string;
  region: string;
  name?: string;
  /** Current status, already advanced through any due scheduled transitions. */
  status: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  /** Product-specific state (ids of parents, CIDRs, config...). */
  attrs: Record<string, unknown>;
}

export interface NewResource {
  product: ProductName;
  type: string;
  id: string;
  region: string;
  name?: string;
  status: string;
  attrs?: Record<string, unknown>;
}

/**
 * Resource state. Status transitions are scheduled on the emulator clock and applied lazily on read,
 * so the time scale can be changed and state persisted without timers.
 */
export interface ResourceStore {
  insert(resource: NewResource): ResourceRecord;
  get(type: string, id: string): ResourceRecord | undefined;
  /** Like get, but throws `ApiError(404 unless given, notFoundCode, message)` when absent. */
  require(type: string, id: string, notFoundCode: string, httpStatus?: number): ResourceRecord;
  list(type: string, filter?: (r: ResourceRecord) => boolean): ResourceRecord[];
  all(): ResourceRecord[];
  /**
   * Shallow-merges `attrs` and sets `name`/`status` when given; returns the updated record. Setting
   * `status` cancels any pending schedule (so: update the status first, then schedule what follows).
   */
  update(
    type: string,
    id: string,
    patch: { name?: string; status?: string; attrs?: Record<string, unknown> },
  ): ResourceRecord;
  /**
   * Schedules status changes: each step's status applies `timing(step.after)` ms after the previous one.
   * A later call replaces the pending schedule. `status: null` removes the resource (async deletes).
   */
  schedule(type: string, id: string, steps: { status: string | null; after: TimingKey }[]): void;
  remove(type: string, id: string): void;
}

/**
 * How long async operations take. The core owns the table of figures for the `fast` (default, tests)
 * and `realistic` (real orders of magnitude × a scale factor) profiles; products only name the step.
 */
export type TimingKey =
  | 'vpc.create'
  | 'vswitch.create'
  | 'vpc.delete'
  | 'vswitch.delete'
  | 'ecs.pending'
  | 'ecs.starting'
  | 'ecs.service'
  | 'ecs.delete'
  | 'apigw.instance.create'
  | 'apigw.instance.rebind'
  | 'apigw.instance.delete'
  | 'ram.propagation'
  | 'fc.create'
  | 'cen.create'
  | 'cen.attach'
  | 'cen.detach'
  | 'cen.bandwidth'
  | 'cen.route'
  | 'cen.delete'
  | 'immediate';

export interface EmulatorContext {
  store: ResourceStore;
  /** Emulator clock in ms since epoch (virtual when tests control it). */
  now(): number;
  /** Milliseconds for a named step in the active timing profile. */
  timing(key: TimingKey): number;
  accountId: string;
  defaultRegion: string;
  /** A new id in Alibaba's style: `${prefix}${random lower-case alphanumerics}` (e.g. `vpc-`, `sg-`). */
  newId(prefix: string): string;
  /**
   * Runs `create` once per (product, action, token): a repeated token returns the first response,
   * never a second resource. No token → runs every time.
   */
  idempotent<T extends Record<string, unknown>>(
    scope: { product: ProductName; action: string; token: string | undefined },
    create: () => T | Promise<T>,
  ): Promise<T>;
  /** Known regions (the core's table); products reject others with `InvalidRegionId`. */
  regions: readonly string[];
}

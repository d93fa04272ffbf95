import { ApiError, type ProductDefinition, type ProductName, type RoaHandler, type RpcHandler } from './contract';
import { invalidAction, missing } from './errors';
import { accountFromHost, regionFromHost } from './regions';
import { RPC_V1_PROTOCOL_PARAMS } from './signature';
import { decodePath, type WireRequest } from './wire';

/** What a request addresses, resolved before the signature check so even rejected calls are logged by name. */
export type Route =
  | {
      kind: 'rpc';
      product: ProductName;
      action: string;
      version: string;
      region: string;
      params: Record<string, string>;
      handler: RpcHandler;
    }
  | {
      kind: 'roa';
      product: ProductName;
      action: string;
      version: string;
      region: string;
      accountId: string;
      pathParams: Record<string, string>;
      handler: RoaHandler;
    };

/** Best-effort identification plus the error to answer after the signature check, if any. */
export interface Identified {
  route?: Route;
  product?: string;
  action?: string;
  region?: string;
  error?: ApiError;
}

interface CompiledRoaRoute {
  method: string;
  regex: RegExp;
  names: string[];
  action: string;
  handler: RoaHandler;
}

function compilePattern(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), names };
}

export class ProductRouter {
  private readonly rpcByVersion = new Map<string, Extract<ProductDefinition, { style: 'rpc' }>>();
  private readonly roaByVersion = new Map<string, { name: ProductName; routes: CompiledRoaRoute[] }>();

  constructor(
    readonly products: readonly ProductDefinition[],
    private readonly defaults: { region: string; accountId: string },
  ) {
    for (const def of products) {
      if (this.rpcByVersion.has(def.version) || this.roaByVersion.has(def.version)) {
        throw new Error(`Two products claim API version ${def.version} (${def.name}); versions must be unique`);
      }
      if (def.style === 'rpc') {
        this.rpcByVersion.set(def.version, def);
      } else {
        const routes = def.routes.map((r) => ({
          method: r.method,
          action: r.action,
          handler: r.handler,
          ...compilePattern(r.pattern),
        }));
        this.roaByVersion.set(def.version, { name: def.name, routes });
      }
    }
  }

  /** `defaultRegion` overrides the configured one (a listener dedicated to one region). */
  identify(req: WireRequest, defaultRegion = this.defaults.region): Identified {
    const firstSegment = req.path.split('/')[1] ?? '';
    const roa = this.roaByVersion.get(firstSegment);
    if (roa) return this.identifyRoa(req, firstSegment, roa, defaultRegion);
    if (req.path !== '/') {
      return {
        error: new ApiError(
          404,
          'InvalidAction.NotFound',
          `Specified api is not found, please check your url and method. (No product at path ${req.path}: RPC products are served at /, ROA products under ${[...this.roaByVersion.keys()].map((v) => `/${v}/`).join(', ') || '(none)'}.)`,
        ),
      };
    }
    return this.identifyRpc(req, defaultRegion);
  }

  private identifyRpc(req: WireRequest, defaultRegion: string): Identified {
    const version = req.params.Version ?? req.headers['x-acs-version'];
    const action = req.params.Action ?? req.headers['x-acs-action'];
    const region = req.params.RegionId || regionFromHost(req.headers.host) || defaultRegion;
    if (req.method !== 'GET' && req.method !== 'POST') {
      return {
        action,
        region,
        error: new ApiError(
          403,
          'UnsupportedHTTPMethod',
          `This http method not supported. (RPC takes GET or POST, got ${req.method}.)`,
        ),
      };
    }
    if (!version) return { action, region, error: missing('Version') };
    const def = this.rpcByVersion.get(version);
    if (!def) {
      const known = [...this.rpcByVersion.values()].map((d) => `${d.name} ${d.version}`).join(', ');
      return {
        action,
        region,
        error: new ApiError(
          400,
          'InvalidVersion',
          `Specified parameter Version "${version}" is not valid. This emulator serves: ${known}.`,
        ),
      };
    }
    if (!action) return { product: def.name, region, error: missing('Action') };
    const handler = Object.prototype.hasOwnProperty.call(def.actions, action) ? def.actions[action] : undefined;
    if (!handler) return { product: def.name, action, region, error: invalidAction(action, version) };
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.params)) {
      if (!RPC_V1_PROTOCOL_PARAMS.includes(key)) params[key] = value;
    }
    return {
      product: def.name,
      action,
      region,
      route: { kind: 'rpc', product: def.name, action, version, region, params, handler },
    };
  }

  private identifyRoa(
    req: WireRequest,
    version: string,
    roa: { name: ProductName; routes: CompiledRoaRoute[] },
    defaultRegion: string,
  ): Identified {
    const region = regionFromHost(req.headers.host) ?? defaultRegion;
    const accountId = accountFromHost(req.headers.host) ?? this.defaults.accountId;
    const rawPath = req.rawPath;
    for (const route of roa.routes) {
      const match = route.regex.exec(rawPath);
      if (!match || route.method !== req.method) continue;
      const pathParams: Record<string, string> = {};
      route.names.forEach((name, i) => {
        pathParams[name] = decodePath(match[i + 1]);
      });
      return {
        product: roa.name,
        action: route.action,
        region,
        route: {
          kind: 'roa',
          product: roa.name,
          action: route.action,
          version,
          region,
          accountId,
          pathParams,
          handler: route.handler,
        },
      };
    }
    return {
      product: roa.name,
      region,
      error: new ApiError(
        404,
        'InvalidAction.NotFound',
        `Specified api is not found, please check your url and method. (${req.method} ${req.path} matches no ${roa.name} ${version} operation.)`,
      ),
    };
  }
}

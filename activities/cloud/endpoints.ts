/**
 * The one table of Alibaba Cloud products this project calls: wire style, API version and public endpoint.
 * `ALIBABA_CLOUD_ENDPOINT` (or `config.endpoint`) replaces every product's endpoint with one URL, the
 * emulator; FC then still tells the emulator its account and region through the Host header.
 */

export type RpcProduct = 'vpc' | 'ecs' | 'cloudapi' | 'ram' | 'cbn' | 'sts';
export type Product = RpcProduct | 'fc';

export interface ProductSpec {
  readonly style: 'rpc' | 'roa';
  readonly version: string;
  /** Whether the API is regional: the endpoint depends on the region and RPC calls carry RegionId. */
  readonly regional: boolean;
  /** Public host name; `region` is only used by regional products, `accountId` only by FC. */
  readonly host: (region: string, accountId: string) => string;
}

export const PRODUCTS: Readonly<Record<Product, ProductSpec>> = {
  vpc: { style: 'rpc', version: '2016-04-28', regional: true, host: (r) => `vpc.${r}.aliyuncs.com` },
  ecs: { style: 'rpc', version: '2014-05-26', regional: true, host: (r) => `ecs.${r}.aliyuncs.com` },
  cloudapi: { style: 'rpc', version: '2016-07-14', regional: true, host: (r) => `apigateway.${r}.aliyuncs.com` },
  ram: { style: 'rpc', version: '2015-05-01', regional: false, host: () => 'ram.aliyuncs.com' },
  cbn: { style: 'rpc', version: '2017-09-12', regional: false, host: () => 'cbn.aliyuncs.com' },
  sts: { style: 'rpc', version: '2015-04-01', regional: false, host: () => 'sts.aliyuncs.com' },
  fc: { style: 'roa', version: '2023-03-30', regional: true, host: (r, a) => `${a}.${r}.fc.aliyuncs.com` },
};

export const ENDPOINT_ENV = 'ALIBABA_CLOUD_ENDPOINT';

export interface ResolvedEndpoint {
  /** Where the TCP connection goes, e.g. `https://vpc.cn-shanghai.aliyuncs.com` or the emulator URL. */
  readonly url: string;
  /** Host header to send when it differs from the URL's host (FC behind an endpoint override). */
  readonly hostHeader?: string;
}

const REGION_PATTERN = /^[a-z]{2,}(-[a-z0-9]+)+$/;
const ACCOUNT_PATTERN = /^\d{6,20}$/;

/** Reads and checks an endpoint override (from config or `ALIBABA_CLOUD_ENDPOINT`); undefined when not set. */
export function endpointOverrideFrom(
  configured: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const raw = (configured ?? env[ENDPOINT_ENV] ?? '').trim();
  if (raw === '') return undefined;
  if (!/^https?:\/\//i.test(raw)) {
    throw new Error(`${ENDPOINT_ENV} / endpoint "${raw}" must start with http:// or https://`);
  }
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new Error(`${ENDPOINT_ENV} / endpoint "${raw}" is not a URL; expected e.g. http://127.0.0.1:9100`);
  }
  if (parsed.pathname !== '/' || parsed.search !== '') {
    throw new Error(`${ENDPOINT_ENV} / endpoint "${raw}" must have no path or query (APIs are served at "/")`);
  }
  return `${parsed.protocol}//${parsed.host}`;
}

export function assertRegion(region: string, where: string): void {
  if (!REGION_PATTERN.test(region)) {
    throw new Error(`${where}: region "${region}" is not an Alibaba Cloud region id such as cn-shanghai`);
  }
}

/** The endpoint for one call. `region` is required for regional products, `accountId` for FC. */
export function resolveEndpoint(
  product: Product,
  options: { region?: string; accountId?: string; override?: string },
): ResolvedEndpoint {
  const spec = PRODUCTS[product];
  const region = options.region ?? '';
  if (spec.regional) assertRegion(region, `${product} endpoint`);
  let accountId = '';
  if (product === 'fc') {
    accountId = options.accountId ?? '';
    if (!ACCOUNT_PATTERN.test(accountId)) {
      throw new Error(`fc endpoint: account id "${accountId}" is not a numeric Alibaba Cloud account id`);
    }
  }
  const host = spec.host(region, accountId);
  if (options.override === undefined) return { url: `https://${host}` };
  // Only FC needs the Host header behind an override: RPC calls carry RegionId, FC calls carry nothing else.
  return product === 'fc' ? { url: options.override, hostHeader: host } : { url: options.override };
}

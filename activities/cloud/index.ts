/**
 * The cloud client layer: typed, thin clients per Alibaba Cloud product, built once per worker by
 * `createCloudClients()` and handed to `createActivities(clients)`. Every failure is an
 * AlibabaCloudError (classified, redacted). See README.md in this folder.
 */
import { CbnClient } from './cbn';
import { CloudApiClient } from './cloudapi';
import { CloudCredentials, credentialsFromEnv, type CredentialValues } from './credentials';
import { EcsClient } from './ecs';
import { endpointOverrideFrom } from './endpoints';
import { FcClient } from './fc';
import { FcTransport } from './fc-client';
import { RamClient } from './ram';
import { RpcClient } from './rpc-client';
import { StsClient } from './sts';
import { DEFAULT_TIMEOUT_MS } from './transport';
import { VpcClient } from './vpc';

export const TIMEOUT_ENV = 'ALIBABA_CLOUD_TIMEOUT_MS';

export interface CloudClientsConfig {
  /** Send every product here (the emulator); default: `ALIBABA_CLOUD_ENDPOINT`, else public endpoints. */
  endpoint?: string;
  /** Default: ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / _SECURITY_TOKEN from the environment. */
  credentials?: CloudCredentials | CredentialValues;
  /** Per-call deadline; default `ALIBABA_CLOUD_TIMEOUT_MS`, else 30 s. */
  timeoutMs?: number;
  /** Account id for FC's endpoint; default: looked up once with STS GetCallerIdentity. */
  accountId?: string;
  /** Environment to read defaults from (tests). */
  env?: NodeJS.ProcessEnv;
}

export interface CloudClients {
  readonly vpc: VpcClient;
  readonly ecs: EcsClient;
  readonly cloudapi: CloudApiClient;
  readonly ram: RamClient;
  readonly cbn: CbnClient;
  readonly sts: StsClient;
  readonly fc: FcClient;
  /** The account the credentials belong to (configured, or STS GetCallerIdentity, cached on success). */
  accountId(): Promise<string>;
  /** The endpoint override in use (the emulator), if any. */
  readonly endpointOverride: string | undefined;
}

function timeoutFrom(configured: number | undefined, env: NodeJS.ProcessEnv): number {
  if (configured !== undefined) {
    if (!Number.isFinite(configured) || configured <= 0) {
      throw new Error(`cloud clients: timeoutMs must be a positive number of milliseconds, got ${configured}`);
    }
    return configured;
  }
  const raw = env[TIMEOUT_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_TIMEOUT_MS;
  const parsed = Number(raw);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new Error(`${TIMEOUT_ENV}="${raw}" must be a positive number of milliseconds (e.g. 30000)`);
  }
  return parsed;
}

export function createCloudClients(config: CloudClientsConfig = {}): CloudClients {
  const env = config.env ?? process.env;
  const credentials =
    config.credentials instanceof CloudCredentials
      ? config.credentials
      : config.credentials
        ? new CloudCredentials(config.credentials)
        : credentialsFromEnv(env);
  const endpointOverride = endpointOverrideFrom(config.endpoint, env);
  const timeoutMs = timeoutFrom(config.timeoutMs, env);
  const rpc = (product: ConstructorParameters<typeof RpcClient>[0]) =>
    new RpcClient(product, { credentials, endpointOverride, timeoutMs });
  const sts = new StsClient(rpc('sts'));

  let accountIdPromise: Promise<string> | undefined = config.accountId ? Promise.resolve(config.accountId) : undefined;
  const accountId = (): Promise<string> => {
    if (!accountIdPromise) {
      accountIdPromise = sts.getCallerIdentity().then((identity) => String(identity.AccountId));
      // A failed lookup is not cached: the next call asks again.
      accountIdPromise.catch(() => (accountIdPromise = undefined));
    }
    return accountIdPromise;
  };

  return {
    vpc: new VpcClient(rpc('vpc')),
    ecs: new EcsClient(rpc('ecs')),
    cloudapi: new CloudApiClient(rpc('cloudapi')),
    ram: new RamClient(rpc('ram')),
    cbn: new CbnClient(rpc('cbn')),
    sts,
    fc: new FcClient(new FcTransport({ credentials, endpointOverride, timeoutMs, accountId })),
    accountId,
    endpointOverride,
  };
}

export { AlibabaCloudError, classifyError, isAlibabaCloudError } from './errors';
export type { Classification, ErrorKind } from './errors';
export { redact } from './redact';
export { CloudCredentials, credentialsFromEnv } from './credentials';
export type { CredentialValues } from './credentials';
export { asJson, encodeRpcParams } from './params';
export { items } from './lists';
export type { Tag } from './lists';
export { PRODUCTS, resolveEndpoint } from './endpoints';
export type { Product, RpcProduct } from './endpoints';
export { trustPolicyFor } from './ram';
export type { VpcClient } from './vpc';
export type { EcsClient } from './ecs';
export type { CloudApiClient } from './cloudapi';
export type { RamClient } from './ram';
export type { CbnClient } from './cbn';
export type { StsClient } from './sts';
export type { FcClient } from './fc';
export * as vpcTypes from './vpc';
export * as ecsTypes from './ecs';
export * as cloudapiTypes from './cloudapi';
export * as ramTypes from './ram';
export * as cbnTypes from './cbn';
export * as fcTypes from './fc';

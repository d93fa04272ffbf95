import { loadClientConnectConfig } from '@temporalio/envconfig';

/** The task queue every worker polls and every client starts workflows on. */
export const TASK_QUEUE = 'fc-apigw-vpc';
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_NAMESPACE = 'default';

export interface TemporalConnectSettings {
  address: string;
  namespace: string;
  /** Passed as-is to NativeConnection / Connection: TLS files, API key, gRPC metadata from env or TOML profile. */
  tls?: ReturnType<typeof loadClientConnectConfig>['connectionOptions']['tls'];
  apiKey?: string;
  metadata?: Record<string, string>;
}

/**
 * Connection settings from the standard Temporal sources (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE and the TOML profiles the `temporal` CLI shares),
 * with the local defaults this project documents.
 */
export function loadTemporalSettings(env: NodeJS.ProcessEnv = process.env): TemporalConnectSettings {
  const overrideEnvVars = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars });
  const metadata = connectionOptions.metadata as Record<string, string> | undefined;
  return {
    address: connectionOptions.address || DEFAULT_TEMPORAL_ADDRESS,
    namespace: namespace || DEFAULT_NAMESPACE,
    ...(connectionOptions.tls !== undefined ? { tls: connectionOptions.tls } : {}),
    ...(connectionOptions.apiKey ? { apiKey: connectionOptions.apiKey as string } : {}),
    ...(metadata && Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
}

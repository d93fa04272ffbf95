import {
  Client,
  Connection,
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { loadTemporalSettings, type TemporalConnectSettings } from '../worker/temporal-config';
import { EXIT } from './args';

export interface TemporalClientHandle {
  client: Client;
  settings: TemporalConnectSettings;
  close(): Promise<void>;
}

/** A client for the Temporal server named by the standard environment (see worker/temporal-config.ts). */
export async function connectClient(env: NodeJS.ProcessEnv = process.env): Promise<TemporalClientHandle> {
  const settings = loadTemporalSettings(env);
  const connection = await Connection.connect({
    address: settings.address,
    ...(settings.tls !== undefined ? { tls: settings.tls } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    ...(settings.metadata ? { metadata: settings.metadata } : {}),
    connectTimeout: '5s',
  });
  const client = new Client({ connection, namespace: settings.namespace });
  return { client, settings, close: () => connection.close() };
}

/** gRPC status codes the CLI maps to its own exit codes. */
const GRPC_NOT_FOUND = 5;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

function grpcCode(error: unknown): number | undefined {
  const cause = error instanceof ServiceError ? error.cause : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The exit code for an error from the Temporal client (anything unrecognised is a plain failure). */
export function exitCodeForTemporalError(error: unknown): number {
  if (error instanceof WorkflowNotFoundError) return EXIT.notFound;
  if (error instanceof WorkflowExecutionAlreadyStartedError) return EXIT.rejected;
  const code = grpcCode(error);
  if (code === GRPC_NOT_FOUND) return EXIT.notFound;
  if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) return EXIT.unavailable;
  if (code === GRPC_FAILED_PRECONDITION) return EXIT.rejected;
  const message = error instanceof Error ? error.message : '';
  if (/Failed to connect|ECONNREFUSED|connect ETIMEDOUT|Connection refused/i.test(message)) return EXIT.unavailable;
  return EXIT.failure;
}

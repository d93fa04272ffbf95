/**
 * `npm run worker`: polls task queue `fc-apigw-vpc` on the Temporal server named by the standard
 * environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS / API key, TOML profile), running the workflows
 * of workflows/index.ts and the activities on real Alibaba Cloud, or on the emulator when
 * ALIBABA_CLOUD_ENDPOINT points there. SIGINT/SIGTERM: finish in-flight tasks, then exit.
 */
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createCloudClients } from '../activities/cloud';
import { createAppWorker } from './create-worker';
import { loadTemporalSettings, TASK_QUEUE } from './temporal-config';

/** Poll interval of the activities' status waits; the default (3 s) suits real cloud, less suits the emulator. */
const POLL_INTERVAL_ENV = 'ACTIVITY_POLL_INTERVAL_MS';

function pollIntervalFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[POLL_INTERVAL_ENV]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${POLL_INTERVAL_ENV}="${raw}" must be a whole number of milliseconds >= 1 (e.g. 3000)`);
  }
  return value;
}

async function main(): Promise<void> {
  const settings = loadTemporalSettings();
  const pollIntervalMs = pollIntervalFromEnv(process.env);
  const activities = createActivities(createCloudClients(), pollIntervalMs ? { pollIntervalMs } : {});
  const connection = await NativeConnection.connect({
    address: settings.address,
    ...(settings.tls !== undefined ? { tls: settings.tls } : {}),
    ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
    ...(settings.metadata ? { metadata: settings.metadata } : {}),
  });
  try {
    const worker = await createAppWorker({ connection, namespace: settings.namespace, activities });
    console.log(`worker: polling task queue ${TASK_QUEUE} on ${settings.address} (namespace ${settings.namespace})`);
    // Worker.run installs SIGINT/SIGTERM handlers that drain in-flight tasks before resolving.
    await worker.run();
    console.log('worker: stopped');
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(`worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

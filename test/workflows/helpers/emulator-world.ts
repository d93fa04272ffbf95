/**
 * The real activities (activities/index.ts) on the real client layer, pointed at an in-process emulator.
 */
import { createActivities } from '../../../activities';
import { createCloudClients } from '../../../activities/cloud';
import type { Activities } from '../../../activities/contract';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  startEmulator,
  type EmulatorHandle,
} from '../../../emulator';

export interface EmulatorResource {
  product: string;
  type: string;
  id: string;
  region?: string;
  status?: string;
}

export interface EmulatorWorld {
  emulator: EmulatorHandle;
  activities: Activities;
  /** GET /_emulator/resources, as it is right now (delete activities return once a resource is gone). */
  resources(): Promise<EmulatorResource[]>;
  /** POST /_emulator/faults */
  addFaults(rules: unknown): Promise<void>;
  clearFaults(): Promise<void>;
  /** Plays the CEN support desk: POST /_emulator/tickets/cen-route */
  fulfilTicket(parameters: Record<string, unknown>): Promise<{ ticketId: string }>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startEmulatorWorld(): Promise<EmulatorWorld> {
  const emulator = await startEmulator({ port: 0 });
  const clients = createCloudClients({
    endpoint: emulator.url,
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET },
    env: {},
  });
  const activities = createActivities(clients, { pollIntervalMs: 20 });
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}/_emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /_emulator/${path}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  return {
    emulator,
    activities,
    resources: async () => ((await control('GET', 'resources')) as { resources: EmulatorResource[] }).resources,
    addFaults: async (rules) => void (await control('POST', 'faults', rules)),
    clearFaults: async () => void (await control('DELETE', 'faults')),
    fulfilTicket: async (parameters) =>
      (await control('POST', 'tickets/cen-route', parameters)) as { ticketId: string },
    reset: async () => void (await control('POST', 'reset')),
    close: () => emulator.close(),
  };
}

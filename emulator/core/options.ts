import type { EmulatorContext, ProductDefinition, ResourceStore, TimingKey } from './contract';
import type { FaultRule } from './faults';
import { KNOWN_REGIONS } from './regions';
import type { RequestLogEntry } from './request-log';
import type { Credentials } from './signature';
import { DEFAULT_TIME_SCALE, makeTiming, type TimingProfile } from './timing';

export const DEFAULT_ACCESS_KEY_ID = 'LTAI5tEmulatorAccessKey';
export const DEFAULT_ACCESS_KEY_SECRET = 'emulator-secret-do-not-use-in-production';
export const DEFAULT_ACCOUNT_ID = '1234567890123456';
export const DEFAULT_REGION = 'cn-shanghai';
export const DEFAULT_PORT = 9100;

export interface EmulatorOptions {
  /** 0 = any free port. Default: EMULATOR_PORT or 9100. */
  port?: number;
  host?: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  /** When set, every request must carry this security token (SecurityToken / x-acs-security-token). */
  securityToken?: string;
  accountId?: string;
  defaultRegion?: string;
  profile?: TimingProfile;
  /** Multiplies every duration of the profile (default: fast 1, realistic 0.01). */
  timeScale?: number;
  /** JSON file the state is written through to and restored from. */
  stateFile?: string;
  /** Emulator clock (ms since epoch); default Date.now. Signature timestamps are always checked against real time. */
  clock?: () => number;
  /** Print one line per request to stdout. */
  logRequests?: boolean;
  /** Products to serve; default every product in emulator/products. */
  products?: readonly ProductDefinition[];
  /** Random source for fault probabilities (tests). */
  random?: () => number;
  /**
   * Refuse a ClientToken/Token reused with different parameters (IdempotentParameterMismatch), as
   * Alibaba does. Off by default: existing callers replay tokens with trimmed parameters.
   */
  strictIdempotency?: boolean;
  /**
   * Extra listeners, one per region (port 0 = any): calls arriving there default to that region.
   * For clients that cannot name a region, e.g. the official FC SDK with an overridden endpoint.
   */
  regionPorts?: Record<string, number>;
}

export interface EmulatorHandle {
  url: string;
  host: string;
  port: number;
  /** URL of each `regionPorts` listener, by region. */
  regionUrls: Record<string, string>;
  accessKeyId: string;
  accountId: string;
  defaultRegion: string;
  profile: TimingProfile;
  timeScale: number;
  store: ResourceStore;
  context: EmulatorContext;
  /** Current emulator time (ms). */
  now(): number;
  /** Moves the emulator clock forward (pending transitions come due). */
  advanceClock(ms: number): void;
  addFault(rule: unknown): FaultRule;
  clearFaults(): void;
  requests(): RequestLogEntry[];
  /** Drops every resource, idempotency token, fault rule and log entry. */
  reset(): void;
  close(): Promise<void>;
}

/** Options with every default applied and checked: one place for the rules. */
export interface Settings {
  host: string;
  port: number;
  credentials: Credentials;
  accountId: string;
  defaultRegion: string;
  profile: TimingProfile;
  timeScale: number;
  timing: (key: TimingKey) => number;
  clock: () => number;
  stateFile?: string;
  logRequests: boolean;
  products: readonly ProductDefinition[];
  random: () => number;
  strictIdempotency: boolean;
  regionPorts: Record<string, number>;
}

function checkPort(port: number, what: string): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${what} must be an integer 0-65535, got ${port}`);
  }
  return port;
}

export function resolveSettings(options: EmulatorOptions, defaultProducts: readonly ProductDefinition[]): Settings {
  const profile = options.profile ?? 'fast';
  const timeScale = options.timeScale ?? DEFAULT_TIME_SCALE[profile];
  const defaultRegion = options.defaultRegion ?? DEFAULT_REGION;
  if (!KNOWN_REGIONS.includes(defaultRegion)) {
    throw new Error(`defaultRegion "${defaultRegion}" is not a known region (${KNOWN_REGIONS.join(', ')})`);
  }
  const envPort = process.env.EMULATOR_PORT ? Number(process.env.EMULATOR_PORT) : undefined;
  const port = checkPort(options.port ?? envPort ?? DEFAULT_PORT, 'Emulator port');
  const regionPorts = { ...options.regionPorts };
  for (const [region, regionPort] of Object.entries(regionPorts)) {
    if (!KNOWN_REGIONS.includes(region)) throw new Error(`regionPorts: "${region}" is not a known region`);
    checkPort(regionPort, `regionPorts["${region}"]`);
  }
  return {
    host: options.host ?? '127.0.0.1',
    port,
    credentials: {
      accessKeyId: options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
      accessKeySecret: options.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET,
      securityToken: options.securityToken,
    },
    accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
    defaultRegion,
    profile,
    timeScale,
    timing: makeTiming(profile, timeScale),
    clock: options.clock ?? Date.now,
    stateFile: options.stateFile,
    logRequests: options.logRequests ?? false,
    products: options.products ?? defaultProducts,
    random: options.random ?? Math.random,
    strictIdempotency: options.strictIdempotency ?? false,
    regionPorts,
  };
}

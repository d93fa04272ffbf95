/** `npm run emulator`: the emulator as a standalone process, configured from the environment. */
import { startEmulator, type CodeExecution } from './index';
import { parseCodeExecution } from './products/fc/settings';
import { isTimingProfile } from './core/timing';

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

/** `cn-zhangjiakou=9101,cn-beijing=9102` → { 'cn-zhangjiakou': 9101, ... } */
function regionPorts(raw: string | undefined): Record<string, number> | undefined {
  if (!raw) return undefined;
  const out: Record<string, number> = {};
  for (const pair of raw.split(',')) {
    const [region, port] = pair.split('=').map((x) => x.trim());
    if (!region || !port || !/^\d+$/.test(port)) {
      throw new Error(`EMULATOR_REGION_PORTS must look like "cn-zhangjiakou=9101,cn-beijing=9102", got "${raw}"`);
    }
    out[region] = Number(port);
  }
  return out;
}

function codeExecution(raw: string | undefined): CodeExecution | undefined {
  if (!raw) return undefined;
  return parseCodeExecution(raw, 'EMULATOR_FC_CODE_EXECUTION');
}

async function main(): Promise<void> {
  const profile = process.env.EMULATOR_PROFILE || 'fast';
  if (!isTimingProfile(profile)) throw new Error(`EMULATOR_PROFILE must be "fast" or "realistic", got "${profile}"`);
  const emulator = await startEmulator({
    port: envNumber('EMULATOR_PORT'),
    host: process.env.EMULATOR_HOST || undefined,
    accessKeyId: process.env.EMULATOR_ACCESS_KEY_ID || undefined,
    accessKeySecret: process.env.EMULATOR_ACCESS_KEY_SECRET || undefined,
    securityToken: process.env.EMULATOR_SECURITY_TOKEN || undefined,
    accountId: process.env.EMULATOR_ACCOUNT_ID || undefined,
    defaultRegion: process.env.EMULATOR_DEFAULT_REGION || undefined,
    profile,
    timeScale: envNumber('EMULATOR_TIME_SCALE'),
    stateFile: process.env.EMULATOR_STATE_FILE || undefined,
    logRequests: process.env.EMULATOR_LOG_REQUESTS !== '0',
    strictIdempotency: process.env.EMULATOR_STRICT_IDEMPOTENCY === '1',
    regionPorts: regionPorts(process.env.EMULATOR_REGION_PORTS),
    fcCodeExecution: codeExecution(process.env.EMULATOR_FC_CODE_EXECUTION),
  });
  console.log(
    `Alibaba Cloud emulator on ${emulator.url} (profile ${emulator.profile} x${emulator.timeScale}, account ${emulator.accountId}, ` +
      `default region ${emulator.defaultRegion}) — point SDKs at it: ALIBABA_CLOUD_ENDPOINT=${emulator.url} ` +
      `ALIBABA_CLOUD_ACCESS_KEY_ID=${emulator.accessKeyId} ALIBABA_CLOUD_ACCESS_KEY_SECRET=<EMULATOR_ACCESS_KEY_SECRET>; control API ${emulator.url}/_emulator/health` +
      Object.entries(emulator.regionUrls)
        .map(([region, url]) => `; ${region} only: ${url}`)
        .join(''),
  );
  const shutdown = (signal: string) => {
    console.log(`Emulator: ${signal}, closing`);
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('Emulator: close failed', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`Emulator failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

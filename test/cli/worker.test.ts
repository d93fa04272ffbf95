import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer, type DevServer } from '../../devserver';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startEmulator, type EmulatorHandle } from '../../emulator';

/** `npm run worker` (worker/main.ts) as a process: connects from the standard env, drains on SIGTERM. */

const MAIN = join(__dirname, '..', '..', 'worker', 'main.ts');
let server: DevServer;
let emulator: EmulatorHandle;

before(async () => {
  server = await startDevServer({ port: 0, log: () => undefined });
  emulator = await startEmulator({ port: 0 });
});

after(async () => {
  await server.close();
  await emulator.close();
});

function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const saw = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (pattern.test(output) ? resolve() : undefined);
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      void exited.then(() => (pattern.test(output) ? resolve() : reject(new Error(`worker exited: ${output}`))));
      check();
    });
  return { child, exited, saw, output: () => output };
}

describe('worker/main.ts', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`polls fc-apigw-vpc on TEMPORAL_ADDRESS and stops cleanly on ${signal}`, async () => {
      const worker = startWorker({
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_NAMESPACE: 'default',
        ALIBABA_CLOUD_ENDPOINT: emulator.url,
        ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY_ID,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY_SECRET,
      });
      await worker.saw(/polling task queue fc-apigw-vpc on 127\.0\.0\.1:\d+ \(namespace default\)/);
      worker.child.kill(signal);
      assert.equal(await worker.exited, 0, worker.output());
      assert.match(worker.output(), /worker: stopped/);
    });
  }

  it('refuses to start without Alibaba Cloud credentials, naming the variables', async () => {
    const worker = startWorker({ TEMPORAL_ADDRESS: server.address });
    assert.equal(await worker.exited, 1);
    assert.match(worker.output(), /ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/);
  });
});

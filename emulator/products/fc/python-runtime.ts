import { execFile, spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { readZip } from './zip';

/*
 * Runs an FC Python handler for real: unpacks the code package into a temporary directory and runs
 * python-harness.py there with a clean environment (the emulator's own environment, and so its
 * credentials, never reaches the function).
 */

const HARNESS_FILE = join(__dirname, 'python-harness.py');
const MAX_LOG_BYTES = 64 * 1024;

let pythonCheck: Promise<boolean> | undefined;

/** Whether `python3` (3.8+) can be started here; checked once per process. */
export function pythonAvailable(): Promise<boolean> {
  pythonCheck ??= new Promise((resolve) => {
    execFile(
      'python3',
      ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)'],
      { timeout: 10_000 },
      (error) => resolve(error === null),
    );
  });
  return pythonCheck;
}

export interface PythonRun {
  zip: Buffer;
  handler: string;
  event: Buffer;
  /** The function's environment: FC's variables plus its environmentVariables. */
  env: Record<string, string>;
  context: Record<string, unknown>;
  networkAddress: string;
  timeScale: number;
  /** Real milliseconds after which the run is killed. */
  killAfterMs: number;
}

export type PythonOutcome =
  | { kind: 'returned'; body: Buffer; logs: string }
  | { kind: 'raised'; error: { errorMessage: string; errorType: string; stackTrace: unknown }; logs: string }
  | { kind: 'timed-out'; logs: string }
  | { kind: 'crashed'; detail: string; logs: string };

async function unpack(zip: Buffer, dir: string): Promise<void> {
  for (const entry of readZip(zip)) {
    const target = join(dir, entry.name);
    const inside = relative(dir, target);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      throw new Error(`code package entry ${entry.name} escapes the code directory`);
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, entry.data);
  }
}

export async function runPython(run: PythonRun): Promise<PythonOutcome> {
  const workDir = await mkdtemp(join(tmpdir(), 'fc-emulator-'));
  const codeDir = join(workDir, 'code');
  const resultFile = join(workDir, 'result.json');
  try {
    await mkdir(codeDir);
    await unpack(run.zip, codeDir);
    const harness = await readFile(HARNESS_FILE, 'utf8');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      HOME: workDir,
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
      ...run.env,
      FC_EMULATOR_NETWORK: run.networkAddress,
      FC_EMULATOR_TIME_SCALE: String(run.timeScale),
      FC_EMULATOR_RESULT_FILE: resultFile,
      FC_EMULATOR_HANDLER: run.handler,
      FC_EMULATOR_CONTEXT: JSON.stringify(run.context),
    };
    const { timedOut, exitDetail, logs } = await new Promise<{ timedOut: boolean; exitDetail: string; logs: string }>(
      (resolve) => {
        const child = spawn('python3', ['-c', harness], { cwd: codeDir, env, stdio: ['pipe', 'pipe', 'pipe'] });
        let output = '';
        const collect = (chunk: Buffer) => {
          if (output.length < MAX_LOG_BYTES) output += chunk.toString('utf8');
        };
        child.stdout.on('data', collect);
        child.stderr.on('data', collect);
        let killed = false;
        const timer = setTimeout(() => {
          killed = true;
          child.kill('SIGKILL');
        }, run.killAfterMs);
        child.on('error', (error) => {
          clearTimeout(timer);
          resolve({ timedOut: false, exitDetail: `python3 could not start: ${error.message}`, logs: output });
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ timedOut: killed, exitDetail: `python3 exited with ${signal ?? `code ${code}`}`, logs: output });
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(run.event);
      },
    );
    if (timedOut) return { kind: 'timed-out', logs };
    let result: Record<string, unknown>;
    try {
      result = JSON.parse(await readFile(resultFile, 'utf8')) as Record<string, unknown>;
    } catch {
      return { kind: 'crashed', detail: exitDetail, logs };
    }
    if (result.ok === true) return { kind: 'returned', body: Buffer.from(String(result.body), 'base64'), logs };
    return {
      kind: 'raised',
      error: {
        errorMessage: String(result.errorMessage),
        errorType: String(result.errorType),
        stackTrace: result.stackTrace,
      },
      logs,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

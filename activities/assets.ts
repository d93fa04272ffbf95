import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createZip } from './zip';

const ASSETS_DIR = join(__dirname, 'assets');

/** The FC handler shipped in the repo; `index.handler` in runtime python3.10. */
export const FUNCTION_HANDLER = 'index.handler';
export const FUNCTION_RUNTIME = 'python3.10';

function readAsset(relativePath: string): string {
  return readFileSync(join(ASSETS_DIR, relativePath), 'utf8');
}

/** The function's code package: a ZIP holding index.py, base64-encoded as FC's `code.zipFile` expects. */
export function functionCodeZipBase64(): string {
  return createZip([{ name: 'index.py', data: Buffer.from(readAsset('fc-function/index.py'), 'utf8') }]).toString(
    'base64',
  );
}

export interface BackendUserDataOptions {
  port: number;
  path: string;
}

/** cloud-init script that installs and starts the backend service, ready for RunInstances' base64 UserData. */
export function backendUserData(options: BackendUserDataOptions): string {
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new Error(`backend port must be an integer in 1..65535, got ${options.port}`);
  }
  if (!/^\/[A-Za-z0-9/_.-]*$/.test(options.path)) {
    throw new Error(
      `backend path must start with "/" and use only [A-Za-z0-9/_.-], got ${JSON.stringify(options.path)}`,
    );
  }
  return readAsset('backend/userdata.sh')
    .replace('__SERVICE_PY__', () => readAsset('backend/service.py').trimEnd())
    .replaceAll('__PORT__', String(options.port))
    .replaceAll('__API_PATH__', options.path);
}

export function backendUserDataBase64(options: BackendUserDataOptions): string {
  return Buffer.from(backendUserData(options), 'utf8').toString('base64');
}

import type { EmulatorContext, ResourceRecord, RoaRequest } from '../../core/contract';
import type { PythonRun } from './python-runtime';
import { functionAttrs } from './records';

/** Milliseconds of real time a Python process gets to start before its (scaled) timeout applies. */
const STARTUP_ALLOWANCE_MS = 10_000;

/** The environment, context and limits one invocation of a function runs with. */
export function pythonRunFor(
  req: RoaRequest,
  ctx: EmulatorContext,
  fnRecord: ResourceRecord,
  networkAddress: string,
  timeScale: number,
): PythonRun {
  const a = functionAttrs(fnRecord);
  return {
    zip: Buffer.from(a.code, 'base64'),
    handler: a.handler,
    event: req.body,
    env: {
      ...a.environmentVariables,
      FC_FUNCTION_NAME: fnRecord.id,
      FC_FUNCTION_HANDLER: a.handler,
      FC_FUNCTION_MEMORY_SIZE: String(a.memorySize),
      FC_REGION: fnRecord.region,
      FC_ACCOUNT_ID: ctx.accountId,
      FC_RUNTIME: a.runtime,
    },
    context: {
      requestId: req.requestId,
      region: fnRecord.region,
      accountId: ctx.accountId,
      functionName: fnRecord.id,
      memorySize: a.memorySize,
      timeout: a.timeout,
    },
    networkAddress,
    timeScale,
    killAfterMs: a.timeout * 1000 * timeScale + STARTUP_ALLOWANCE_MS,
  };
}

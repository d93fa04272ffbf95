import { STATUS_CODES } from 'node:http';
import { ApiError } from '../../core/contract';
import type { EmulatorContext, ResourceRecord, RoaHandler, RoaRequest, RoaResponse } from '../../core/contract';
import { TIMING_TABLES } from '../../core/timing';
import { requireFunction } from './functions';
import { startFunctionNetwork } from './function-network';
import type { NetworkEvent } from './function-network';
import { pythonRunFor } from './invoke-python';
import { evaluateReachability, functionNetwork, networkModelOf } from './reachability';
import type { Reachability } from './reachability';
import { functionAttrs } from './records';
import { codeExecutionOf, recordInvocation } from './settings';
import type { InvocationTrace } from './settings';
import { pythonAvailable, runPython } from './python-runtime';

/*
 * InvokeFunction (Sync). By default the uploaded Python code really runs, inside the emulated network
 * of the function (see function-network.ts and reachability.ts). With code execution off, or no
 * python3, the emulator answers what the project's function (activities/assets/fc-function/index.py)
 * returns for the reachability verdict: JSON {status, body, error?, url}.
 */

const LOG_TAIL_BYTES = 4096;

/** How much faster than real time the emulator runs: the active profile's figure for a step over its real figure. */
function timeScaleOf(ctx: EmulatorContext): number {
  const real = TIMING_TABLES.realistic['apigw.instance.rebind'];
  return ctx.timing('apigw.instance.rebind') / real;
}

interface Invocation {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  logs: string;
  trace: Omit<InvocationTrace, 'requestId' | 'functionName' | 'at'>;
}

function functionError(error: Record<string, unknown>, logs: string, trace: Invocation['trace']): Invocation {
  return {
    status: 200,
    headers: { 'x-fc-error-type': 'UnhandledInvocationError', 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(error)),
    logs,
    trace,
  };
}

async function invokeWithPython(req: RoaRequest, ctx: EmulatorContext, fnRecord: ResourceRecord): Promise<Invocation> {
  const a = functionAttrs(fnRecord);
  const scale = timeScaleOf(ctx);
  const network = await startFunctionNetwork(networkModelOf(ctx.store, ctx, functionNetwork(fnRecord)));
  const events: NetworkEvent[] = network.events;
  try {
    const outcome = await runPython(pythonRunFor(req, ctx, fnRecord, network.address, scale));
    const trace = (text: string): Invocation['trace'] => ({ mode: 'python', outcome: text, network: events });
    switch (outcome.kind) {
      case 'returned':
        return {
          status: 200,
          headers: { 'content-type': 'application/octet-stream' },
          body: outcome.body,
          logs: outcome.logs,
          trace: trace('returned'),
        };
      case 'raised':
        return functionError(outcome.error, outcome.logs, trace(`raised ${outcome.error.errorType}`));
      case 'timed-out':
        return functionError(
          {
            errorMessage: `Function timed out after ${a.timeout} seconds`,
            errorType: 'FunctionTimeoutError',
            stackTrace: [],
          },
          outcome.logs,
          trace('timed out'),
        );
      case 'crashed':
        return functionError(
          {
            errorMessage: `Process exited unexpectedly before completing request (${outcome.detail})`,
            errorType: 'ProcessExitedError',
            stackTrace: [],
          },
          outcome.logs,
          trace(`crashed: ${outcome.detail}`),
        );
    }
  } finally {
    await network.close();
  }
}

/** What the project's function returns for a verdict, as urllib would report it. */
function modelledAnswer(url: string, verdict: Reachability): Record<string, unknown> {
  if (verdict.response) {
    const { status, body } = verdict.response;
    return status >= 400
      ? { status, body, error: { kind: 'http', message: `HTTP Error ${status}: ${STATUS_CODES[status] ?? ''}` }, url }
      : { status, body, url };
  }
  const errors: Record<string, { kind: string; message: string }> = {
    timeout: { kind: 'timeout', message: 'timed out' },
    'dns-failure': { kind: 'dns', message: '[Errno -2] Name or service not known' },
    'connection-refused': { kind: 'connection_refused', message: '[Errno 111] Connection refused' },
  };
  return {
    status: null,
    body: null,
    error: errors[verdict.symptom] ?? { kind: 'network', message: verdict.detail },
    url,
  };
}

function targetUrl(event: Buffer, env: Record<string, string>): string | undefined {
  try {
    const parsed = JSON.parse(event.toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as { url?: unknown }).url === 'string') {
      return (parsed as { url: string }).url;
    }
  } catch {
    // not JSON: fall back to the environment, as the function does
  }
  return env.API_URL;
}

function invokeWithModel(req: RoaRequest, ctx: EmulatorContext, fnRecord: ResourceRecord): Invocation {
  const url = targetUrl(req.body, functionAttrs(fnRecord).environmentVariables);
  if (!url) {
    const answer = {
      status: null,
      body: null,
      error: { kind: 'config', message: 'no target URL: pass {"url": ...} or set API_URL' },
    };
    return {
      status: 200,
      headers: {},
      body: Buffer.from(JSON.stringify(answer)),
      logs: '',
      trace: { mode: 'model', outcome: 'no url', network: [] },
    };
  }
  const verdict = evaluateReachability(ctx.store, ctx, { functionName: fnRecord.id, url });
  return {
    status: 200,
    headers: { 'content-type': 'application/octet-stream' },
    body: Buffer.from(JSON.stringify(modelledAnswer(url, verdict))),
    logs: '',
    trace: {
      mode: 'model',
      outcome: verdict.symptom,
      symptom: verdict.symptom,
      ...(verdict.missingLink ? { missingLink: verdict.missingLink } : {}),
      detail: verdict.detail,
      network: [],
    },
  };
}

async function chooseMode(ctx: EmulatorContext, runtime: string): Promise<'python' | 'model'> {
  const setting = codeExecutionOf(ctx.store);
  if (setting === 'model') return 'model';
  const isPython = runtime.startsWith('python');
  if (setting === 'python') {
    if (!isPython) {
      throw new ApiError(
        400,
        'InvalidArgument',
        `the emulator runs only python runtimes, not ${runtime}; set code execution to "model"`,
      );
    }
    if (!(await pythonAvailable())) {
      throw new ApiError(
        500,
        'InternalError',
        'code execution is "python" but python3 (3.8+) cannot be started on the emulator host',
      );
    }
    return 'python';
  }
  return isPython && (await pythonAvailable()) ? 'python' : 'model';
}

export const invokeFunction: RoaHandler = async (req, ctx): Promise<RoaResponse> => {
  const fnRecord = requireFunction(ctx, req);
  const invocationType = req.headers['x-fc-invocation-type'] ?? 'Sync';
  if (invocationType !== 'Sync') {
    throw new ApiError(400, 'InvalidArgument', `x-fc-invocation-type '${invocationType}' is not modelled; use Sync`);
  }
  if (fnRecord.status !== 'Active') {
    throw new ApiError(
      412,
      'PreconditionFailed',
      `function '${fnRecord.id}' is ${fnRecord.status}; invoke it once GetFunction shows state Active`,
    );
  }
  const started = Date.now();
  const mode = await chooseMode(ctx, functionAttrs(fnRecord).runtime);
  const result = mode === 'python' ? await invokeWithPython(req, ctx, fnRecord) : invokeWithModel(req, ctx, fnRecord);
  recordInvocation(ctx.store, {
    requestId: req.requestId,
    functionName: fnRecord.id,
    at: new Date(ctx.now()).toISOString(),
    ...result.trace,
  });
  const logs =
    `FC Invoke Start RequestId: ${req.requestId}\n${result.logs}` + `FC Invoke End RequestId: ${req.requestId}\n`;
  return {
    status: result.status,
    headers: {
      'x-fc-request-id': req.requestId,
      'x-fc-code-checksum': functionAttrs(fnRecord).codeChecksum,
      'x-fc-invocation-duration': String(Date.now() - started),
      ...(req.headers['x-fc-log-type'] === 'Tail'
        ? { 'x-fc-log-result': Buffer.from(logs).subarray(-LOG_TAIL_BYTES).toString('base64') }
        : {}),
      ...result.headers,
    },
    body: result.body,
  };
};

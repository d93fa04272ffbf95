import type { ControlRoute, ResourceStore } from '../../core/contract';
import type { NetworkEvent } from './function-network';
import type { MissingLink, Symptom } from './reachability';
import { pythonAvailable } from './python-runtime';

/*
 * Per-emulator FC settings and a short invocation trace, kept beside (not in) the resource store so
 * they never show up as cloud resources. Keyed by the store: one entry per running emulator.
 */

/** `python`: run the uploaded code (error when python3 is missing); `model`: answer from the model only; `auto`: python when available. */
export type CodeExecution = 'auto' | 'python' | 'model';

export interface InvocationTrace {
  requestId: string;
  functionName: string;
  at: string;
  mode: 'python' | 'model';
  outcome: string;
  symptom?: Symptom;
  missingLink?: MissingLink;
  detail?: string;
  network: NetworkEvent[];
}

interface FcState {
  codeExecution: CodeExecution;
  invocations: InvocationTrace[];
}

const MAX_TRACES = 50;
const states = new WeakMap<ResourceStore, FcState>();

export function parseCodeExecution(value: unknown, where: string): CodeExecution {
  if (value === 'auto' || value === 'python' || value === 'model') return value;
  throw new Error(`${where} must be auto, python or model, got ${JSON.stringify(value)}`);
}

function stateOf(store: ResourceStore): FcState {
  let state = states.get(store);
  if (!state) {
    const fromEnv = process.env.EMULATOR_FC_CODE_EXECUTION;
    state = {
      codeExecution: fromEnv ? parseCodeExecution(fromEnv, 'EMULATOR_FC_CODE_EXECUTION') : 'auto',
      invocations: [],
    };
    states.set(store, state);
  }
  return state;
}

export const codeExecutionOf = (store: ResourceStore): CodeExecution => stateOf(store).codeExecution;

export function setCodeExecution(store: ResourceStore, value: CodeExecution): void {
  stateOf(store).codeExecution = value;
}

export function recordInvocation(store: ResourceStore, trace: InvocationTrace): void {
  const traces = stateOf(store).invocations;
  traces.push(trace);
  if (traces.length > MAX_TRACES) traces.splice(0, traces.length - MAX_TRACES);
}

export const invocationsOf = (store: ResourceStore): readonly InvocationTrace[] => stateOf(store).invocations;

/** `/_emulator/fc/settings` (GET, POST {codeExecution}) and `/_emulator/fc/invocations` (GET). */
export const fcControlRoutes: ControlRoute[] = [
  {
    method: 'GET',
    path: 'fc/settings',
    handler: async (_body, ctx) => ({
      body: { codeExecution: codeExecutionOf(ctx.store), pythonAvailable: await pythonAvailable() },
    }),
  },
  {
    method: 'POST',
    path: 'fc/settings',
    handler: async (body, ctx) => {
      const value = (body as { codeExecution?: unknown } | null)?.codeExecution;
      try {
        setCodeExecution(ctx.store, parseCodeExecution(value, 'codeExecution'));
      } catch (error) {
        return { status: 400, body: { error: (error as Error).message } };
      }
      return { body: { codeExecution: codeExecutionOf(ctx.store), pythonAvailable: await pythonAvailable() } };
    },
  },
  {
    method: 'GET',
    path: 'fc/invocations',
    handler: (_body, ctx) => ({ body: { invocations: invocationsOf(ctx.store) } }),
  },
];

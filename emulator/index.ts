/**
 * Alibaba Cloud OpenAPI emulator: one HTTP server for VPC, ECS, CloudAPI, RAM, CBN, STS (RPC) and
 * FC 3.0 (ROA), with real signature checks, stateful resources on a virtual clock, fault injection
 * and a control API under /_emulator/. See emulator/README.md.
 */
import { startEmulatorServer, type EmulatorHandle, type EmulatorOptions as CoreOptions } from './core/server';
import { products } from './products';
import { parseCodeExecution, setCodeExecution, type CodeExecution } from './products/fc/settings';

export {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_PORT,
  DEFAULT_REGION,
  type EmulatorHandle,
} from './core/server';
export type { CodeExecution } from './products/fc/settings';
export type { FaultRule, FaultRuleInput } from './core/faults';
export type { RequestLogEntry } from './core/request-log';
export type { TimingProfile } from './core/timing';
export * from './core/contract';

export interface EmulatorOptions extends CoreOptions {
  /**
   * How FC InvokeFunction answers: `python` runs the uploaded code in the emulated network, `model`
   * answers from the reachability model alone (no code runs), `auto` (default) python when python3 is
   * there. Default: EMULATOR_FC_CODE_EXECUTION, else auto. Changeable later: POST /_emulator/fc/settings.
   */
  fcCodeExecution?: CodeExecution;
}

/** Starts the emulator serving every product; `port: 0` picks a free port. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const { fcCodeExecution, ...core } = options;
  // Checked before listening, so a bad value never leaves a server running.
  const codeExecution =
    fcCodeExecution === undefined ? undefined : parseCodeExecution(fcCodeExecution, 'fcCodeExecution');
  const emulator = await startEmulatorServer(core, products);
  if (codeExecution) setCodeExecution(emulator.store, codeExecution);
  return emulator;
}

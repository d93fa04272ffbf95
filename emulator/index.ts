/**
 * Alibaba Cloud OpenAPI emulator: one HTTP server for VPC, ECS, CloudAPI, RAM, CBN, STS (RPC) and
 * FC 3.0 (ROA), with real signature checks, stateful resources on a virtual clock, fault injection
 * and a control API under /_emulator/. See emulator/README.md.
 */
import { startEmulatorServer, type EmulatorHandle, type EmulatorOptions } from './core/server';
import { products } from './products';

export {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_PORT,
  DEFAULT_REGION,
  type EmulatorHandle,
  type EmulatorOptions,
} from './core/server';
export type { FaultRule, FaultRuleInput } from './core/faults';
export type { RequestLogEntry } from './core/request-log';
export type { TimingProfile } from './core/timing';
export * from './core/contract';

/** Starts the emulator serving every product; `port: 0` picks a free port. */
export function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  return startEmulatorServer(options, products);
}

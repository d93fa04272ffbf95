import type { TimingKey } from './contract';
import { IdempotencyCache } from './idempotency';
import { emptyState, readState, writeState } from './persistence';
import { MemoryResourceStore } from './store';

/** Resources, idempotency tokens and the emulator clock, written through to a file when one is given. */
export interface EmulatorState {
  store: MemoryResourceStore;
  idempotency: IdempotencyCache;
  now(): number;
  advanceClock(ms: number): void;
  clear(): void;
}

export function openState(
  stateFile: string | undefined,
  clock: () => number,
  timing: (key: TimingKey) => number,
): EmulatorState {
  const initial = stateFile ? readState(stateFile) : emptyState();
  let clockOffsetMs = initial.clockOffsetMs;
  let restoring = true;
  const now = () => clock() + clockOffsetMs;
  const persist = () => {
    if (!stateFile || restoring) return;
    writeState(stateFile, {
      ...emptyState(),
      clockOffsetMs,
      resources: store.snapshot(),
      idempotency: idempotency.snapshot(),
    });
  };
  const store = new MemoryResourceStore(now, timing, persist);
  const idempotency = new IdempotencyCache(persist);
  store.restore(initial.resources);
  idempotency.restore(initial.idempotency);
  restoring = false;
  return {
    store,
    idempotency,
    now,
    advanceClock: (ms) => {
      clockOffsetMs += ms;
      persist();
    },
    clear: () => {
      store.clear();
      idempotency.clear();
    },
  };
}

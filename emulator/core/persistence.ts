import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IdempotencyEntry } from './idempotency';
import type { StoredResource } from './store';

const FORMAT = 'alibaba-emulator-state/1';

export interface PersistedState {
  format: typeof FORMAT;
  /** Offset added to the emulator clock (POST /_emulator/clock/advance) — kept so pending transitions stay put. */
  clockOffsetMs: number;
  resources: StoredResource[];
  idempotency: IdempotencyEntry[];
}

export function emptyState(): PersistedState {
  return { format: FORMAT, clockOffsetMs: 0, resources: [], idempotency: [] };
}

/** Reads a state file; a missing file is an empty state, a corrupt one is a loud error. */
export function readState(file: string): PersistedState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw err;
  }
  let parsed: Partial<PersistedState>;
  try {
    parsed = JSON.parse(text) as Partial<PersistedState>;
  } catch (err) {
    throw new Error(
      `Emulator state file ${file} is not valid JSON (${(err as Error).message}); delete it to start empty`,
    );
  }
  if (parsed.format !== FORMAT || !Array.isArray(parsed.resources) || !Array.isArray(parsed.idempotency)) {
    throw new Error(`Emulator state file ${file} is not in format ${FORMAT}; delete it to start empty`);
  }
  return {
    format: FORMAT,
    clockOffsetMs: parsed.clockOffsetMs ?? 0,
    resources: parsed.resources,
    idempotency: parsed.idempotency,
  };
}

/** Write-then-rename, so a crash leaves either the old or the new file, never half of one. */
export function writeState(file: string, state: PersistedState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

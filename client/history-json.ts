import { writeFileSync } from 'node:fs';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';

/**
 * History <-> the JSON format Temporal's tools share (what `temporal workflow show --output json` writes and
 * Worker.runReplayHistories reads), via the SDK's own converters. They need one copy of protobufjs shared
 * by @temporalio/common and @temporalio/proto: package.json pins protobufjs at the top level for that.
 */
type History = temporal.api.history.v1.IHistory;

export function historyToJson(history: History): string {
  // Re-indented so recorded histories diff readably in git.
  return JSON.stringify(JSON.parse(historyToJSON(history as temporal.api.history.v1.History)), null, 2);
}

/**
 * `fc-apigw-vpc history <id> --out f`: fetches a run's history and writes it as JSON (also how the tests
 * record test/histories, so those files are exactly what the CLI exports). Returns the event count.
 */
export async function exportHistoryFile(handle: { fetchHistory(): Promise<History> }, path: string): Promise<number> {
  const history = await handle.fetchHistory();
  writeFileSync(path, historyToJson(history) + '\n');
  return history.events?.length ?? 0;
}

/** Parses a history JSON file (as written by historyToJson or the temporal CLI) for Worker.runReplayHistory. */
export function historyFromJson(json: unknown): temporal.api.history.v1.History {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { events?: unknown }).events)) {
    throw new TypeError('not a workflow history: expected an object with an "events" array');
  }
  return historyFromJSON(json) as temporal.api.history.v1.History;
}

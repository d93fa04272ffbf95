import { dirname } from 'node:path';
import { temporal } from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

/**
 * History <-> the JSON format Temporal's tools share (what `temporal workflow show --output json` writes and
 * Worker.runReplayHistories reads).
 *
 * Why not @temporalio/common's historyToJSON/historyFromJSON: in this install @temporalio/common and
 * @temporalio/proto each carry their own copy of protobufjs 8, and protojson's `instanceof Type` check
 * fails across copies ("type must be a Type"). Using protojson from the copy @temporalio/proto was built
 * with keeps the types and the converter together.
 */
type ProtoJson = {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
};

const protoPackageDir = dirname(require.resolve('@temporalio/proto/package.json'));
const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [protoPackageDir] })) as ProtoJson;
const historyType = (
  patchProtobufRoot(require('@temporalio/proto')) as { lookupType(name: string): unknown }
).lookupType('temporal.api.history.v1.History');

type History = temporal.api.history.v1.IHistory;

export function historyToJson(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, temporal.api.history.v1.History.fromObject(history)), null, 2);
}

/** Parses a history JSON file (as written by historyToJson or the temporal CLI) for Worker.runReplayHistory. */
export function historyFromJson(json: unknown): temporal.api.history.v1.History {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { events?: unknown }).events)) {
    throw new TypeError('not a workflow history: expected an object with an "events" array');
  }
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!history) throw new TypeError('not a workflow history: protojson could not read it');
  return history as temporal.api.history.v1.History;
}

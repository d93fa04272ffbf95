/**
 * History <-> JSON in the standard proto3 JSON form (what `temporal workflow show --output json` and
 * the SDK's historyToJSON write). Why not the SDK's own helpers: in this install npm left two copies
 * of protobufjs (@temporalio/common's and @temporalio/proto's), so @temporalio/common/lib/proto-utils
 * fails with "type must be a Type"; this uses the protojson extension of the copy @temporalio/proto's
 * types come from. Drop it once `historyToJSON`/`historyFromJSON` work again.
 */
import { dirname } from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

type History = proto.temporal.api.history.v1.IHistory;
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

const protoDir = dirname(require.resolve('@temporalio/proto/package.json'));
const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [protoDir] })) as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType(
  'temporal.api.history.v1.History',
);

export function historyToJson(history: History): string {
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  return JSON.stringify(protojson.toJson(historyType, message), null, 2);
}

export function historyFromJson(json: unknown): proto.temporal.api.history.v1.History {
  const loaded = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!loaded) throw new TypeError('not a Temporal history in proto3 JSON form');
  return loaded as proto.temporal.api.history.v1.History;
}

// The SDK (Temporal core, via tonic) gzips every request. @grpc/grpc-js inflates each message through
// a fresh zlib stream (createGunzip + events), which the server profile shows at over a tenth of the
// server's busy time for small workflows. Requests are small, so inflating them synchronously in one
// call gives the same bytes at a fraction of the cost. grpc-js exports no hook for this, so the
// method of its internal server call class is replaced, with the same results and errors.
import { gunzipSync, inflateSync } from 'node:zlib';
import { status } from '@grpc/grpc-js';

interface ServerCallInternals {
  maxReceiveMessageSize: number;
  decompressMessage(message: Buffer, encoding: string): Buffer | Promise<Buffer>;
}

const internals = require('@grpc/grpc-js/build/src/server-interceptors') as {
  BaseServerInterceptingCall?: { prototype: ServerCallInternals };
};

const GRPC_MESSAGE_HEADER_BYTES = 5;

function inflate(this: ServerCallInternals, message: Buffer, encoding: string): Buffer {
  const contents = message.subarray(GRPC_MESSAGE_HEADER_BYTES);
  if (encoding === 'identity') return contents;
  if (encoding !== 'gzip' && encoding !== 'deflate') {
    throw {
      code: status.UNIMPLEMENTED,
      details: `Received message compressed with unsupported encoding "${encoding}"`,
    };
  }
  const limit = this.maxReceiveMessageSize;
  const options = limit === -1 ? {} : { maxOutputLength: limit };
  try {
    const inflated = encoding === 'gzip' ? gunzipSync(contents, options) : inflateSync(contents, options);
    // zlib hands back a view into a 16 KiB chunk; decoded bytes fields are views into this buffer and
    // would pin that chunk for as long as the server keeps a payload, so copy to the exact size.
    return Buffer.from(inflated);
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw {
        code: status.RESOURCE_EXHAUSTED,
        details: `Received message that decompresses to a size larger than ${limit}`,
      };
    }
    throw { code: status.INTERNAL, details: 'Failed to decompress message' };
  }
}

let installed = false;

/** Makes grpc-js servers in this process inflate compressed requests synchronously. */
export function installSyncDecompression(): void {
  if (installed) return;
  const proto = internals.BaseServerInterceptingCall?.prototype;
  if (typeof proto?.decompressMessage !== 'function') {
    throw new Error(
      '@grpc/grpc-js internals changed (BaseServerInterceptingCall.decompressMessage is gone): update devserver/grpc/sync-decompression.ts',
    );
  }
  proto.decompressMessage = inflate;
  installed = true;
}

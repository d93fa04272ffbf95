/** FC helpers shared by the FC and reachability tests: signed ROA calls and code packages. */
import { crc32, deflateRawSync } from 'node:zlib';
import type { EmulatorHandle } from '../../emulator';
import { roaRequest, type RawResponse } from './core-signers';

export const FUNCTIONS = '/2023-03-30/functions';

/**
 * A ROA call to FC 3.0 signed as Alibaba documents it, with the Host our FC client sends
 * (`<account>.<region>.fc.aliyuncs.com`), so the emulator learns account and region from it.
 */
export function fcCall(
  emu: EmulatorHandle,
  region: string,
  method: string,
  path: string,
  opts: { body?: unknown; raw?: string; query?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return roaRequest(emu.url, {
    method,
    path,
    query: opts.query,
    headers: opts.headers,
    host: `${emu.accountId}.${region}.fc.aliyuncs.com`,
    body: opts.raw ?? (opts.body === undefined ? '' : JSON.stringify(opts.body)),
  });
}

/** A deflated ZIP (one entry per file), built independently of the emulator's reader. */
export function zipOf(files: Record<string, string>): string {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const packed = deflateRawSync(data);
    const fileName = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, packed);
    centrals.push(central, fileName);
    offset += 30 + fileName.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]).toString('base64');
}

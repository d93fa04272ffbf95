/** Shared harness for the VPC, ECS and CBN emulator tests: a real emulator and pop-core clients. */
import assert from 'node:assert/strict';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, startEmulator, type EmulatorHandle } from '../../emulator';

// pop-core ships without types; this is the part of its documented API the tests use.
interface PopRpc {
  request(
    action: string,
    params: Record<string, unknown>,
    opts: { method: string; timeout?: number },
  ): Promise<Response>;
}
const { RPCClient } = require('@alicloud/pop-core') as { RPCClient: new (c: Record<string, unknown>) => PopRpc };

// Responses are checked field by field; `any` keeps the assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Response = Record<string, any>;
export type Call = (action: string, params?: Record<string, unknown>) => Promise<Response>;

export interface NetworkHarness {
  emu: EmulatorHandle;
  vpc: Call;
  ecs: Call;
  cbn: Call;
  close(): Promise<void>;
}

export const REGION = 'cn-shanghai';

export async function startNetworkHarness(): Promise<NetworkHarness> {
  // A frozen clock: only pollUntil's advanceClock moves time, so every transition a test sees is deterministic.
  const frozen = Date.now();
  const emu = await startEmulator({ port: 0, clock: () => frozen });
  const client = (apiVersion: string, withRegion: boolean): Call => {
    const rpc = new RPCClient({
      accessKeyId: DEFAULT_ACCESS_KEY_ID,
      accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
      endpoint: emu.url,
      apiVersion,
    });
    return async (action, params = {}) => {
      // Tests leave a parameter out by setting it undefined (pop-core would send the text "undefined").
      const sent = Object.fromEntries(
        Object.entries(withRegion ? { RegionId: REGION, ...params } : params).filter(([, v]) => v !== undefined),
      );
      const res = await rpc.request(action, sent, { method: 'POST', timeout: 10_000 });
      // pop-core parses into null-prototype objects; plain copies compare cleanly with deepEqual.
      return JSON.parse(JSON.stringify(res)) as Response;
    };
  };
  return {
    emu,
    vpc: client('2016-04-28', true),
    ecs: client('2014-05-26', true),
    cbn: client('2017-09-12', false),
    close: () => emu.close(),
  };
}

/** Asserts the call fails with `code` (and, when given, that HTTP status). */
export async function expectError(
  h: NetworkHarness,
  call: Promise<unknown>,
  code: string,
  status?: number,
): Promise<void> {
  await assert.rejects(call, (err: { code?: string; message?: string }) => {
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return true;
  });
  if (status !== undefined) assert.equal(h.emu.requests().at(-1)?.status, status);
}

/** One failing variation of a call: parameters merged over the base, the expected code and, optionally, HTTP status. */
export type ErrorCase = [params: Record<string, unknown>, code: string, status?: number];

/** Asserts, in order, that each variation of `base` makes `action` fail with its code (and status). */
export async function expectErrors(
  h: NetworkHarness,
  call: Call,
  action: string,
  base: Record<string, unknown>,
  cases: ErrorCase[],
): Promise<void> {
  for (const [params, code, status] of cases) await expectError(h, call(action, { ...base, ...params }), code, status);
}

/**
 * Polls `read` until `done` holds, moving the emulator clock a little before each read so scheduled
 * transitions come due without real sleeping. Fails after `maxPolls` reads.
 */
export async function pollUntil<T>(
  h: NetworkHarness,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  maxPolls = 100,
): Promise<T> {
  for (let i = 0; i < maxPolls; i++) {
    const value = await read();
    if (done(value)) return value;
    h.emu.advanceClock(25);
  }
  throw new Error(`condition not reached after ${maxPolls} polls`);
}

/** Creates a VPC (and optionally a vSwitch) and waits until both are Available. */
export async function availableVpc(
  h: NetworkHarness,
  opts: { cidr?: string; vSwitchCidr?: string; region?: string; zoneId?: string } = {},
): Promise<{ vpcId: string; vSwitchId?: string }> {
  const region = opts.region ?? REGION;
  const { VpcId } = await h.vpc('CreateVpc', { RegionId: region, CidrBlock: opts.cidr ?? '192.168.0.0/16' });
  await pollUntil(
    h,
    () => h.vpc('DescribeVpcAttribute', { RegionId: region, VpcId }),
    (v) => v.Status === 'Available',
  );
  if (!opts.vSwitchCidr) return { vpcId: VpcId };
  const { VSwitchId } = await h.vpc('CreateVSwitch', {
    RegionId: region,
    VpcId,
    ZoneId: opts.zoneId ?? `${region}-b`,
    CidrBlock: opts.vSwitchCidr,
  });
  await pollUntil(
    h,
    () => h.vpc('DescribeVSwitchAttributes', { RegionId: region, VSwitchId }),
    (v) => v.Status === 'Available',
  );
  return { vpcId: VpcId, vSwitchId: VSwitchId };
}

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle } from '../../emulator';
import type { ControlRoute, ProductDefinition } from '../../emulator/core/contract';
import { testProducts } from './core-fixtures';
import { rpcV1, send } from './core-signers';

const ticketProduct: ProductDefinition = {
  name: 'cbn',
  style: 'rpc',
  version: '2017-09-12',
  actions: {},
  control: [
    {
      method: 'POST',
      path: 'tickets/test',
      handler: (body, ctx) => {
        const id = (body as { id?: string }).id;
        if (!id) return { status: 400, body: { error: 'id is required' } };
        ctx.store.insert({ product: 'cbn', type: 'Ticket', id, region: 'cn-beijing', status: 'Active' });
        return { status: 201, body: { id } };
      },
    } satisfies ControlRoute,
  ],
};

function control(emu: EmulatorHandle, method: string, path: string, body?: unknown) {
  return send(emu.url, {
    method,
    path: `/_emulator/${path}`,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const echo = (emu: EmulatorHandle, extra: Record<string, string> = {}) =>
  rpcV1(emu.url, 'POST', { Action: 'Echo', Version: '2016-04-28', ...extra });

describe('control API', () => {
  let emu: EmulatorHandle;
  before(async () => {
    // A frozen clock: test widgets are scheduled to disappear, which only POST clock/advance may cause here.
    const frozen = Date.UTC(2026, 0, 1);
    emu = await startEmulator({ port: 0, products: [...testProducts, ticketProduct], clock: () => frozen });
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  it('GET health lists products and settings', async () => {
    const res = await control(emu, 'GET', 'health');
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'ok');
    assert.equal(res.json.profile, 'fast');
    assert.ok((res.json.products as { name: string }[]).some((p) => p.name === 'ram'));
  });

  it('GET resources lists live resources with filters', async () => {
    await rpcV1(emu.url, 'POST', { Action: 'CreateWidget', Version: '2016-04-28', RegionId: 'cn-beijing', Name: 'a' });
    await rpcV1(emu.url, 'POST', { Action: 'CreateWidget', Version: '2016-04-28', RegionId: 'cn-shanghai', Name: 'b' });
    const all = await control(emu, 'GET', 'resources');
    const list = all.json.resources as Record<string, unknown>[];
    assert.equal(list.length, 2);
    assert.deepEqual(Object.keys(list[0]).sort(), ['createdAt', 'id', 'name', 'product', 'region', 'status', 'type']);
    const beijing = await control(emu, 'GET', 'resources?region=cn-beijing&type=Widget&product=vpc&details=true');
    const only = beijing.json.resources as Record<string, unknown>[];
    assert.equal(only.length, 1);
    assert.equal(only[0].name, 'a');
    assert.deepEqual(only[0].attrs, {});
  });

  it('a count fault fails exactly that many matching calls with the given code and status', async () => {
    const added = await control(emu, 'POST', 'faults', {
      product: 'vpc',
      action: 'Echo',
      count: 2,
      error: { code: 'Throttling.User', httpStatus: 400 },
    });
    assert.equal(added.status, 201);
    const [id] = added.json.ids as string[];
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await echo(emu)).json.Code);
    assert.deepEqual(codes, ['Throttling.User', 'Throttling.User', undefined]);
    const log = (await control(emu, 'GET', 'requests?action=Echo')).json.requests as {
      faults?: string[];
      status: number;
    }[];
    assert.deepEqual(
      log.map((e) => [e.status, e.faults?.[0]]),
      [
        [400, id],
        [400, id],
        [200, undefined],
      ],
    );
    assert.deepEqual((await control(emu, 'GET', 'faults')).json.rules, []);
  });

  it('matches on product, action and region; probability 0 never fires, 1 always', async () => {
    await control(emu, 'POST', 'faults', [
      { region: 'cn-beijing', error: { code: 'ServiceUnavailable', httpStatus: 503 } },
      { action: 'Echo', probability: 0, error: { code: 'Never', httpStatus: 500 } },
    ]);
    assert.equal((await echo(emu, { RegionId: 'cn-shanghai' })).status, 200);
    const hit = await echo(emu, { RegionId: 'cn-beijing' });
    assert.equal(hit.status, 503);
    assert.equal(hit.json.Code, 'ServiceUnavailable');
    assert.ok(hit.json.RequestId && hit.json.HostId && hit.json.Message);
    const rules = (await control(emu, 'GET', 'faults')).json.rules as { fired: number }[];
    assert.deepEqual(
      rules.map((r) => r.fired),
      [1, 0],
    );
  });

  it('faults come after the signature check', async () => {
    await control(emu, 'POST', 'faults', { error: { code: 'InternalError', httpStatus: 500 } });
    const res = await rpcV1(emu.url, 'POST', { Action: 'Echo', Version: '2016-04-28' }, { secret: 'wrong' });
    assert.equal(res.json.Code, 'SignatureDoesNotMatch');
  });

  it('latency delays and then answers normally', async () => {
    const added = await control(emu, 'POST', 'faults', { action: 'Echo', latencyMs: 30, count: 1 });
    const res = await echo(emu);
    assert.equal(res.status, 200);
    const log = emu.requests().filter((e) => e.action === 'Echo');
    assert.deepEqual(log.at(-1)?.faults, added.json.ids);
  });

  it('dropResponse performs the operation but resets the connection', async () => {
    await control(emu, 'POST', 'faults', { action: 'CreateWidget', dropResponse: true, count: 1 });
    await assert.rejects(
      rpcV1(emu.url, 'POST', { Action: 'CreateWidget', Version: '2016-04-28', Name: 'ghost' }),
      (err: NodeJS.ErrnoException) => {
        assert.ok(err.code === 'ECONNRESET' || /socket hang up/.test(err.message), err.message);
        return true;
      },
    );
    const widgets = emu.store.list('Widget');
    assert.equal(widgets.length, 1);
    assert.equal(widgets[0].name, 'ghost');
    assert.equal(emu.requests().at(-1)?.dropped, true);
  });

  it('rejects invalid rules with a clear message and deletes rules by id or all', async () => {
    const bad = await control(emu, 'POST', 'faults', { action: 'Echo' });
    assert.equal(bad.status, 400);
    assert.match(String(bad.json.error), /at least one effect/);
    const typo = await control(emu, 'POST', 'faults', { action: 'Echo', latencyMS: 5 });
    assert.equal(typo.status, 400);
    assert.match(String(typo.json.error), /latencyMS/);
    const unknownProduct = await control(emu, 'POST', 'faults', { product: 'apigateway', latencyMs: 1 });
    assert.equal(unknownProduct.status, 400);
    assert.match(String(unknownProduct.json.error), /unknown product "apigateway" \(served: .*cloudapi/);
    const unknownAction = await control(emu, 'POST', 'faults', { product: 'vpc', action: 'CreateVPC', latencyMs: 1 });
    assert.match(String(unknownAction.json.error), /no action "CreateVPC" in vpc/);
    const unknownRegion = await control(emu, 'POST', 'faults', { region: 'cn-atlantis', latencyMs: 1 });
    assert.match(String(unknownRegion.json.error), /unknown region/);
    const a = await control(emu, 'POST', 'faults', { latencyMs: 1 });
    await control(emu, 'POST', 'faults', { latencyMs: 2 });
    const id = (a.json.ids as string[])[0];
    assert.equal((await control(emu, 'DELETE', `faults/${id}`)).status, 200);
    assert.equal((await control(emu, 'DELETE', `faults/${id}`)).status, 404);
    assert.equal(((await control(emu, 'GET', 'faults')).json.rules as unknown[]).length, 1);
    await control(emu, 'DELETE', 'faults');
    assert.equal(((await control(emu, 'GET', 'faults')).json.rules as unknown[]).length, 0);
  });

  it('POST reset drops resources, faults and the log', async () => {
    await rpcV1(emu.url, 'POST', { Action: 'CreateWidget', Version: '2016-04-28' });
    await control(emu, 'POST', 'faults', { latencyMs: 1 });
    assert.equal((await control(emu, 'POST', 'reset')).status, 200);
    assert.deepEqual((await control(emu, 'GET', 'resources')).json.resources, []);
    assert.deepEqual((await control(emu, 'GET', 'faults')).json.rules, []);
    assert.deepEqual((await control(emu, 'GET', 'requests')).json.requests, []);
  });

  it('POST clock/advance brings pending transitions due', async () => {
    const created = await rpcV1(emu.url, 'POST', { Action: 'CreateWidget', Version: '2016-04-28' });
    const id = String(created.json.WidgetId);
    assert.equal(emu.store.get('Widget', id)?.status, 'Pending');
    const res = await control(emu, 'POST', 'clock/advance', { ms: 10 * 60_000 });
    assert.equal(res.status, 200);
    assert.equal(emu.store.get('Widget', id), undefined);
    assert.equal((await control(emu, 'POST', 'clock/advance', { ms: -1 })).status, 400);
  });

  it('serves product control routes and answers unknown ones with 404', async () => {
    const ok = await control(emu, 'POST', 'tickets/test', { id: 't1' });
    assert.equal(ok.status, 201);
    assert.equal(emu.store.get('Ticket', 't1')?.status, 'Active');
    assert.equal((await control(emu, 'POST', 'tickets/test', {})).status, 400);
    const missing = await control(emu, 'GET', 'nothing');
    assert.equal(missing.status, 404);
    assert.match(String(missing.json.error), /No control endpoint GET \/_emulator\/nothing/);
    const notJson = await send(emu.url, { method: 'POST', path: '/_emulator/faults', body: 'x' });
    assert.equal(notJson.status, 400);
  });
});

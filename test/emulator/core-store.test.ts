import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startEmulator } from '../../emulator';
import { MemoryResourceStore } from '../../emulator/core/store';
import { makeTiming, TIMING_TABLES } from '../../emulator/core/timing';
import { testProducts } from './core-fixtures';
import { rpcV1 } from './core-signers';

function virtualClock(start = Date.UTC(2026, 0, 1)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('resource store', () => {
  const timing = makeTiming('fast', 1);

  it('applies scheduled transitions lazily on the emulator clock and removes on status null', () => {
    const clock = virtualClock();
    const store = new MemoryResourceStore(clock.now, timing);
    store.insert({
      product: 'vpc',
      type: 'Vpc',
      id: 'vpc-1',
      region: 'cn-shanghai',
      status: 'Pending',
      attrs: { cidrBlock: '10.0.0.0/8' },
    });
    store.schedule('Vpc', 'vpc-1', [
      { status: 'Available', after: 'vpc.create' },
      { status: null, after: 'vpc.delete' },
    ]);
    assert.equal(store.get('Vpc', 'vpc-1')?.status, 'Pending');
    clock.advance(timing('vpc.create') - 1);
    assert.equal(store.get('Vpc', 'vpc-1')?.status, 'Pending');
    clock.advance(1);
    assert.equal(store.get('Vpc', 'vpc-1')?.status, 'Available');
    clock.advance(timing('vpc.delete'));
    assert.equal(store.get('Vpc', 'vpc-1'), undefined);
    assert.deepEqual(store.list('Vpc'), []);
  });

  it('replaces a pending schedule, and an explicit status cancels it', () => {
    const clock = virtualClock();
    const store = new MemoryResourceStore(clock.now, timing);
    store.insert({ product: 'cbn', type: 'Cen', id: 'cen-1', region: 'global', status: 'Creating' });
    store.schedule('Cen', 'cen-1', [{ status: 'Active', after: 'cen.create' }]);
    store.schedule('Cen', 'cen-1', [{ status: 'Broken', after: 'cen.attach' }]);
    clock.advance(timing('cen.attach'));
    assert.equal(store.get('Cen', 'cen-1')?.status, 'Broken');
    store.schedule('Cen', 'cen-1', [{ status: 'Later', after: 'cen.attach' }]);
    store.update('Cen', 'cen-1', { status: 'Deleting' });
    clock.advance(timing('cen.attach'));
    assert.equal(store.get('Cen', 'cen-1')?.status, 'Deleting');
  });

  it('hands out copies: mutating a returned record changes nothing', () => {
    const store = new MemoryResourceStore(Date.now, timing);
    const rec = store.insert({
      product: 'vpc',
      type: 'Vpc',
      id: 'vpc-2',
      region: 'cn-shanghai',
      status: 'Available',
      attrs: { tags: ['a'] },
    });
    (rec.attrs.tags as string[]).push('b');
    rec.status = 'Hacked';
    assert.deepEqual(store.get('Vpc', 'vpc-2')?.attrs.tags, ['a']);
    assert.equal(store.get('Vpc', 'vpc-2')?.status, 'Available');
    store.update('Vpc', 'vpc-2', { attrs: { description: 'x' } });
    assert.deepEqual(store.get('Vpc', 'vpc-2')?.attrs, { tags: ['a'], description: 'x' });
  });

  it('require() throws the product-chosen ApiError', () => {
    const store = new MemoryResourceStore(Date.now, timing);
    assert.throws(() => store.require('Vpc', 'vpc-x', 'InvalidVpcId.NotFound'), {
      code: 'InvalidVpcId.NotFound',
      httpStatus: 404,
    });
  });

  it('has a figure for every timing key in both profiles, and scales realistic figures', () => {
    assert.deepEqual(Object.keys(TIMING_TABLES.fast).sort(), Object.keys(TIMING_TABLES.realistic).sort());
    const realistic = makeTiming('realistic', 0.01);
    assert.equal(realistic('apigw.instance.create'), TIMING_TABLES.realistic['apigw.instance.create'] * 0.01);
    assert.ok(TIMING_TABLES.fast['apigw.instance.create'] > TIMING_TABLES.fast['vpc.create']);
    assert.throws(() => makeTiming('fast', -1), /timeScale/);
  });

  it('startEmulator applies the profile and its default scale', async () => {
    const emu = await startEmulator({ port: 0, products: testProducts, profile: 'realistic' });
    try {
      assert.equal(emu.timeScale, 0.01);
      assert.equal(emu.context.timing('apigw.instance.create'), 3_000);
    } finally {
      await emu.close();
    }
  });
});

describe('idempotency and persistence through the server', () => {
  it('returns the first response for a repeated ClientToken (also to concurrent calls), refuses it with other parameters', async () => {
    // A frozen clock: test widgets are scheduled to disappear, which must not happen mid-test.
    const emu = await startEmulator({
      port: 0,
      products: testProducts,
      clock: virtualClock().now,
      strictIdempotency: true,
    });
    try {
      const calls = await Promise.all(
        [1, 2, 3].map(() =>
          rpcV1(emu.url, 'POST', { Action: 'CreateWidget', Version: '2016-04-28', ClientToken: 'tok-1' }),
        ),
      );
      const ids = new Set(calls.map((c) => c.json.WidgetId));
      assert.equal(ids.size, 1);
      assert.equal(emu.store.list('Widget').length, 1);
      const other = await rpcV1(emu.url, 'POST', {
        Action: 'CreateWidget',
        Version: '2016-04-28',
        ClientToken: 'tok-2',
      });
      assert.notEqual(other.json.WidgetId, calls[0].json.WidgetId);
      const changed = await rpcV1(emu.url, 'POST', {
        Action: 'CreateWidget',
        Version: '2016-04-28',
        ClientToken: 'tok-1',
        Name: 'other',
      });
      assert.equal(changed.status, 400);
      assert.equal(changed.json.Code, 'IdempotentParameterMismatch');
      const none = await rpcV1(emu.url, 'POST', { Action: 'CreateWidget', Version: '2016-04-28' });
      assert.ok(none.json.WidgetId);
      assert.equal(emu.store.list('Widget').length, 3);
    } finally {
      await emu.close();
    }
  });

  it('replays a token reused with other parameters when strictIdempotency is off (the default)', async () => {
    const emu = await startEmulator({ port: 0, products: testProducts, clock: virtualClock().now });
    try {
      const first = await rpcV1(emu.url, 'POST', {
        Action: 'CreateWidget',
        Version: '2016-04-28',
        ClientToken: 't',
        Name: 'a',
      });
      const second = await rpcV1(emu.url, 'POST', { Action: 'CreateWidget', Version: '2016-04-28', ClientToken: 't' });
      assert.equal(second.json.WidgetId, first.json.WidgetId);
    } finally {
      await emu.close();
    }
  });

  it('keeps resources, pending transitions and tokens across a restart with a state file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-state-'));
    const stateFile = join(dir, 'state.json');
    const clock = virtualClock();
    try {
      const first = await startEmulator({ port: 0, products: testProducts, stateFile, clock: clock.now });
      const created = await rpcV1(first.url, 'POST', {
        Action: 'CreateWidget',
        Version: '2016-04-28',
        ClientToken: 'persist',
        Name: 'w',
      });
      const id = String(created.json.WidgetId);
      await first.close();
      assert.ok(readFileSync(stateFile, 'utf8').includes(id));

      const second = await startEmulator({ port: 0, products: testProducts, stateFile, clock: clock.now });
      try {
        const pending = await rpcV1(second.url, 'POST', {
          Action: 'DescribeWidget',
          Version: '2016-04-28',
          WidgetId: id,
        });
        assert.equal(pending.json.Status, 'Pending');
        clock.advance(TIMING_TABLES.fast['vpc.create']);
        const available = await rpcV1(second.url, 'POST', {
          Action: 'DescribeWidget',
          Version: '2016-04-28',
          WidgetId: id,
        });
        assert.equal(available.json.Status, 'Available');
        const again = await rpcV1(second.url, 'POST', {
          Action: 'CreateWidget',
          Version: '2016-04-28',
          ClientToken: 'persist',
          Name: 'w',
        });
        assert.equal(again.json.WidgetId, id);
        second.advanceClock(60_000);
      } finally {
        await second.close();
      }
      const third = await startEmulator({ port: 0, products: testProducts, stateFile, clock: clock.now });
      try {
        // The clock offset was persisted too, so the scheduled removal has happened.
        assert.equal(third.store.get('Widget', id), undefined);
        third.reset();
        assert.equal(JSON.parse(readFileSync(stateFile, 'utf8')).resources.length, 0);
      } finally {
        await third.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a corrupt state file loudly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-state-'));
    try {
      const stateFile = join(dir, 'state.json');
      writeFileSync(stateFile, '{not json');
      await assert.rejects(startEmulator({ port: 0, products: testProducts, stateFile }), /not valid JSON.*delete it/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
